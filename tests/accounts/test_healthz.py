"""/healthz: open without login, reports the database and the Celery broker, 503 when either is down."""
from unittest import mock

import pytest
from django.db import OperationalError, connections

from config.celery import app as celery_app

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


def test_healthz_is_ok_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_unreachable_broker(client, dead_broker):
    response = client.get("/healthz")

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
    assert response.json() == {"status": "error", "database": "OperationalError", "broker": "ok"}


def test_broker_override_does_not_outlive_its_test(client, settings):
    # Runs after the dead-broker test: the configured broker is back.
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL != DEAD_REDIS
    assert client.get("/healthz").json()["broker"] == "ok"


def test_healthz_rejects_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
