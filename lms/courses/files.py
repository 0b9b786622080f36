"""Uploaded files: type checked from their bytes, size-limited, served only through signed URLs."""

import os
import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.text import get_valid_filename

TOKEN_SALT = "lms.courses.download"

PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
# Programs a browser or an OS would run, and markup a browser would render as a page.
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
MARKUP_MARKERS = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<iframe", b"<body")


def _head(upload, size: int = 2048) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _check_size(upload) -> None:
    limit_mb = settings.MAX_UPLOAD_MB
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is {limit_mb} MB."
        )


def image_type(head: bytes) -> str | None:
    """The MIME type of a PNG/JPEG/GIF/WebP image by its magic bytes, else None."""
    for magic, mime in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_pdf(upload) -> None:
    """A PDF under the size limit (`%PDF-` header), else a ValidationError."""
    _check_size(upload)
    if not _head(upload).startswith(PDF_MAGIC):
        raise ValidationError("The file is not a PDF (it does not start with %PDF-).")


def validate_image(upload) -> None:
    """A PNG, JPEG, GIF or WebP image under the size limit, else a ValidationError."""
    _check_size(upload)
    if image_type(_head(upload)) is None:
        raise ValidationError("The file is not a PNG, JPEG, GIF or WebP image.")


def validate_attachment(upload) -> None:
    """Any document under the size limit except executables, scripts, HTML and SVG."""
    _check_size(upload)
    head = _head(upload)
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError("Executable files and scripts are not accepted.")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(marker in text for marker in MARKUP_MARKERS):
        raise ValidationError("HTML, SVG and XML markup files are not accepted.")


def upload_name(folder: str, filename: str) -> str:
    """`<folder>/<random>/<clean name>`: unguessable, keeps the original name for downloads."""
    clean = get_valid_filename(os.path.basename(filename or "")) or "file"
    stem, ext = os.path.splitext(clean)
    return f"{folder}/{uuid.uuid4().hex}/{stem[:80]}{ext[:10].lower()}"


def download_token(*, kind: str, pk: int, file_name: str, user) -> str:
    """A signed, short-lived token naming one file and the reader it was issued to."""
    user_id = user.pk if user and user.is_authenticated else None
    return signing.dumps({"k": kind, "id": pk, "f": file_name, "u": user_id}, salt=TOKEN_SALT)


def download_token_read(token: str, *, kind: str, pk: int) -> dict | None:
    """The token's payload if it is genuine, fresh and names this object, else None."""
    try:
        payload = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.COURSES_DOWNLOAD_LINK_SECONDS
        )
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("k") != kind or payload.get("id") != pk:
        return None
    return payload


def is_local_storage(storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def file_access_url(*, request, field_file, kind: str, pk: int, url_name: str) -> str | None:
    """A URL that lets this request's user fetch the file for a few minutes, or None."""
    if not field_file:
        return None
    storage = field_file.storage
    if not is_local_storage(storage):
        # S3-compatible storage: a presigned URL (querystring_auth, short expiry in settings).
        return storage.url(field_file.name)
    user = getattr(request, "user", None)
    token = download_token(kind=kind, pk=pk, file_name=field_file.name, user=user)
    path = f"{reverse(url_name, args=[pk])}?token={token}"
    return request.build_absolute_uri(path) if request else path
