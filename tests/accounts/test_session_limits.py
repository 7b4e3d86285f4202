"""Sessions end after 30 minutes without a request (sliding) and 12 hours after login whatever the activity; the
user lands on the login page told why."""
import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 4, 1, 8, 0))


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, clock):
    client.force_login(UserFactory(username="lihua", name="李华"))
    return client


def _at(clock, **delta):
    clock.move_to(START + datetime.timedelta(**delta))


def test_limits_default_to_thirty_idle_minutes_and_twelve_hours(settings):
    assert (settings.SESSION_IDLE_MINUTES, settings.SESSION_ABSOLUTE_HOURS) == (30, 12)
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_a_request_within_thirty_minutes_keeps_the_session(signed_in, clock):
    _at(clock, minutes=29)

    assert signed_in.get("/").status_code == 200


def test_thirty_idle_minutes_end_the_session_with_a_message_on_the_login_page(signed_in, clock):
    _at(clock, minutes=30)

    response = signed_in.get("/orgs/")
    login_page = signed_in.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/orgs/"
    assert SESSION_KEY not in signed_in.session
    assert "您已 30 分钟未操作，为保护账号安全已自动退出，请重新登录。" in login_page.content.decode()


def test_activity_slides_the_idle_limit(signed_in, clock):
    for minutes in (20, 40, 60, 80, 100):
        _at(clock, minutes=minutes)
        assert signed_in.get("/").status_code == 200


def test_twelve_hours_after_login_the_session_ends_whatever_the_activity(signed_in, clock):
    for minutes in range(25, 12 * 60, 25):
        _at(clock, minutes=minutes)
        assert signed_in.get("/").status_code == 200, minutes
    _at(clock, hours=12)

    response = signed_in.get("/")
    login_page = signed_in.get(response["Location"])

    assert response["Location"] == "/accounts/login/?next=/"
    assert "登录已超过 12 小时，为保护账号安全已自动退出，请重新登录。" in login_page.content.decode()


def test_the_limits_follow_the_settings(signed_in, clock, settings):
    settings.SESSION_IDLE_MINUTES = 10
    _at(clock, minutes=9)
    assert signed_in.get("/").status_code == 200
    _at(clock, minutes=19, seconds=30)

    assert signed_in.get("/").status_code == 302


def test_logging_in_again_starts_a_fresh_session(client, clock):
    user = UserFactory(username="lihua")
    client.force_login(user)
    _at(clock, hours=11, minutes=50)
    client.force_login(user)
    _at(clock, hours=12, minutes=10)

    assert client.get("/").status_code == 200
