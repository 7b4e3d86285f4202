"""The monthly generation task: a thin adapter over monthly_reports_generate, scheduled in config/celery.py."""
from celery.schedules import crontab

from config.celery import app
from reports.models import MonthlyReport
from reports.tasks import generate_monthly_reports
from tests.reports.helpers import at


def test_task_creates_this_months_reports_on_the_first_just_after_midnight_local_time(demo):
    # 00:30 on 1 May in Shanghai is still 30 April in UTC: the month must be May.
    with at(2022, 5, 1, 0, 30):
        result = generate_monthly_reports.apply()

    assert result.successful()
    assert result.get() == 17
    assert set(MonthlyReport.objects.values_list("year", "month")) == {(2022, 5)}
    branch = MonthlyReport.objects.get(organisation=demo.org("机关第一党支部"))
    assert list(branch.lines.values_list("assignment__item__position", flat=True)) == [11, 12]


def test_task_run_again_creates_nothing_more(demo):
    with at(2022, 6, 1, 0, 30):
        first = generate_monthly_reports()
    with at(2022, 6, 15, 7):  # the daily catch-up run
        again = generate_monthly_reports()

    assert (first, again) == (MonthlyReport.objects.count(), 0)
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {6}


def test_task_takes_an_explicit_month(demo):
    with at(2022, 5, 1):
        assert generate_monthly_reports.apply(kwargs={"year": 2022, "month": 12}).get() > 0
    assert set(MonthlyReport.objects.values_list("year", "month")) == {(2022, 12)}


def test_beat_schedule_runs_generation_on_the_first_and_daily():
    app.loader.import_default_modules()
    assert "reports.generate_monthly_reports" in app.tasks
    schedules = {name: entry["schedule"] for name, entry in app.conf.beat_schedule.items()
                 if entry["task"] == "reports.generate_monthly_reports"}

    assert schedules == {
        "generate-monthly-reports": crontab(minute=30, hour=0, day_of_month=1),
        "generate-monthly-reports-catch-up": crontab(minute=0, hour=7),
    }
    assert app.conf.timezone == "Asia/Shanghai"
