"""Shared fixtures: the demo agency at a fixed date, and users by username."""
import datetime

import pytest

from branches.demo import seed_demo

DEMO_DAY = datetime.date(2026, 3, 15)


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """A request with an English cookie leaves English active in this thread (LocaleMiddleware never switches back),
    so every later test would read English messages: each test ends back in the default language."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def demo(db):
    """The demo agency 示范市商务局, seeded as on DEMO_DAY."""
    seed_demo(today=DEMO_DAY)
    return Demo()


class Demo:
    today = DEMO_DAY

    def user(self, username):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=username)

    def org(self, name):
        from branches.models import Organisation

        return Organisation.objects.get(name=name)

    def client_for(self, client, username):
        client.force_login(self.user(username))
        return client


@pytest.fixture
def on_demo_day():
    """Freeze the clock on DEMO_DAY (10:00 Asia/Shanghai), the day the demo was seeded."""
    import time_machine
    from zoneinfo import ZoneInfo

    with time_machine.travel(datetime.datetime.combine(DEMO_DAY, datetime.time(10), ZoneInfo("Asia/Shanghai")),
                             tick=False) as traveller:
        yield traveller


# ---------------------------------------------------------------- dead rows on PostgreSQL
# Every test that seeds and rolls back leaves its rows behind as dead tuples. Without autovacuum (CI's server runs
# with it off) nothing removes them, the tables keep growing over the run, and the planner, which has never seen
# statistics for them, estimates from their size: by the permission matrix, late in the run, the recursive scope
# query went through thousands of dead organisations on every request. Between tests, outside any transaction a
# module holds open, the tables with many dead tuples are vacuumed, as autovacuum would.

DEAD_TUPLES_BEFORE_VACUUM = 1000


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if "django_db_setup" in getattr(item, "fixturenames", ()):
        _vacuum_dead_tuples(item.config)
    return result


def _vacuum_dead_tuples(config):
    from django.db import DatabaseError, connection
    from pytest_django.plugin import blocking_manager_key

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    try:
        with config.stash[blocking_manager_key].unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT quote_ident(schemaname) || '.' || quote_ident(relname) FROM pg_stat_user_tables "
                           "WHERE n_dead_tup > %s", [DEAD_TUPLES_BEFORE_VACUUM])
            tables = [name for (name,) in cursor.fetchall()]
            if tables:
                cursor.execute(f"VACUUM {', '.join(tables)}")
    except DatabaseError:
        pass  # housekeeping only: a connection a failed test left broken fails the next test, not this teardown


# ---------------------------------------------------------------- no silent skips
# A skipped test is a failing test: a missing fixture file, package or service must not turn the suite green.
# The one allowed skip is the browser suite on a machine without Chromium, and never under CI (.ci/run installs it).
# Tests marked `postgresql` need PostgreSQL's row locks; on SQLite they are deselected, not skipped, and run in the
# PostgreSQL pass of .ci/run.

ALLOWED_SKIP = "e2e: Chromium not found"


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgresql") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)


def pytest_sessionfinish(session, exitstatus):
    import os

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    in_ci = bool(os.environ.get("CI"))
    forbidden = [r for r in reporter.stats.get("skipped", []) if in_ci or ALLOWED_SKIP not in _skip_reason(r)]
    if forbidden:
        reporter.section("skipped tests count as failures", red=True)
        for report in forbidden:
            reporter.write_line(f"{report.nodeid}: {_skip_reason(report)}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
