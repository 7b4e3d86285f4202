"""How the permission matrix walks the URL conf, sends one request and names what came back."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.core import signals
from django.db import close_old_connections, connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver

LOGIN_URLS = ("/accounts/login/", "/admin/login/")
ADMIN_INDEX = "/admin/"  # where the 三员 are sent from the business pages
# Rows a request may write whatever the user is allowed to do: the session of the signed-in test client.
HOUSEKEEPING_TABLES = frozenset({"django_session"})
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def url_patterns(resolver=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(name, route) of every pattern in the URL conf, included ones and the admin site's too."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else \
                (entry.namespace or namespace)
            found += url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            found.append((name or route, route))
    return found


@dataclass(frozen=True)
class Answer:
    outcome: str  # ok, login, admin (sent to the admin index), 403, 404, 405, 400, 500 …
    status: int
    writes: frozenset[str]
    detail: str = ""
    text: str = ""  # the body of an HTML or JSON answer


def classify(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith(LOGIN_URLS):
            return "login"
        return "admin" if location == ADMIN_INDEX else "ok"
    if 200 <= response.status_code < 300:
        return "ok"
    return str(response.status_code)


class _Writes:
    """Notes the tables a request writes to, as the statements go to the database (lighter than logging queries)."""

    def __init__(self):
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        if (match := WRITE.match(sql)) and match.group(2) not in HOUSEKEEPING_TABLES:
            self.tables.add(match.group(2))
        return execute(sql, params, many, context)


def send(client, method: str, url: str) -> Answer:
    """One request in a savepoint rolled back afterwards, so that no case changes what the next one sees."""
    savepoint = transaction.savepoint()
    writes = _Writes()
    try:
        with connection.execute_wrapper(writes):
            try:
                response = getattr(client, method)(url)
            except Exception as error:  # the test client re-raises what the server would answer with a 500
                return Answer("500", 500, frozenset(), f"{type(error).__name__}: {error}"[:160])
        text = ""
        if not response.streaming and response.headers.get("Content-Type", "").startswith(("text/html",
                                                                                          "application/json")):
            text = response.content.decode(errors="replace")
            if response.headers["Content-Type"].startswith("application/json"):
                text = json.dumps(json.loads(text), ensure_ascii=False)  # names as written, not \u escapes
        _close(response)
        return Answer(classify(response), response.status_code, frozenset(writes.tables),
                      response.headers.get("Location", "") if response.status_code in (301, 302, 303) else "", text)
    finally:
        transaction.savepoint_rollback(savepoint)


def _close(response) -> None:
    """Close a file response without letting request_finished close the test's database connection."""
    signals.request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        signals.request_finished.connect(close_old_connections)


def table(rows: list[tuple], header: tuple) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(tuple("-" * w for w in widths)), *map(line, rows)])
