"""Login, logout, password change, lockout after repeated failures, and the language switch."""
import re

import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import UserFactory

PASSWORD = "pass-1234"
LOGIN_URL = "/accounts/login/"


@pytest.fixture
def user(db):
    return UserFactory(username="lihua", name="李华")


def _login(client, username, password, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN_URL, data)


def _html_lang(response):
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


@pytest.mark.parametrize("path", ["/", "/orgs/", "/orgs/1/", "/accounts/password/"])
def test_pages_redirect_anonymous_visitor_to_login(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={path}"


def test_login_page_is_open_to_anonymous_visitor_in_chinese(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert _html_lang(response) == "zh-hans"
    assert "登录" in response.content.decode()


def test_login_form_with_right_password_logs_in_and_follows_next(client, user):
    response = _login(client, "lihua", PASSWORD, next_url="/orgs/")

    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get("/").status_code == 200


def test_login_form_without_next_goes_home(client, user):
    response = _login(client, "lihua", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_form_with_wrong_password_shows_the_form_again(client, user):
    response = _login(client, "lihua", "wrong-password")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert 'role="alert"' in response.content.decode()


def test_inactive_user_cannot_log_in(client, user):
    user.is_active = False
    user.save()

    response = _login(client, "lihua", PASSWORD)

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_logout_is_a_post(client, user):
    client.force_login(user)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.session[SESSION_KEY] == str(user.pk)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    assert SESSION_KEY not in client.session
    assert client.get("/")["Location"] == f"{LOGIN_URL}?next=/"


def test_password_change_then_new_password_logs_in(client, user):
    client.force_login(user)

    response = client.post("/accounts/password/", {
        "old_password": PASSWORD,
        "new_password1": "Hongqi-2026-new",
        "new_password2": "Hongqi-2026-new",
    })

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    user.refresh_from_db()
    assert user.check_password("Hongqi-2026-new")

    client.post("/accounts/logout/")
    assert _login(client, "lihua", PASSWORD).status_code == 200
    assert SESSION_KEY not in client.session
    assert _login(client, "lihua", "Hongqi-2026-new").status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_password_change_with_wrong_old_password_keeps_the_old_one(client, user):
    client.force_login(user)

    response = client.post("/accounts/password/", {
        "old_password": "not-my-password",
        "new_password1": "Hongqi-2026-new",
        "new_password2": "Hongqi-2026-new",
    })

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_five_wrong_passwords_lock_the_account(client, user, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _login(client, "lihua", "wrong-password").status_code == 200

    fifth = _login(client, "lihua", "wrong-password")

    assert fifth.status_code == 429
    assert "登录已暂时锁定" in fifth.content.decode()

    with_right_password = _login(client, "lihua", PASSWORD)

    assert with_right_password.status_code == 429
    assert "登录已暂时锁定" in with_right_password.content.decode()
    assert SESSION_KEY not in client.session


def test_four_wrong_passwords_do_not_lock_the_account(client, user):
    for _ in range(4):
        _login(client, "lihua", "wrong-password")

    response = _login(client, "lihua", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_lockout_of_one_user_does_not_lock_another(client, user):
    other = UserFactory(username="wangwu")
    for _ in range(5):
        _login(client, "lihua", "wrong-password")

    response = _login(client, "wangwu", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(other.pk)


def test_default_language_is_simplified_chinese(client, user):
    client.force_login(user)

    response = client.get("/")

    assert _html_lang(response) == "zh-hans"
    assert "退出" in response.content.decode()


def test_language_switch_to_english_changes_html_lang(client, user):
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})

    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert _html_lang(client.get("/")) == "en"


def test_language_switch_works_before_login(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": LOGIN_URL})

    assert _html_lang(client.get(LOGIN_URL)) == "en"
