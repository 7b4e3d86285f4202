"""An over-size request is refused with 413 before anything reads its body (common/uploads.py)."""
from django.test import override_settings
from django.urls import reverse


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of an over-size request was read")

    readline = read


def test_a_request_over_the_limit_is_refused_unread_in_chinese(demo, client):
    demo.client_for(client, "zhengwei")
    declared = 60 * 1024 * 1024
    response = client.post(reverse("search:search"), data=b"", content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH=str(declared), **{"wsgi.input": Unreadable()})
    assert response.status_code == 413
    text = response.content.decode()
    assert "上传内容过大" in text and "不能超过 50 MB" in text
    assert response["Connection"] == "close"


@override_settings(UPLOAD_MAX_REQUEST_MB=1)
def test_the_limit_is_a_setting_and_requests_under_it_pass(demo, client):
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("home")).status_code == 200
    small = client.post(reverse("search:search"), data=b"q=1", content_type="application/x-www-form-urlencoded")
    assert small.status_code != 413
    big = client.post(reverse("search:search"), data=b"", content_type="application/octet-stream",
                      CONTENT_LENGTH=str(2 * 1024 * 1024), **{"wsgi.input": Unreadable()})
    assert big.status_code == 413 and "不能超过 1 MB" in big.content.decode()


def test_the_refusal_speaks_english_when_english_was_chosen(demo, client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/accounts/login/", data=b"", content_type="application/octet-stream",
                           CONTENT_LENGTH=str(100 * 1024 * 1024), **{"wsgi.input": Unreadable()})
    assert response.status_code == 413 and "上传内容过大" not in response.content.decode()
