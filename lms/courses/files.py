"""Uploaded files: their type decided from their bytes on every write, and how each is served."""

import mimetypes
import os
import re
import uuid
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

PDF = "application/pdf"
OCTET_STREAM = "application/octet-stream"
IMAGE_TYPES = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
INLINE_TYPES = {PDF: ".pdf", **IMAGE_TYPES}

# Types a browser would render as a page or run: stored and served as an opaque download.
MARKUP_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
}
EXECUTABLE_TYPES = {
    "application/x-dosexec",
    "application/x-executable",
    "application/x-pie-executable",
    "application/x-sharedlib",
    "application/x-mach-binary",
    "application/x-msdownload",
    "application/java-archive",
    "application/x-java-applet",
    "text/x-shellscript",
}
# Magic numbers of programs, kept beside libmagic: it names truncated ones octet-stream.
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
HEAD_MARKUP = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<iframe", b"<body")

# Markup a browser acts on, looked for anywhere in a PDF or an image. Only long, specific
# tokens: short ones (`<svg`) turn up by chance in megabytes of compressed data.
ACTIVE_MARKUP = re.compile(
    r"<\s*(?:script|html|iframe|body|object|embed|!doctype\s+html)\b"
    r"|\bon(?:error|load|click|mouseover|focus|toggle|begin|pageshow|animationstart)\s*="
    r"|j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:",
    re.IGNORECASE,
)
# A word every match above contains ("script" is in "javascript:" however it is spaced):
# a fast substring search finds candidates, the pattern then judges each one's context.
MARKUP_WORDS = (
    "script",
    "html",
    "iframe",
    "body",
    "object",
    "embed",
    *(f"on{event}" for event in ("error", "load", "click", "mouseover", "focus", "toggle")),
    *(f"on{event}" for event in ("begin", "pageshow", "animationstart")),
)
# Every way the bytes could be read as text: Latin-1 (covers UTF-8's ASCII), UTF-16 and
# UTF-32 in both byte orders. A word's encoding is found at any alignment.
TEXT_CODECS = {"latin-1": 1, "utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}
ENCODED_WORDS = [
    (codec, width, word.encode(codec))
    for codec, width in TEXT_CODECS.items()
    for word in MARKUP_WORDS
]
CONTEXT_CHARS = 64
SCAN_CHUNK = 1024 * 1024
SCAN_OVERLAP = 1024  # a word and its context across a chunk boundary stay in one window

_detector = None


@dataclass(frozen=True)
class FileType:
    """How a stored file is served: its Content-Type and whether a browser may show it inline."""

    content_type: str
    inline: bool

    def content_disposition(self, filename: str) -> str:
        ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "") or "file"
        return f'{"inline" if self.inline else "attachment"}; filename="{ascii_name}"'


ATTACHMENT = FileType(OCTET_STREAM, inline=False)


def _magic():
    # libmagic (the `file` command's database, python-magic binding), not a list of our
    # own prefixes: it knows thousands of formats and tells a PNG from 8 bytes that look
    # like one. It reads up to its `bytes_max` (7 MiB) itself; markup anywhere in the
    # file is found by `find_markup`, which streams the whole of it.
    global _detector
    if _detector is None:
        _detector = magic.Magic(mime=True)
    return _detector


def _rewind(upload):
    upload.seek(0)
    return upload


def detect_type(upload) -> str:
    """The MIME type libmagic reads from the file's bytes."""
    limit = _magic().getparam(magic.MAGIC_PARAM_BYTES_MAX)
    head = _rewind(upload).read(limit)
    _rewind(upload)
    if not head:
        return "application/x-empty"
    try:
        return _magic().from_buffer(head)
    except magic.MagicException:
        # libmagic gave up on these bytes: unknown, so never inline and never a PDF/image.
        return OCTET_STREAM


def _markup_at(window: bytes, at: int, codec: str, width: int) -> str | None:
    start = max(at - CONTEXT_CHARS * width, at % width)
    text = window[start : at + 2 * CONTEXT_CHARS * width].decode(codec, errors="replace")
    found = ACTIVE_MARKUP.search(text)
    return found.group(0) if found else None


def find_markup(upload) -> str | None:
    """The first HTML/script token anywhere in the file, in any text encoding, else None.

    Streams the file in chunks (memory stays bounded whatever its size).
    """
    _rewind(upload)
    tail = b""
    try:
        while chunk := upload.read(SCAN_CHUNK):
            window = tail + chunk
            lowered = window.lower()  # ASCII letters only, so every codec's view of them
            for codec, width, word in ENCODED_WORDS:
                at = lowered.find(word)
                while at != -1:
                    found = _markup_at(window, at, codec, width)
                    if found:
                        return found
                    at = lowered.find(word, at + 1)
            tail = window[-SCAN_OVERLAP:]
    finally:
        _rewind(upload)
    return None


def _check_size(upload) -> None:
    limit_mb = settings.MAX_UPLOAD_MB
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is {limit_mb} MB."
        )


def _refuse_markup(upload, what: str) -> None:
    token = find_markup(upload)
    if token is not None:
        raise ValidationError(f"{what} contains web page markup ({token[:20]!r}).")


def check_pdf(upload) -> FileType:
    """A real PDF under the size limit with no markup anywhere, else a ValidationError."""
    _check_size(upload)
    if detect_type(upload) != PDF:
        raise ValidationError("The file is not a PDF (it does not start with %PDF-).")
    _refuse_markup(upload, "This PDF")
    return FileType(PDF, inline=True)


def check_image(upload) -> FileType:
    """A real PNG, JPEG, GIF or WebP image under the size limit with no markup, else refused."""
    _check_size(upload)
    content_type = detect_type(upload)
    if content_type not in IMAGE_TYPES:
        raise ValidationError("The file is not a PNG, JPEG, GIF or WebP image.")
    _refuse_markup(upload, "This image")
    return FileType(content_type, inline=True)


def check_attachment(upload) -> FileType:
    """Any document under the size limit except executables, scripts, HTML, SVG and XML."""
    _check_size(upload)
    head = _rewind(upload).read(2048)
    _rewind(upload)
    content_type = detect_type(upload)
    if head.startswith(EXECUTABLE_MAGIC) or content_type in EXECUTABLE_TYPES:
        raise ValidationError("Executable files and scripts are not accepted.")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if content_type in MARKUP_TYPES or any(marker in text for marker in HEAD_MARKUP):
        raise ValidationError("HTML, SVG and XML markup files are not accepted.")
    return ATTACHMENT


def stored_type(upload) -> FileType:
    """What a storage records for these bytes: inline only for PDFs and images, markup opaque."""
    content_type = detect_type(upload)
    if content_type in INLINE_TYPES:
        return FileType(content_type, inline=True)
    if content_type in MARKUP_TYPES or content_type.startswith("text/"):
        return ATTACHMENT
    return FileType(content_type, inline=False)


def type_from_name(name: str) -> FileType:
    """The serving type of a stored PDF or image, from the extension `stored_filename` set."""
    guessed = mimetypes.guess_type(name)[0]
    return FileType(guessed, inline=True) if guessed in INLINE_TYPES else ATTACHMENT


def stored_filename(filename: str, file_type: FileType) -> str:
    """The upload's name, its extension made to match the type detected for PDFs and images."""
    if not file_type.inline or mimetypes.guess_type(filename or "")[0] == file_type.content_type:
        return filename
    return f"{os.path.splitext(filename or 'file')[0]}{INLINE_TYPES[file_type.content_type]}"


def checked_upload_name(check, upload, *, field: str) -> str:
    """The name to store `upload` under once `check` accepts its bytes; else a 400 on `field`."""
    try:
        file_type = check(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc
    return stored_filename(upload.name, file_type)


# The content item kinds that hold a file (ContentItem.Kind values; models import this module).
CONTENT_FILE_CHECKS = {"pdf": check_pdf, "file": check_attachment}


def checked_content_upload_name(kind: str, upload) -> str:
    """A new upload checked from its bytes for the item's kind: the name to store it under."""
    check = CONTENT_FILE_CHECKS.get(kind)
    if check is None:
        raise ValidationError({"file": ["Only pdf and file items take a file."]})
    return checked_upload_name(check, upload, field="file")


def check_stored_content_file(kind: str, field_file) -> None:
    """A kind change re-checks the file the item already holds against the new kind."""
    check = CONTENT_FILE_CHECKS.get(kind)
    if check is None or not field_file:
        return
    with field_file.open("rb") as stored:
        try:
            check(stored)
        except ValidationError as exc:
            problems = [f"The item's file cannot be a {kind} item: {m}" for m in exc.messages]
            raise ValidationError({"kind": problems}) from exc


def upload_name(folder: str, filename: str) -> str:
    """`<folder>/<random>/<clean name>`: unguessable, keeps the original name for downloads."""
    clean = get_valid_filename(os.path.basename(filename or "")) or "file"
    stem, ext = os.path.splitext(clean)
    return f"{folder}/{uuid.uuid4().hex}/{stem[:80]}{ext[:10].lower()}"
