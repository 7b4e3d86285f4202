"""Lockout: 5 failures lock a user name from every address; 20 failures from one address lock that address for
every user name (password spraying); a success clears only that user name's count."""
import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234"
LOCKED = "登录已暂时锁定"


@pytest.fixture
def user():
    return UserFactory(username="lihua")


def _login(client, username, password, address):
    client.logout()
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_lockout_limits_default_to_five_per_name_and_twenty_per_address(settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT) == (5, 20)
    assert settings.AXES_COOLOFF_TIME == 0.25


def test_five_failures_from_five_addresses_lock_the_user_name_everywhere(client, user):
    for n in range(1, 5):
        assert _login(client, "lihua", "wrong-password", f"10.0.0.{n}").status_code == 200

    fifth = _login(client, "lihua", "wrong-password", "10.0.0.5")
    from_elsewhere = _login(client, "lihua", PASSWORD, "10.9.9.9")

    assert fifth.status_code == 429
    assert from_elsewhere.status_code == 429
    assert LOCKED in from_elsewhere.content.decode()
    assert SESSION_KEY not in client.session


def test_twenty_failures_across_user_names_lock_the_address(client, user):
    for n in range(19):
        assert _login(client, f"guess{n}", "wrong-password", "10.0.0.7").status_code == 200

    twentieth = _login(client, "guess19", "wrong-password", "10.0.0.7")
    right_password_same_address = _login(client, "lihua", PASSWORD, "10.0.0.7")

    assert twentieth.status_code == 429
    assert right_password_same_address.status_code == 429
    assert LOCKED in right_password_same_address.content.decode()
    assert _login(client, "lihua", PASSWORD, "10.0.0.8").status_code == 302


def test_nineteen_failures_across_user_names_do_not_lock_the_address(client, user):
    for n in range(19):
        _login(client, f"guess{n}", "wrong-password", "10.0.0.7")

    assert _login(client, "lihua", PASSWORD, "10.0.0.7").status_code == 302


def test_a_success_does_not_clear_what_the_address_ran_up_against_other_names(client, user, settings):
    for n in range(18):
        _login(client, f"guess{n}", "wrong-password", "10.0.0.7")
    _login(client, "lihua", "wrong-password", "10.0.0.7")
    assert _login(client, "lihua", PASSWORD, "10.0.0.7").status_code == 302  # clears lihua's one failure

    _login(client, "guess18", "wrong-password", "10.0.0.7")
    assert _login(client, "guess19", "wrong-password", "10.0.0.7").status_code == 429


def test_the_address_limit_follows_the_setting(client, user, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        _login(client, f"guess{n}", "wrong-password", "10.0.0.7")

    assert _login(client, "lihua", PASSWORD, "10.0.0.7").status_code == 429
