"""Behind nginx, a private file is sent by nginx (X-Accel-Redirect) only after Django's permission check."""
import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from common.files import PrivateStorage, serve_private


class Field:
    def __init__(self, storage, name):
        self.storage, self.name = storage, name
        self.path = storage.path(name)

    def open(self, mode):
        return self.storage.open(self.name, mode)


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    storage = PrivateStorage("evidence")
    name = storage.save("2026/会议 记录.pdf", ContentFile(b"%PDF-1.4 test"))
    return Field(storage, name)


def test_accel_redirect_names_the_file_under_the_internal_location(settings, stored):
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_private/"
    response = serve_private(stored, "会议记录.pdf")
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/_private/evidence/2026/%E4%BC%9A%E8%AE%AE%20%E8%AE%B0%E5%BD%95.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E8%AE%B0%E5%BD%95.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_without_nginx_django_streams_the_file(settings, stored):
    settings.PRIVATE_FILES_ACCEL_PREFIX = ""
    response = serve_private(stored, "会议记录.pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "X-Accel-Redirect" not in response


def test_a_missing_file_is_a_404_either_way(settings, stored):
    stored.storage.delete(stored.name)
    for prefix in ("/_private/", ""):
        settings.PRIVATE_FILES_ACCEL_PREFIX = prefix
        with pytest.raises(Http404):
            serve_private(stored, "会议记录.pdf")
