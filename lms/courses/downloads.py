"""Serving stored files: signed links or presigned S3 URLs, and the two download endpoints."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.urls import re_path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.views import APIView

from lms.common.schema import errors

from . import access, selectors
from .errors import lesson_locked_response
from .files import ATTACHMENT, PDF, FileType, type_from_name
from .models import ContentItem
from .permissions import CanEditCourse, ReadOnlyOrInstructorOrAdmin

User = get_user_model()

TOKEN_SALT = "lms.courses.download"
LINK_INVALID = "This download link has expired or is not valid."


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


def served_type(field_file) -> FileType:
    """How a stored file is served, the same on every storage: decided without reading it.

    A `pdf` item holds a checked PDF; any other item file is an opaque download; a
    thumbnail is a checked image whose extension was set from its detected type.
    """
    if isinstance(field_file.instance, ContentItem):
        is_pdf = field_file.instance.kind == ContentItem.Kind.PDF
        return FileType(PDF, inline=True) if is_pdf else ATTACHMENT
    return type_from_name(field_file.name)


def file_access_url(*, request, field_file, kind: str, pk: int, url_name: str) -> str | None:
    """A URL that lets this request's user fetch the file for a few minutes, or None."""
    if not field_file:
        return None
    storage = field_file.storage
    if not is_local_storage(storage):
        # S3-compatible storage: a presigned URL (querystring_auth, short expiry in settings)
        # that makes S3 answer with our type and disposition, whatever the object records.
        file_type = served_type(field_file)
        filename = os.path.basename(field_file.name)
        parameters = {
            "ResponseContentType": file_type.content_type,
            "ResponseContentDisposition": file_type.content_disposition(filename),
        }
        return storage.url(field_file.name, parameters=parameters)
    user = getattr(request, "user", None)
    token = download_token(kind=kind, pk=pk, file_name=field_file.name, user=user)
    path = f"{reverse(url_name, args=[pk])}?token={token}"
    return request.build_absolute_uri(path) if request else path


# --- The download endpoints -------------------------------------------------------------

TOKEN_PARAM = OpenApiParameter(
    "token",
    str,
    description="Signed download token from the URL the API returned (lets a browser "
    "link work without an Authorization header; expires after a few minutes).",
)
FILE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The file's bytes.")
IMAGE_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The image's bytes.")


def _id_param(noun: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        int,
        OpenApiParameter.PATH,
        description=f"A unique integer value identifying this {noun}.",
    )


class FileDownloadView(APIView):
    """Streams one stored file to a reader of its object (signed link or Authorization)."""

    permission_classes = [ReadOnlyOrInstructorOrAdmin, CanEditCourse]
    token_kind = ""

    def readable(self, reader):
        raise NotImplementedError

    def field_file(self, obj):
        raise NotImplementedError

    def check_open(self, reader, obj) -> None:
        """Refuse a file its reader may find but not open now (a locked lesson's)."""

    def get(self, request, pk=None):
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise Http404 from None
        reader, payload = self._reader(request, pk)
        obj = self.readable(reader).filter(pk=pk).first()
        if obj is None:
            raise Http404
        self.check_open(reader, obj)
        field_file = self.field_file(obj)
        if not field_file:
            raise Http404
        if payload is not None and payload["f"] != field_file.name:
            raise PermissionDenied(LINK_INVALID)
        return _serve(field_file)

    def _reader(self, request, pk: int):
        """The user a download is for: the signed link's reader if a token is given."""
        token = request.query_params.get("token")
        if not token:
            return request.user, None
        payload = download_token_read(token, kind=self.token_kind, pk=pk)
        if payload is None:
            raise PermissionDenied(LINK_INVALID)
        if payload["u"] is None:
            return AnonymousUser(), payload
        user = User.objects.filter(pk=payload["u"], is_active=True).first()
        return user or AnonymousUser(), payload


def _serve(field_file) -> FileResponse:
    file_type = served_type(field_file)
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=not file_type.inline,
        filename=os.path.basename(field_file.name),
        content_type=file_type.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CourseThumbnailView(FileDownloadView):
    """A course's thumbnail image."""

    name = "Thumbnail"
    # The OPTIONS answer as when this was an action of the course viewset.
    description = "Courses: a public catalog; the course's instructor or an admin changes them."
    token_kind = "thumbnail"

    def readable(self, reader):
        return selectors.courses_visible_to(reader)

    def field_file(self, course):
        return course.thumbnail

    @extend_schema(
        summary="Download a course's thumbnail",
        description="For anyone who sees the course; the `thumbnail` URL in a course "
        "carries a `token` so that an `<img src>` works without a header.",
        parameters=[_id_param("course"), TOKEN_PARAM],
        responses={(200, "image/*"): IMAGE_RESPONSE, **errors(403, 404)},
        tags=["courses"],
        operation_id="courses_thumbnail_retrieve",
    )
    def get(self, request, pk=None):
        return super().get(request, pk)


class ContentItemDownloadView(FileDownloadView):
    """A content item's file."""

    name = "Download"
    # The OPTIONS answer as when this was an action of the content item viewset.
    description = "Videos, PDFs, files, texts and links inside a lesson."
    token_kind = "content-item"

    def readable(self, reader):
        return selectors.content_items_readable_by(reader)

    def field_file(self, item):
        return item.file

    def check_open(self, reader, item) -> None:
        access.lesson_lock_check(reader, item.lesson)

    @extend_schema(
        summary="Download a content item's file",
        description="Same read rules as the item (404 for anyone else; 403 `lesson_locked` "
        "while its lesson is locked). Works with the Authorization header, or with the "
        "signed `token` in the `file` URL the API returned.",
        parameters=[_id_param("content item"), TOKEN_PARAM],
        responses={
            (200, "*/*"): FILE_RESPONSE,
            403: lesson_locked_response(
                "A link that is not valid, or the item's lesson is locked."
            ),
            **errors(404),
        },
        tags=["content-items"],
        operation_id="content_items_download_retrieve",
    )
    def get(self, request, pk=None):
        return super().get(request, pk)


urlpatterns = [
    re_path(
        r"^courses/(?P<pk>[^/.]+)/thumbnail/$",
        CourseThumbnailView.as_view(),
        name="course-thumbnail",
    ),
    re_path(
        r"^content-items/(?P<pk>[^/.]+)/download/$",
        ContentItemDownloadView.as_view(),
        name="content-item-download",
    ),
]
