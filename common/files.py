"""Evidence files: checked by content (not by name), stored outside any public URL, served after a scope check."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

# extension -> the kind of content it must have
ALLOWED = {
    ".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".gif": "gif",
    ".docx": "ooxml", ".xlsx": "ooxml", ".pptx": "ooxml",
    ".doc": "ole", ".xls": "ole", ".ppt": "ole", ".wps": "ole", ".et": "ole",
}
CONTENT_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
}


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT with no URL: only views that check the user's scope hand them out."""

    def __init__(self, subdir: str = "evidence"):
        self.subdir = subdir
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT) / self.subdir)

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError("private files have no public URL")


def _sniff(head: bytes, upload) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                if "[Content_Types].xml" in archive.namelist():
                    return "ooxml"
        except zipfile.BadZipFile:
            return None
    return None


def validate_evidence(upload) -> None:
    """Raise ValidationError unless the upload is an allowed document or image whose content matches its name."""
    name = getattr(upload, "name", "") or ""
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED:
        raise ValidationError(_("不支持的文件类型“%(name)s”：仅限 PDF、图片（JPG/PNG/GIF）和 Office 文档。")
                              % {"name": name})
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("文件“%(name)s”超过 %(limit)s MB。")
                              % {"name": name, "limit": round(MAX_EVIDENCE_BYTES / 1024 / 1024, 1)})
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    upload.seek(0)
    kind = _sniff(upload.read(8), upload)
    upload.seek(0)
    if kind != ALLOWED[suffix]:
        raise ValidationError(_("文件“%(name)s”的内容与扩展名不符，可能已损坏或被改名。") % {"name": name})


def _accel_response(field_file, download_name: str, suffix: str) -> HttpResponse:
    """An empty answer telling nginx which private file to send (its internal location maps onto MEDIA_ROOT)."""
    path = Path(field_file.path).resolve()
    try:
        relative = path.relative_to(Path(settings.MEDIA_ROOT).resolve())
    except ValueError:
        raise Http404 from None
    if not path.is_file():
        raise Http404  # the record outlived its file (restored backup, manual cleanup)
    response = HttpResponse(content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"))
    disposition = "attachment" if suffix not in CONTENT_TYPES else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(download_name)}"
    response["X-Accel-Redirect"] = settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/") + "/" + quote(relative.as_posix())
    return response


def serve_private(field_file, download_name: str) -> HttpResponse:
    """The file to a user a view has already checked: streamed by Django, or by nginx (X-Accel-Redirect) when
    PRIVATE_FILES_ACCEL_PREFIX is set."""
    suffix = Path(download_name).suffix.lower()
    if settings.PRIVATE_FILES_ACCEL_PREFIX:
        response = _accel_response(field_file, download_name, suffix)
    else:
        try:
            handle = field_file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None  # the record outlived its file (restored backup, manual cleanup)
        response = FileResponse(handle, as_attachment=suffix not in CONTENT_TYPES, filename=download_name,
                                content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
