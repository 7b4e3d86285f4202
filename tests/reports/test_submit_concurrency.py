"""Two submits of one report at the same moment produce one submission (PostgreSQL: real row locks).

In its own module because it is transactional: pytest-django runs transactional tests right after the
others, and the report modules' shared seed (an open transaction) must be closed by then.
"""
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from reports import services
from reports.models import MonthlyReport, ReportEvent
from reports.services import monthly_report_submit, monthly_reports_generate
from tests.conftest import Demo
from tests.reports.helpers import fill, seed_with_main_list

BRANCH = "机关第一党支部"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_on_postgresql_make_one_submission():
    # Both threads pass every check, then meet at the barrier and race to the conditional UPDATE.
    seed_with_main_list()
    monthly_reports_generate(year=2022, month=5)
    report = MonthlyReport.objects.get(organisation__name=BRANCH, year=2022, month=5)
    fill(report, Demo().user("zhengwei"))
    barrier = threading.Barrier(2, timeout=10)
    real_problems = services.submission_problems
    outcomes = []

    def problems_then_wait(report):
        found = real_problems(report)
        barrier.wait()
        return found

    def submit():
        try:
            monthly_report_submit(actor=Demo().user("zhengwei"), report=MonthlyReport.objects.get(pk=report.pk))
            outcomes.append("submitted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    with mock.patch.object(services, "submission_problems", problems_then_wait):
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)

    assert sorted(outcomes) == ["refused", "submitted"]
    assert ReportEvent.objects.filter(report=report, action=ReportEvent.Action.SUBMITTED).count() == 1
    assert MonthlyReport.objects.get(pk=report.pk).version == 3  # one save, one submission
