"""Password policy: complexity, history, expiry and forced change (等保 三级 defaults from settings)."""
import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import PasswordHistory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "Hongqi-2026-x"
CHANGE_URL = "/accounts/password/"


@pytest.fixture
def user():
    return UserFactory(username="lihua", name="李华", email="lihua@example.gov.cn")


def _errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def _change(client, old, new):
    return client.post(CHANGE_URL, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(("password", "codes"), [
    ("Hq-2026-x", ["password_too_short"]),
    ("hongqizhuanjia", ["password_missing_character_class"]),
    ("hongqi20262026", ["password_missing_character_class"]),
    ("Hongqi2026abc", ["password_missing_character_class"]),
    ("--------------", ["password_missing_character_class"]),
    ("12345678901234", ["password_entirely_numeric", "password_missing_character_class"]),
    ("iloveyou123", ["password_too_common", "password_missing_character_class"]),
    (GOOD, []),
    ("红旗-2026-路线图", []),
])
def test_password_needs_ten_characters_letters_digits_and_a_symbol(password, codes):
    assert _errors(password) == codes


def test_missing_classes_are_named_in_chinese():
    with pytest.raises(ValidationError) as raised:
        validate_password("hongqizhuanjia")

    assert raised.value.messages == ["密码须同时包含字母、数字和符号（如 - _ ! @ #），还缺少：数字、符号。"]


@pytest.mark.parametrize("password", ["lihua-2026!", "2026#LiHua", "李华@2026-fight"])
def test_password_containing_the_user_name_or_name_is_refused(user, password):
    assert _errors(password, user) == ["password_contains_user_name"]


def test_password_similar_to_the_email_is_refused(user):
    assert "password_too_similar" in _errors("lihua@example.gov", user)


def test_the_minimum_length_follows_the_setting(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "accounts.passwords.LengthValidator", "OPTIONS": {"min_length": 14}}]

    with pytest.raises(ValidationError) as raised:
        validate_password(GOOD)

    assert raised.value.messages == ["密码太短，至少需要 14 个字符。"]


def test_history_keeps_hashes_of_the_last_five_only(user, settings):
    assert settings.PASSWORD_HISTORY == 5
    for n in range(7):
        user.set_password(f"Hongqi-{n}-x2026")
        user.save()

    hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert len(hashes) == 5
    assert hashes[0] == user.password
    assert all(h.startswith("md5$") for h in hashes)  # hashed by the configured hasher, never in clear
    assert not any("Hongqi" in h for h in hashes)
    assert [code for n in range(7) for code in _errors(f"Hongqi-{n}-x2026", user)] == ["password_reused"] * 5
    assert _errors("Hongqi-0-x2026", user) == []  # the sixth and seventh last are allowed again


def test_reusing_a_recent_password_on_the_change_page_is_refused(client, user):
    client.force_login(user)
    assert _change(client, "pass-1234", GOOD).status_code == 302
    assert _change(client, GOOD, "Yanan-1935-go").status_code == 302
    user.refresh_from_db()
    changed_at = user.password_changed_at

    response = _change(client, "Yanan-1935-go", GOOD)

    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Yanan-1935-go")
    assert user.password_changed_at == changed_at


def test_a_password_older_than_the_maximum_age_must_be_changed(client, user, settings):
    assert settings.PASSWORD_MAX_AGE_DAYS == 90
    set_on = user.password_changed_at

    with time_machine.travel(set_on + datetime.timedelta(days=89, hours=23), tick=False):
        client.force_login(user)  # a fresh session each time, so that the session limits play no part
        assert client.get("/").status_code == 200
    with time_machine.travel(set_on + datetime.timedelta(days=90, minutes=1), tick=False):
        client.force_login(user)
        home = client.get("/")
        page = client.get(CHANGE_URL)
        assert _change(client, "pass-1234", GOOD).status_code == 302
        after = client.get("/")

    assert home.status_code == 302
    assert home["Location"] == CHANGE_URL
    assert "您的密码已超过 90 天未修改，请修改后继续使用。" in page.content.decode()
    assert after.status_code == 200


def test_expiry_can_be_switched_off(client, user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0

    with time_machine.travel(user.password_changed_at + datetime.timedelta(days=400), tick=False):
        client.force_login(user)
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/orgs/", "/admin/", "/reports/", "/notifications/"])
def test_a_forced_change_sends_every_page_to_the_change_page(client, user, path):
    user.must_change_password = True
    user.save()
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == CHANGE_URL


def test_a_forced_change_still_allows_logout_static_files_and_the_language_switch(client, user):
    user.must_change_password = True
    user.save()
    client.force_login(user)

    assert client.get(CHANGE_URL).status_code == 200
    assert client.get("/static/css/site.css").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": CHANGE_URL})["Location"] == CHANGE_URL
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


def test_changing_the_password_ends_the_forced_change(client, user):
    user.must_change_password = True
    user.save()
    client.force_login(user)

    page = client.get(CHANGE_URL)
    response = _change(client, "pass-1234", GOOD)

    assert "您的密码由管理员设置或重置，请先修改为只有您自己知道的密码。" in page.content.decode()
    assert page.context["nav_items"] == []  # no links that would only lead back here
    assert response["Location"] == "/accounts/password/done/"
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/").status_code == 200


def test_a_weak_new_password_is_refused_and_changes_nothing(client, user):
    user.must_change_password = True
    user.save()
    client.force_login(user)

    response = _change(client, "pass-1234", "demo1234")

    assert response.status_code == 200
    body = response.content.decode()
    assert "密码太短，至少需要 10 个字符。" in body
    user.refresh_from_db()
    assert user.check_password("pass-1234")
    assert user.must_change_password
