"""/healthz: open without login; anyone learns ok/error (503 when the database or the broker is down), only the
system administrator and staff accounts see the checks: database, broker, worker and beat freshness, outbox."""
import datetime
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.utils import timezone

from config.celery import app as celery_app
from ops.heartbeat import BEAT, heartbeat_record
from ops.models import OutboxMessage

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:6399/0"  # nothing listens here


@pytest.fixture
def dead_broker(settings):
    # The Celery app reads CELERY_* through django.conf.settings on each access, so overriding the
    # Django setting is enough (patching app.conf instead would outlive the test: its undo writes
    # the overridden value back into app.conf.changes).
    settings.CELERY_BROKER_URL = DEAD_REDIS
    connection = celery_app.connection_for_write()
    assert (connection.transport_cls, connection.hostname, connection.port) == ("redis", "127.0.0.1", 6399)


@pytest.fixture
def admin_client(client, django_user_model):
    from accounts.models import Role, RoleGrant

    user = django_user_model.objects.create_user("ops-admin", password="x")
    RoleGrant.objects.create(user=user, role=Role.SYSADMIN)
    client.force_login(user)
    return client


def test_healthz_tells_anonymous_callers_only_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_tells_anonymous_callers_only_error(client, dead_broker):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_a_business_user_sees_no_details(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("secretary", password="x"))
    assert client.get("/healthz").json() == {"status": "ok"}


def test_administrator_sees_every_check(admin_client):
    now = timezone.now()
    heartbeat_record("worker:w1@host", now=now - datetime.timedelta(seconds=40))
    heartbeat_record("worker:w2@host", now=now - datetime.timedelta(seconds=10))
    heartbeat_record(BEAT, now=now - datetime.timedelta(seconds=20))
    OutboxMessage.objects.create(task="reports.year_end_export", args=[1])

    body = admin_client.get("/healthz").json()

    assert body["status"] == "ok"
    assert (body["database"], body["broker"], body["worker"], body["beat"]) == ("ok", "ok", "ok", "ok")
    assert 10 <= body["worker_seen_seconds_ago"] < 40  # the freshest worker counts
    assert 20 <= body["beat_seen_seconds_ago"] < 40
    assert body["outbox_pending"] == 1


def test_stale_worker_and_beat_are_reported_without_failing_the_check(admin_client, settings):
    settings.HEALTH_STALE_SECONDS = 300
    heartbeat_record("worker:w1@host", now=timezone.now() - datetime.timedelta(seconds=301))

    response = admin_client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["worker"], body["beat"], body["beat_seen_seconds_ago"]) == ("stale", "stale", None)


def test_healthz_reports_unreachable_broker(admin_client, dead_broker):
    response = admin_client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"] == "OperationalError"  # kombu wraps the refused connection


def test_healthz_reports_failing_database(client):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is locked")

    with mock.patch.object(connections["default"], "cursor", broken_cursor):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_broker_override_does_not_outlive_its_test(admin_client, settings):
    # Runs after the dead-broker tests: the configured broker is back.
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL != DEAD_REDIS
    assert admin_client.get("/healthz").json()["broker"] == "ok"


def test_healthz_rejects_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
