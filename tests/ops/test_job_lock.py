"""A year-end export whose worker died mid-run (SIGKILL) is taken over by the redelivered task at once on PostgreSQL
(the dead worker's advisory lock went with its connection); while a live worker holds it, nothing is taken."""
import datetime

import pytest
from django.db import connections
from django.utils import timezone

from ops.locks import YEAR_END_EXPORT
from yearend import jobs as yearend_services
from yearend.models import YearEndExport

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


@pytest.fixture
def running_export(django_user_model):
    user = django_user_model.objects.create_user("requester", password="x")
    started = timezone.now() - datetime.timedelta(seconds=30)
    return YearEndExport.objects.create(requested_by=user, year=2025, status=YearEndExport.Status.RUNNING,
                                        started_at=started, progress=40)


@pytest.fixture
def other_session():
    from django.db.backends.postgresql.base import DatabaseWrapper

    wrapper = DatabaseWrapper(dict(connections["default"].settings_dict), alias="other")
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    raw.autocommit = True
    yield raw
    raw.close()


def test_a_running_export_without_a_live_worker_is_taken_over(running_export, monkeypatch):
    built = []
    monkeypatch.setattr(yearend_services, "_build", lambda export_id, today: built.append(export_id) or True)

    assert yearend_services.year_end_export_run(export_id=running_export.pk) is True

    running_export.refresh_from_db()
    assert built == [running_export.pk]
    assert running_export.progress == 0 and running_export.started_at > timezone.now() - datetime.timedelta(seconds=5)


def test_a_live_worker_keeps_its_export(running_export, monkeypatch, other_session):
    built = []
    monkeypatch.setattr(yearend_services, "_build", lambda export_id, today: built.append(export_id) or True)
    with other_session.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [YEAR_END_EXPORT, running_export.pk])
        assert cursor.fetchone()[0] is True

    assert yearend_services.year_end_export_run(export_id=running_export.pk) is False
    running_export.refresh_from_db()
    assert built == [] and running_export.progress == 40
