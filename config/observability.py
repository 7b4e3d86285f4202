"""Request ids and JSON log lines: one id per request (nginx's X-Request-ID or a new one), carried into the Celery
tasks the request enqueues and printed on every log line of the request and of those tasks."""
from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
HEADER = "zl_request_id"  # the Celery message header that carries the id
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


class RequestIdMiddleware:
    """Take nginx's X-Request-ID when it looks like one, else make one; answer with it in X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _VALID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and the exception when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
            "process": record.process,
        }
        task_name = getattr(record, "task_name", None)
        if task_name:
            entry["task"] = task_name
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def connect_celery_signals() -> None:
    """Put the current request id into each published task, and make it current while the task runs."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    @before_task_publish.connect(weak=False)
    def _stamp(headers=None, **kwargs):
        if headers is not None and not headers.get(HEADER):
            headers[HEADER] = _request_id.get()

    @task_prerun.connect(weak=False)
    def _adopt(task=None, **kwargs):
        if task is not None:
            value = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER, "")
            _request_id.set(value or "")

    @task_postrun.connect(weak=False)
    def _forget(**kwargs):
        _request_id.set("")
