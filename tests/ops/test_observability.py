"""Request ids and JSON logs: every answer carries an X-Request-ID (nginx's when given, else a new one), log lines
of the request carry it, and a task the request publishes carries it into the worker."""
import json
import logging

import pytest
from celery.signals import before_task_publish

from config.observability import HEADER, JsonFormatter, RequestIdFilter, set_request_id


def test_every_answer_has_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]


def test_nginx_request_id_is_kept_and_a_forged_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc123def").get("X-Request-ID") == "abc123def"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="x" * 65 + "\n{").get("X-Request-ID")
    assert forged != "x" * 65 and len(forged) == 32


def test_json_log_line_carries_the_request_id():
    record = logging.LogRecord("reports", logging.WARNING, __file__, 1, "导出 %s 失败", (7,), None)
    token = set_request_id("req-9")
    try:
        RequestIdFilter().filter(record)
    finally:
        from config.observability import _request_id

        _request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "WARNING", "reports", "导出 7 失败", "req-9")
    assert line["time"].endswith("+00:00")


def test_json_log_line_keeps_the_exception():
    try:
        raise ValueError("坏数据")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert "ValueError: 坏数据" in line["exception"] and line["request_id"] == ""


@pytest.mark.django_db
def test_a_published_task_carries_the_request_id(settings):
    from config.celery import app

    captured = {}

    def capture(headers=None, **kwargs):
        captured.update(headers or {})

    before_task_publish.connect(capture, weak=False)
    settings.CELERY_BROKER_URL = "memory://"
    from tests.ops.test_outbox import reset_producer_pool

    reset_producer_pool()
    token = set_request_id("req-77")
    try:
        app.send_task("ops.sweep_outbox")
    finally:
        from config.observability import _request_id

        _request_id.reset(token)
        before_task_publish.disconnect(capture)
        from tests.ops.test_outbox import reset_producer_pool

        reset_producer_pool()
    assert captured[HEADER] == "req-77"
