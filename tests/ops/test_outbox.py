"""The task outbox: a year-end export asked for while the broker is down answers a page that says so (never a 500),
waits in the outbox, and is built once the broker is back; a stored task is sent once, however many senders race."""
import json

import kombu.pools
import pytest
from django.urls import reverse

from config.celery import app
from config.observability import set_request_id
from ops import outbox
from ops.models import OutboxMessage
from yearend.models import YearEndExport

DEAD_REDIS = "redis://127.0.0.1:6399/0"  # nothing listens here


def reset_producer_pool():
    """The Celery app keeps the producer pool of the broker it first published to, and kombu keeps its own pools
    per broker (which the app's producer pool is taken from); start from the current broker with fresh ones."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def eager(settings):
    # Read before the override: the app loads its configuration from the settings on first use, and would
    # otherwise remember the overridden True as the value to go back to.
    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_export_asked_while_the_broker_is_down_waits_and_runs_when_it_is_back(
        demo, client, media, settings, django_capture_on_commit_callbacks):
    client = demo.client_for(client, "zhengwei")
    good_broker = settings.CELERY_BROKER_URL
    settings.CELERY_BROKER_URL = DEAD_REDIS
    reset_producer_pool()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("yearend:index"), {"year": 2025}, follow=True)
        outbox.sweep()  # still down: nothing sent, the row stays
    finally:
        reset_producer_pool()

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("消息队列暂时不可用：本次申请已记录，队列恢复后自动开始生成，无需重复提交。") == 1
    assert 'data-testid="yearend-waiting"' in page
    export = YearEndExport.objects.get()
    assert export.status == YearEndExport.Status.QUEUED
    kept = OutboxMessage.objects.get()
    assert (kept.task, kept.args, kept.key, kept.attempts) == ("reports.year_end_export", [export.pk],
                                                              f"yearend:{export.pk}", 2)
    assert kept.last_error.startswith("OperationalError")
    status = json.loads(client.get(reverse("yearend:status", args=[export.pk])).content)
    assert status["waiting"] is True and status["status"] == "queued"

    settings.CELERY_BROKER_URL = good_broker
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    try:
        assert outbox.sweep() == 1
    finally:
        app.conf.task_always_eager = False
    export.refresh_from_db()
    assert export.status == YearEndExport.Status.DONE
    assert OutboxMessage.objects.count() == 0
    detail = client.get(reverse("yearend:detail", args=[export.pk])).content.decode()
    assert 'data-testid="yearend-waiting"' not in detail


def test_a_stored_task_is_sent_once_however_many_senders(db, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    monkeypatch.setattr(outbox, "_publish", lambda name, args, kwargs, request_id: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("ops.sweep_outbox", args=[1])

    assert sent == [("ops.sweep_outbox", [1])]
    assert outbox.dispatch(message.pk) is False  # gone: a late sweep or a second sender sends nothing
    assert outbox.sweep() == 0
    assert sent == [("ops.sweep_outbox", [1])]


def test_a_claimed_row_is_left_to_its_claimant(db, monkeypatch):
    sent = []
    monkeypatch.setattr(outbox, "_publish", lambda *args: sent.append(args))
    message = OutboxMessage.objects.create(task="ops.sweep_outbox")
    from django.utils import timezone

    assert outbox._claim(message.pk, timezone.now())
    assert outbox.dispatch(message.pk) is False
    assert outbox.sweep() == 0 and sent == []


def test_the_sweep_stops_at_the_first_failure_and_keeps_the_order(db, monkeypatch):
    tried = []

    def down(name, args, kwargs, request_id):
        tried.append(args)
        raise ConnectionRefusedError("Connection refused")

    rows = [OutboxMessage.objects.create(task="ops.sweep_outbox", args=[n]) for n in range(3)]
    monkeypatch.setattr(outbox, "_publish", down)
    assert outbox.sweep() == 0
    assert tried == [[0]]
    assert [r.attempts for r in OutboxMessage.objects.order_by("pk")] == [1, 0, 0]

    sent = []
    monkeypatch.setattr(outbox, "_publish", lambda name, args, kwargs, request_id: sent.append(args))
    assert outbox.sweep() == 3
    assert sent == [[0], [1], [2]] and not OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).exists()


def test_the_request_id_travels_with_the_stored_task(db, monkeypatch, django_capture_on_commit_callbacks):
    seen = []
    monkeypatch.setattr(outbox, "_publish", lambda name, args, kwargs, request_id: seen.append(request_id))
    token = set_request_id("req-42")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            outbox.enqueue("ops.sweep_outbox")
    finally:
        from config.observability import _request_id

        _request_id.reset(token)
    assert seen == ["req-42"]


def test_the_sweep_task_records_the_worker_heartbeat(db, monkeypatch):
    from ops.models import Heartbeat
    from ops.tasks import sweep_outbox

    monkeypatch.setattr(outbox, "_publish", lambda *args: None)
    OutboxMessage.objects.create(task="ops.sweep_outbox")
    assert sweep_outbox.apply().get() == 1
    assert Heartbeat.objects.filter(name__startswith="worker:").count() == 1


@pytest.mark.django_db(transaction=True)  # the outbox hands the task over when the view's transaction commits
def test_background_scoring_asked_while_the_broker_is_down_says_so_and_is_sent_when_it_is_back(
        demo, client, settings, monkeypatch):
    from tests.assessment.assessment_scenario import make_scheme

    scheme = make_scheme()
    wumin = demo.user("wumin")
    client = demo.client_for(client, "wumin")
    settings.CELERY_BROKER_URL = DEAD_REDIS
    reset_producer_pool()
    try:
        response = client.post(reverse("assessment:compute", args=[scheme.year]), {"background": "1"}, follow=True)
        again = client.post(reverse("assessment:compute", args=[scheme.year]), {"background": "1"}, follow=True)
    finally:
        reset_producer_pool()

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("消息队列暂时不可用：已记录本次计分，队列恢复后自动开始，无需重复提交。") == 1
    assert 'data-testid="assessment-waiting"' in page
    assert "已提交后台计分" not in page
    assert "计分已在进行中" in again.content.decode()  # a second click queues nothing more
    kept = OutboxMessage.objects.get()
    assert (kept.task, kept.args, kept.key, kept.attempts) == ("assessment.compute", [scheme.pk, wumin.pk],
                                                              f"assessment:{scheme.pk}", 1)
    assert kept.last_error.startswith("OperationalError")
    status = json.loads(client.get(reverse("assessment:status", args=[scheme.year])).content)
    assert status["waiting"] is True and status["progress"] == 0

    sent = []
    monkeypatch.setattr(outbox, "_publish", lambda name, args, kwargs, request_id: sent.append((name, args)))
    assert outbox.sweep() == 1
    assert sent == [("assessment.compute", [scheme.pk, wumin.pk])]
    page = client.get(reverse("assessment:scheme", args=[scheme.year])).content.decode()
    assert 'data-testid="assessment-waiting"' not in page
    assert json.loads(client.get(reverse("assessment:status", args=[scheme.year])).content)["waiting"] is False
