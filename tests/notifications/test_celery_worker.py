"""Reminders through a real Celery worker (a subprocess) on a real broker, against the test database.

* a beat tick produces the notifications (a real `celery beat` whose clock reads 2022-06-06 08:29:58);
* a worker starting after the daily run time records and sends the day's reminders by itself;
* the scan sent twice, and three times at once to a worker with three processes, records one row per key;
* Redis stopped: the web pages keep working and committing a scan does not fail; Redis back: the next run
  delivers what was left pending;
* a worker SIGKILLed inside the scan's transaction: the message (acks_late) is redelivered to a new worker,
  which records every reminder once.

The broker is Redis (database 14 of the server on 127.0.0.1:6379 under a key prefix of the test's own, so
that test runs by several people at once do not meet; or a redis-server of the test's own for the outage
test) or kombu's filesystem transport in a temporary folder, as in the demo. Subprocesses get a settings
module derived from config.settings.test (the test's database, its broker, emails written to files), a
clock set by a `sitecustomize` hook (time-machine), so that their "today" is the one the test means, and
a hooks module (celery -I) described below. Every subprocess is killed at teardown.
"""
import contextlib
import datetime
import email
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from ops.models import OutboxMessage
from notifications.models import Delivery, DeliveryStatus, Reminder
from notifications.services import deliveries_send, reminders_scan
from reports.models import MonthlyReport, ReportStatus
from tests.conftest import Demo
from tests.notifications.helpers import LEADERS, at, escalated_keys, keys, reminder_keys, seed_may_2022

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
if not CELERY.exists():
    CELERY = Path(sys.executable).with_name("celery")
# The shared Redis, database 14 (never 0, which belongs to whoever runs the demo); TEST_REDIS_URL points
# the tests elsewhere (CI service, another port).
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
SHANGHAI = timezone.get_default_timezone()
STARTUP_TIMEOUT = 30
TASK_TIMEOUT = 30



# ---------------------------------------------------------------- hooks for the subprocesses

SITECUSTOMIZE = '''\
"""Test hook: start this process's clock at ZERENLIAN_TEST_CLOCK ("<ISO moment>@<real epoch>")."""
import os

_clock = os.environ.get("ZERENLIAN_TEST_CLOCK")
if _clock:
    import datetime
    import time

    import time_machine

    _moment, _anchor = _clock.rsplit("@", 1)
    _destination = datetime.datetime.fromisoformat(_moment) + datetime.timedelta(seconds=time.time() - float(_anchor))
    _traveller = time_machine.travel(_destination, tick=True)
    _traveller.start()
'''

# Imported by every worker of these tests (celery -I), before the worker is ready:
# * ZERENLIAN_NO_STARTUP_RUN: leave out config.celery's worker_ready run, so that what the worker records is
#   what the test sent it (the start-up run has a test of its own);
# * ZERENLIAN_SLOW_MARKER: the first scan that finds the marker file removes it, says so, and sleeps inside
#   its transaction (rows inserted, not committed) until the test kills the worker;
# * ZERENLIAN_SLOW_SEND_MARKER: the first delivery run sends one digest, then, with the second recipient's
#   deliveries claimed, removes the marker file, says so and sleeps until the test kills the worker.
WORKER_HOOKS = '''\
import os
import time

from celery.signals import task_prerun, worker_ready

if os.environ.get("ZERENLIAN_NO_STARTUP_RUN"):
    from config.celery import catch_up_on_start

    worker_ready.disconnect(catch_up_on_start)

MARKER = os.environ.get("ZERENLIAN_SLOW_MARKER")


@task_prerun.connect
def _slow_first_scan(task=None, **kwargs):
    if not MARKER or task is None or task.name != "notifications.scan_reminders":
        return
    from notifications import services

    if getattr(services, "_slowed_for_test", False):
        return
    original = services._plan_deliveries

    def slow(created):
        original(created)
        try:
            os.remove(MARKER)
        except FileNotFoundError:
            return
        with open(MARKER + ".entered", "w") as handle:
            handle.write(str(os.getpid()))
        time.sleep(120)

    services._plan_deliveries = slow
    services._slowed_for_test = True


SEND_MARKER = os.environ.get("ZERENLIAN_SLOW_SEND_MARKER")


@task_prerun.connect
def _stop_before_the_second_digest(task=None, **kwargs):
    if not SEND_MARKER or task is None or task.name != "notifications.deliver_reminders":
        return
    from notifications import services

    if getattr(services, "_send_slowed_for_test", False):
        return
    original, calls = services.send_digest, []

    def slow(user, reminders):
        calls.append(user)
        if len(calls) == 2 and os.path.exists(SEND_MARKER):
            os.remove(SEND_MARKER)
            with open(SEND_MARKER + ".entered", "w") as handle:
                handle.write(str(os.getpid()))
            time.sleep(120)
        original(user, reminders)

    services.send_digest = slow
    services._send_slowed_for_test = True
'''


def clock(moment: datetime.datetime, anchor: float | None = None) -> str:
    """The clock value for a subprocess: `moment` at the real time `anchor` (default: now)."""
    return f"{moment.isoformat()}@{time.time() if anchor is None else anchor}"


def database_url() -> str:
    """The test database (as pytest-django set it up) as a DATABASE_URL for the subprocesses."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if connection.is_in_memory_db():
            pytest.skip("the test database is in memory: a worker cannot open it")
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db.get("PASSWORD"):
            auth += ":" + quote(db["PASSWORD"], safe="")
        return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    pytest.skip(f"no worker test for {db['ENGINE']}")


class Broker:
    """Where tasks go: a Redis URL or a filesystem queue folder; used by the test and its subprocesses."""

    def __init__(self, url: str, options: dict):
        self.url, self.options = url, options

    @classmethod
    def filesystem(cls, folder: Path) -> "Broker":
        for name in ("queue", "processed", "control"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        return cls("filesystem://", {"data_folder_in": str(folder / "queue"),
                                     "data_folder_out": str(folder / "queue"),
                                     "processed_folder": str(folder / "processed"),
                                     "control_folder": str(folder / "control"),
                                     "store_processed": False, "polling_interval": 0.1})

    @classmethod
    def redis(cls, url: str, **extra) -> "Broker":
        return cls(url, {"socket_connect_timeout": 3, "socket_timeout": 5, **extra})

    def with_options(self, **extra) -> "Broker":
        return Broker(self.url, {**self.options, **extra})

    @property
    def is_redis(self) -> bool:
        return self.url.startswith("redis://")


class Harness:
    """Starts workers and beat as subprocesses for one test, and kills every one of them at the end."""

    def __init__(self, root: Path):
        self.root = root
        self.hooks = root / "hooks"
        self.hooks.mkdir()
        (self.hooks / "sitecustomize.py").write_text(SITECUSTOMIZE)
        (self.hooks / "zerenlian_worker_hooks.py").write_text(WORKER_HOOKS)
        self.mail_dir = root / "mail"
        self.mail_dir.mkdir()
        self.processes: list[Process] = []

    def env(self, broker: Broker, name: str, moment: datetime.datetime, anchor=None, **extra) -> dict:
        module = f"zerenlian_test_settings_{name}"
        (self.hooks / f"{module}.py").write_text(
            "from config.settings.test import *  # noqa: F401,F403\n"
            f"CELERY_BROKER_URL = {broker.url!r}\n"
            f"CELERY_BROKER_TRANSPORT_OPTIONS = {broker.options!r}\n"
            "EMAIL_BACKEND = 'django.core.mail.backends.filebased.EmailBackend'\n"
            f"EMAIL_FILE_PATH = {str(self.mail_dir)!r}\n")
        env = {key: value for key, value in os.environ.items()
               if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL", "PYTEST_CURRENT_TEST"}}
        env.update(DJANGO_SETTINGS_MODULE=module, DATABASE_URL=database_url(), PYTHONUNBUFFERED="1",
                   PYTHONPATH=os.pathsep.join([str(self.hooks), str(BASE_DIR)]),
                   ZERENLIAN_TEST_CLOCK=clock(moment, anchor), LOG_LEVEL="INFO", **extra)
        if broker.is_redis:
            env["REDIS_URL"] = broker.url
        return env

    def worker(self, broker: Broker, *, name="w", moment=None, anchor=None, pool="solo", concurrency=1,
               startup_run=False, env=None) -> "Process":
        moment = moment or datetime.datetime(2022, 6, 6, 7, 0, tzinfo=SHANGHAI)  # before the 08:30 daily run
        command = [str(CELERY), "-A", "config", "worker", "--pool", pool, "--concurrency", str(concurrency),
                   "-l", "info", "-n", f"{name}-{uuid.uuid4().hex[:8]}@%h", "-I", "zerenlian_worker_hooks",
                   "--without-mingle", "--without-gossip", "--without-heartbeat"]
        env = dict(env or {})
        if not startup_run:
            env["ZERENLIAN_NO_STARTUP_RUN"] = "1"
        process = Process(name, command, self.env(broker, name, moment, anchor, **env), self.root)
        self.processes.append(process)
        process.wait_for("ready.", STARTUP_TIMEOUT)
        return process

    def beat(self, broker: Broker, moment: datetime.datetime, scheduler="celery.beat:Scheduler") -> "Process":
        command = [str(CELERY), "-A", "config", "beat", "-S", scheduler, "--max-interval", "1",
                   "-l", "info", "--pidfile", str(self.root / "beat.pid"), "-s", str(self.root / "beat-schedule")]
        process = Process("beat", command, self.env(broker, "beat", moment), self.root)
        self.processes.append(process)
        return process

    def emails(self) -> list[email.message.Message]:
        found = []
        for path in sorted(self.mail_dir.iterdir()):
            for chunk in path.read_text().split("-" * 79):
                if chunk.strip():
                    found.append(email.message_from_string(chunk.strip()))
        return found

    def close(self):
        for process in self.processes:
            process.kill()


class Process:
    def __init__(self, name, command, env, root: Path):
        self.name = name
        self.log_path = root / f"{name}-{uuid.uuid4().hex[:6]}.log"
        self.log = self.log_path.open("wb")
        self.popen = subprocess.Popen(command, cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    @property
    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.popen.returncode}):\n{self.output[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: no {text!r} within {timeout}s:\n{self.output[-3000:]}")
            time.sleep(0.1)

    def wait_for_tasks(self, task_ids, timeout=TASK_TIMEOUT) -> dict[str, str]:
        """Wait until each task has finished on this worker; returns each task's logged return value."""
        results = {}
        deadline = time.monotonic() + timeout
        while True:
            text = self.output
            for task_id in task_ids:
                if f"[{task_id}] raised" in text:
                    raise AssertionError(f"task {task_id} failed:\n{text[-3000:]}")
                marker = f"[{task_id}] succeeded in "
                if marker in text:
                    results[task_id] = text.split(marker, 1)[1].splitlines()[0].split(": ", 1)[1]
            if len(results) == len(task_ids):
                return results
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: tasks {set(task_ids) - set(results)} did not finish "
                                     f"(exit {self.popen.poll()}):\n{text[-3000:]}")
            time.sleep(0.1)

    def kill(self):
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)  # the worker and its pool processes, nothing else
            self.popen.wait(timeout=10)
        self.log.close()


@pytest.fixture
def harness(tmp_path, transactional_db):
    """Depends on transactional_db so that the subprocesses are killed before the database is flushed."""
    harness = Harness(tmp_path)
    try:
        yield harness
    finally:
        harness.close()


# ---------------------------------------------------------------- brokers

def redis_available(url=TEST_REDIS_URL) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def redis_db14():
    """Database 14 of the Redis on 127.0.0.1:6379 (TEST_REDIS_URL), under a key prefix of this test's own.

    The prefix (kombu's global_keyprefix) keeps test runs that happen at the same time (several people
    share this machine and its Redis) out of each other's queues; the test's keys are deleted before and
    after, and nothing else is touched."""
    if not redis_available():
        pytest.skip(f"no Redis server at {TEST_REDIS_URL}")
    import redis

    prefix = f"zerenlian-test-{uuid.uuid4().hex[:12]}:"
    client = redis.Redis.from_url(TEST_REDIS_URL)

    def clear():
        for key in client.scan_iter(match=f"{prefix}*", count=500):
            client.delete(key)

    clear()
    try:
        yield Broker.redis(TEST_REDIS_URL, global_keyprefix=prefix)
    finally:
        clear()
        client.close()


@pytest.fixture(params=["filesystem", "redis"])
def broker(request, tmp_path):
    if request.param == "redis":
        return request.getfixturevalue("redis_db14")
    return Broker.filesystem(tmp_path / "queue")


def _reset_connections(app):
    """Drop the app's broker connections (and kombu's shared pools), so the next send uses the new broker."""
    from kombu import pools

    pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextlib.contextmanager
def app_on(broker: Broker):
    """Point the project's Celery app (config.celery.app) in this process at the test's broker.

    Tasks really go through the broker (not eagerly, whatever an earlier test left behind); afterwards the
    app reads its configuration from the Django settings again."""
    from config.celery import app

    values = {"broker_url": broker.url, "broker_transport_options": broker.options, "task_always_eager": False}
    changes = app.conf.changes
    missing = object()
    saved = {key: changes.get(key, missing) for key in values}
    app.conf.update(values)
    _reset_connections(app)
    try:
        yield app
    finally:
        _reset_connections(app)
        for key, value in saved.items():
            if value is missing:
                changes.pop(key, None)
            else:
                changes[key] = value


def wait_until(condition, timeout=TASK_TIMEOUT, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def all_delivered():
    return Delivery.objects.exists() and not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def one_email_each(harness) -> set[str]:
    recipients = [message["To"] for message in harness.emails()]
    assert len(recipients) == len(set(recipients)), sorted(recipients)
    return set(recipients)


LEADER_ADDRESSES = {f"{user}@demo.zerenlian.local" for users in LEADERS.values() for user in users}


# ---------------------------------------------------------------- (a) a beat tick

@pytest.mark.django_db(transaction=True)
def test_a_beat_tick_produces_the_notifications(harness, broker):
    seed_may_2022()
    worker = harness.worker(broker)  # its clock reads 2022-06-06 07:00
    assert Reminder.objects.count() == 0
    beat = harness.beat(broker, datetime.datetime(2022, 6, 6, 8, 29, 58, tzinfo=SHANGHAI))
    beat.wait_for("Sending due task scan-reminders-daily (notifications.scan_reminders)", 20)
    wait_until(lambda: Reminder.objects.count() == 17 and all_delivered(), what="the beat's scan")
    assert reminder_keys(Reminder.objects.all()) == keys("overdue_1")
    assert set(Reminder.objects.values_list("on_date", flat=True)) == {datetime.date(2022, 6, 6)}
    assert one_email_each(harness) == LEADER_ADDRESSES
    assert "Task notifications.scan_reminders" in worker.output
    beat.kill()


@pytest.mark.django_db(transaction=True)
def test_a_worker_starting_after_the_daily_run_catches_up_by_itself(harness, tmp_path):
    """The worker_ready hook of config/celery.py: a worker back at 09:00 after an outage records and sends
    the day's reminders without waiting for the next scheduled run."""
    seed_may_2022()
    broker = Broker.filesystem(tmp_path / "queue")
    worker = harness.worker(broker, moment=datetime.datetime(2022, 6, 6, 9, 0, tzinfo=SHANGHAI), startup_run=True)
    wait_until(lambda: Reminder.objects.count() == 17 and all_delivered(), what="the start-up run")
    assert reminder_keys(Reminder.objects.all()) == keys("overdue_1")
    assert one_email_each(harness) == LEADER_ADDRESSES
    assert "Task notifications.scan_reminders" in worker.output


@pytest.mark.django_db(transaction=True)
def test_a_beat_down_for_a_day_sends_each_missed_task_once_when_it_is_back(harness, tmp_path):
    """The production scheduler (config.beat.LockedScheduler) keeps each task's last run in its schedule file:
    a beat that crashed just after the monthly run and comes back a day and a half later sends every periodic
    task it missed once, and not the monthly run it had already sent."""
    broker = Broker.filesystem(tmp_path / "queue")
    first = harness.beat(broker, datetime.datetime(2022, 6, 1, 0, 29, 58, tzinfo=SHANGHAI),
                         scheduler="config.beat:LockedScheduler")
    first.wait_for("Sending due task generate-monthly-reports (reports.generate_monthly_reports)", STARTUP_TIMEOUT)
    # Beat logs the send before it records it (beat_sync_every=1 syncs right after); a kill between the two is a
    # crash mid-send, which sends it again on restart. Two more ticks (--max-interval 1) and it is recorded.
    time.sleep(2)
    first.kill()  # a crash (SIGKILL): no orderly shutdown writes the schedule file

    second = harness.beat(broker, datetime.datetime(2022, 6, 2, 10, 0, tzinfo=SHANGHAI),
                          scheduler="config.beat:LockedScheduler")
    second.wait_for("Sending due task scan-reminders-daily (notifications.scan_reminders)", STARTUP_TIMEOUT)
    # Missed since 06-01 00:30: the daily scans of 06-01 and 06-02 08:30 (sent once), the 07:00 report catch-up,
    # the hourly scan (:15) and the outbox sweep (60 s); not missed: the monthly run of the 1st, already sent.
    missed = {"generate-monthly-reports-catch-up", "scan-reminders-daily", "scan-reminders-hourly", "sweep-outbox"}
    wait_until(lambda: all(f"Sending due task {name} " in second.output for name in missed), STARTUP_TIMEOUT,
               "every missed task")
    time.sleep(3)  # three more ticks (--max-interval 1): a task sent twice would show now
    sent = [line.split("Sending due task ", 1)[1].split()[0] for line in second.output.splitlines()
            if "Sending due task " in line]
    assert missed <= set(sent)
    assert len(sent) == len(set(sent)), sorted(sent)
    assert "generate-monthly-reports" not in sent
    second.kill()


# ---------------------------------------------------------------- (b) twice, and three at once

@pytest.mark.django_db(transaction=True)
def test_the_scan_sent_twice_and_three_times_at_once_records_one_row_per_key(harness, broker):
    seed_may_2022()
    expected = keys("overdue_7") | escalated_keys()
    worker = harness.worker(broker, pool="prefork", concurrency=3)
    with app_on(broker) as app:
        results = [app.send_task("notifications.scan_reminders", kwargs={"date": "2022-06-12"}) for _ in range(3)]
        created = worker.wait_for_tasks([r.id for r in results])
        assert sorted(created.values()) == ["0", "0", str(len(expected))]  # one run recorded them all
        again = app.send_task("notifications.scan_reminders", kwargs={"date": "2022-06-12"})
        assert worker.wait_for_tasks([again.id]) == {again.id: "0"}
    assert Reminder.objects.count() == len(expected)
    assert reminder_keys(Reminder.objects.all()) == expected
    assert Delivery.objects.count() == len(expected)  # every user of the demo has an address
    wait_until(all_delivered, what="deliveries")
    recipients = {user for _org, _stage, user in expected}
    assert one_email_each(harness) == {f"{user}@demo.zerenlian.local" for user in recipients}


# ---------------------------------------------------------------- (c) Redis stopped

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own (no persistence), which the test may stop and start again."""

    def __init__(self, root: Path):
        self.port = free_port()
        self.root = root
        self.popen = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.popen = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        wait_until(lambda: redis_available(self.url), timeout=10, what="redis-server")

    def stop(self):
        if self.popen and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=10)
        wait_until(lambda: not redis_available(self.url), timeout=10, what="redis-server to stop")


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def submit_by_form(client, report):
    """What 郑伟 does in the browser: fill every line and press 提交."""
    data = {"version": report.version, "submit": "1"}
    for line in report.lines.all():
        data[f"line-{line.pk}-status"] = "done"
        data[f"line-{line.pk}-done_text"] = "已按要求完成。"
    return client.post(f"/reports/{report.pk}/", data)


@pytest.mark.django_db(transaction=True)
def test_redis_stopped_pages_keep_working_and_the_next_run_catches_up(own_redis, harness, client):
    seed_may_2022()
    broker = Broker.redis(own_redis.url)
    worker = harness.worker(broker)
    client.force_login(Demo().user("zhengwei"))  # 办公室主任
    with app_on(broker) as app:
        assert client.get("/healthz").status_code == 200
        own_redis.stop()

        assert client.get("/").status_code == 200
        assert client.get("/notifications/").status_code == 200
        office = MonthlyReport.objects.get(organisation__name="办公室", year=2022, month=5)
        with at(2022, 6, 6, 8):
            response = submit_by_form(client, office)
        assert response.status_code == 302
        assert MonthlyReport.objects.get(pk=office.pk).status == ReportStatus.SUBMITTED
        health = client.get("/healthz")
        assert health.status_code == 503 and json.loads(health.content) == {"status": "error"}

        # The day's scan (here run by hand, as `manage.py send_reminders` would) commits its rows; enqueuing
        # their delivery after commit fails, is logged, and does not hold the caller.
        started = time.monotonic()
        with at(2022, 6, 6, 8, 30):
            created = reminders_scan(today=datetime.date(2022, 6, 6)).created
        assert time.monotonic() - started < 10
        # Both deliveries (the submit's and the scan's) wait in the outbox, each tried once.
        assert list(OutboxMessage.objects.values_list("task", "attempts")) == [
            ("notifications.deliver_reminders", 1), ("notifications.deliver_reminders", 1)]
        others = set(LEADERS) - {"办公室"}
        assert reminder_keys(created) == keys("overdue_1", others)
        assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}

        own_redis.start()
        # The next scheduled run (the hourly catch-up or tomorrow's) delivers what was left pending.
        result = app.send_task("notifications.scan_reminders", kwargs={"date": "2022-06-06"})
        assert worker.wait_for_tasks([result.id], timeout=40) == {result.id: "0"}
        assert client.get("/healthz").status_code == 200
    assert all_delivered()
    # 16 reminders from the scan, and the submit's notice to the two reviewers (党建办 staff).
    assert Reminder.objects.exclude(stage__startswith="ev:").count() == 16
    notices = Reminder.objects.filter(stage__startswith="ev:")
    reviewers = {f"{name}@demo.zerenlian.local" for name in notices.values_list("recipient__username", flat=True)}
    assert notices.count() == 2 and reviewers == {"wumin@demo.zerenlian.local", "sunli@demo.zerenlian.local"}
    assert one_email_each(harness) == reviewers | {f"{user}@demo.zerenlian.local"
                                       for org in others for user in LEADERS[org]}


# ---------------------------------------------------------------- (d) a worker killed mid-run

@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_is_redelivered_and_still_one_per_key(harness, redis_db14, tmp_path):
    seed_may_2022()
    expected = keys("overdue_7") | escalated_keys()
    marker = tmp_path / "slow-once"
    marker.write_text("")
    timeline = (datetime.datetime(2022, 6, 12, 7, 0, tzinfo=SHANGHAI), time.time())  # one clock for both workers
    first = harness.worker(redis_db14, name="first", moment=timeline[0], anchor=timeline[1],
                           env={"ZERENLIAN_SLOW_MARKER": str(marker)})
    with app_on(redis_db14) as app:
        result = app.send_task("notifications.scan_reminders", kwargs={"date": "2022-06-12"})
        wait_until(lambda: Path(f"{marker}.entered").exists(), what="the scan to reach its transaction")
        fetched_at = time.monotonic()
        os.kill(first.popen.pid, signal.SIGKILL)  # mid-run: rows inserted, transaction not committed
        first.popen.wait(timeout=10)
        assert Reminder.objects.count() == 0  # the killed transaction left nothing behind
        assert f"[{result.id}] succeeded" not in first.output

        # Unacknowledged (acks_late), the message is handed out again once its visibility timeout has passed:
        # a new worker started after that restores it and runs the scan.
        visibility = 2
        time.sleep(max(0.0, visibility + 0.5 - (time.monotonic() - fetched_at)))
        second = harness.worker(redis_db14.with_options(visibility_timeout=visibility, unacked_restore_interval=60,
                                                        unacked_restore_throttle=1),
                                name="second", moment=timeline[0], anchor=timeline[1])
        created = second.wait_for_tasks([result.id])
    assert created == {result.id: str(len(expected))}
    assert Reminder.objects.count() == len(expected)
    assert reminder_keys(Reminder.objects.all()) == expected
    wait_until(all_delivered, what="deliveries")
    assert Delivery.objects.count() == len(expected)
    recipients = {user for _org, _stage, user in expected}
    assert one_email_each(harness) == {f"{user}@demo.zerenlian.local" for user in recipients}


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_is_redelivered_and_nobody_gets_a_digest_twice(harness, redis_db14, tmp_path,
                                                                                    settings):
    seed_may_2022()
    expected = keys("overdue_7") | escalated_keys()
    recipients = {f"{user}@demo.zerenlian.local" for _org, _stage, user in expected}
    marker = tmp_path / "slow-send"
    marker.write_text("")
    timeline = (datetime.datetime(2022, 6, 12, 7, 0, tzinfo=SHANGHAI), time.time())  # one clock for both workers
    first = harness.worker(redis_db14, name="first", moment=timeline[0], anchor=timeline[1],
                           env={"ZERENLIAN_SLOW_SEND_MARKER": str(marker)})
    with app_on(redis_db14):
        with at(2022, 6, 12, 7, 0):
            created = reminders_scan(today=datetime.date(2022, 6, 12)).created  # queues the delivery on commit
        assert reminder_keys(created) == expected
        wait_until(lambda: Path(f"{marker}.entered").exists(), what="the second digest of the delivery run")
        fetched_at = time.monotonic()
        os.kill(first.popen.pid, signal.SIGKILL)  # one digest sent, the next recipient's deliveries claimed
        first.popen.wait(timeout=10)
        [mailed] = [message["To"] for message in harness.emails()]
        statuses = dict(Delivery.objects.values_list("status").annotate(n=Count("pk")))
        sent_first = Delivery.objects.filter(status=DeliveryStatus.SENT, reminder__recipient__email=mailed).count()
        assert statuses[DeliveryStatus.SENT] == sent_first
        claimed = Delivery.objects.filter(status=DeliveryStatus.SENDING)
        [stuck] = set(claimed.values_list("reminder__recipient__email", flat=True))
        assert statuses[DeliveryStatus.PENDING] == len(expected) - sent_first - claimed.count()

        # Unacknowledged (acks_late), the delivery task is handed to a new worker once its visibility timeout has
        # passed; it sends every pending digest and leaves the claimed one, which may have gone out, alone.
        visibility = 2
        time.sleep(max(0.0, visibility + 0.5 - (time.monotonic() - fetched_at)))
        second = harness.worker(redis_db14.with_options(visibility_timeout=visibility, unacked_restore_interval=60,
                                                        unacked_restore_throttle=1),
                                name="second", moment=timeline[0], anchor=timeline[1])
        second.wait_for("Task notifications.deliver_reminders[", TASK_TIMEOUT)
        second.wait_for("] succeeded in", TASK_TIMEOUT)
    assert one_email_each(harness) == recipients - {stuck}
    assert set(Delivery.objects.exclude(reminder__recipient__email=stuck).values_list("status", flat=True)) == {
        DeliveryStatus.SENT}

    # Once the claim is older than STUCK_AFTER (10 minutes), the next delivery run sends that digest, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(harness.mail_dir)
    deliveries_send(now=timezone.make_aware(datetime.datetime(2022, 6, 12, 7, 30), SHANGHAI))
    assert one_email_each(harness) == recipients
    assert Delivery.objects.count() == len(expected)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


# ---------------------------------------------------------------- the Celery configuration itself

def test_celery_configuration():
    from config.celery import app

    conf = app.conf
    assert (conf.task_serializer, conf.result_serializer, conf.accept_content) == ("json", "json", ["json"])
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.timezone == "Asia/Shanghai"
    schedule = conf.beat_schedule
    daily, hourly = schedule["scan-reminders-daily"], schedule["scan-reminders-hourly"]
    assert daily["task"] == hourly["task"] == "notifications.scan_reminders"
    assert (daily["schedule"].hour, daily["schedule"].minute) == ({8}, {30})
    assert (hourly["schedule"].hour, hourly["schedule"].minute) == (set(range(24)), {15})
    assert hourly["kwargs"] == {"catch_up": True}
    assert "notifications.scan_reminders" in app.tasks
    assert "notifications.deliver_reminders" in app.tasks


@pytest.mark.django_db
def test_hourly_catch_up_only_delivers_before_the_daily_run(monkeypatch):
    from notifications import tasks

    calls = []
    monkeypatch.setattr(tasks, "reminders_scan", lambda today: calls.append(("scan", today)) or _Result())
    monkeypatch.setattr(tasks, "deliveries_send", lambda: calls.append(("send",)))
    with at(2022, 6, 6, 8, 15):
        assert tasks.scan_reminders(catch_up=True) == 0
    assert calls == [("send",)]
    calls.clear()
    with at(2022, 6, 6, 9, 15):
        tasks.scan_reminders(catch_up=True)
    assert calls == [("scan", datetime.date(2022, 6, 6)), ("send",)]
    calls.clear()
    with at(2022, 6, 6, 8, 30):
        tasks.scan_reminders()
    assert calls == [("scan", datetime.date(2022, 6, 6)), ("send",)]
    calls.clear()
    with at(2022, 6, 7, 0, 5):
        tasks.scan_reminders(date="2022-06-06")  # an explicit date, as the tests and a replay send it
    assert calls == [("scan", datetime.date(2022, 6, 6)), ("send",)]


class _Result:
    created = ()
