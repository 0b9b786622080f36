"""Writing uploads to storage, and the S3 storage whose objects get their type from their bytes."""

import os
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import transaction
from storages.backends.s3 import S3Storage

from .files import stored_type


class MediaS3Storage(S3Storage):
    """S3Storage that never records the uploader's Content-Type (it would be served as is)."""

    # django-storages copies `content.content_type` (the client's claim) into the object;
    # this is its one place that builds an upload's parameters, so the type is decided here
    # whichever code path saves the file.
    def _get_write_parameters(self, name, content=None):
        params = super()._get_write_parameters(name, content)
        if content is not None:
            file_type = stored_type(content)
            params["ContentType"] = file_type.content_type
            params["ContentDisposition"] = file_type.content_disposition(os.path.basename(name))
        return params


def store_upload(field_file, name: str, upload) -> str:
    """Write `upload` to the field's storage under a fresh name; the row is saved later.

    Services call this before they lock any row: the storage may be a network away.
    """
    path = field_file.field.generate_filename(field_file.instance, name)
    return field_file.storage.save(path, upload, max_length=field_file.field.max_length)


@contextmanager
def deleted_if_write_fails(names: list[str]):
    """Files stored ahead of a database write that then fails are deleted again."""
    try:
        yield
    except BaseException:
        for name in names:
            if name:
                default_storage.delete(name)
        raise


def delete_on_commit(names: Iterable[str]) -> None:
    """Delete files no row points to any more, once that is committed."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
