"""Year-end fixtures: the demo agency with the sample 2022 list and ledger, a year of reports in several states
at fixed dates, committee terms renewed on time, late and not at all, and organisational-life records.

Seeded once per module inside a transaction held open for the module (as tests/reports/conftest.py does);
each test runs in a savepoint that is rolled back."""
import datetime
import io

import pytest
from django.apps import apps
from django.db import transaction

from tests.conftest import Demo
from tests.reports.helpers import at, fill, seed_with_main_list, submit_complete
from tests.rectification.conftest import sample_ledger

YEAR = 2022
TODAY = datetime.date(2023, 1, 20)  # the year is over and December's reports are due
HYPERLINK = '=HYPERLINK("http://x","y")'

# (organisation, previous term elected, years, postponed to, new term elected or None)
TERM_HISTORY = [
    ("机关第三党支部", datetime.date(2019, 5, 10), 3, None, datetime.date(2022, 4, 28)),  # on time
    ("执法一支部", datetime.date(2019, 3, 1), 3, None, datetime.date(2022, 6, 15)),  # 106 days late
    ("市口岸服务中心党支部", datetime.date(2019, 8, 1), 3, datetime.date(2022, 12, 1), datetime.date(2022, 11, 20)),
    ("执法二支部", datetime.date(2019, 10, 1), 3, None, None),  # ended 2022-10-01, not renewed by the year's end
]


def _reports(demo):
    from reports.models import MonthlyReport
    from reports.services import (LineInput, monthly_report_accept, monthly_report_return, monthly_report_submit,
                                  monthly_reports_generate)

    for month in range(1, 13):
        with at(YEAR, month, 1, 0, 30):
            monthly_reports_generate(year=YEAR, month=month)
    zhengwei, gaofeng, wumin = demo.user("zhengwei"), demo.user("gaofeng"), demo.user("wumin")
    first, second, office = demo.org("机关第一党支部"), demo.org("机关第二党支部"), demo.org("办公室")

    def report(org, month):
        return MonthlyReport.objects.get(organisation=org, year=YEAR, month=month)

    with at(2022, 2, 3):  # January's, on time, then accepted
        submit_complete(report(first, 1), zhengwei)
    with at(2022, 2, 4):
        monthly_report_accept(actor=wumin, report=report(first, 1))
    with at(2022, 2, 10):  # five days late
        submit_complete(report(second, 1), gaofeng)
    with at(2022, 3, 5, 23, 30):  # on the due day itself: on time; then returned
        submit_complete(report(first, 2), zhengwei)
    with at(2022, 3, 7):
        monthly_report_return(actor=wumin, report=report(first, 2), reason="材料不全")
    with at(2022, 4, 2):  # March's from 办公室, on time, a line whose text looks like a formula
        fill(report(office, 3), zhengwei, line1=LineInput(status="in_progress", done_text=HYPERLINK,
                                                          problems="-待协调", next_steps="@下月完成"))
        monthly_report_submit(actor=zhengwei, report=report(office, 3))
    with at(2022, 5, 20):  # April's, 15 days late, its first line not started
        fill(report(second, 4), gaofeng, line1=LineInput(status="not_started", problems="暂无条件"))
        monthly_report_submit(actor=gaofeng, report=report(second, 4))
    with at(2023, 1, 4):  # December's, on time
        submit_complete(report(first, 12), zhengwei)


def _terms(demo):
    from branches.models import CommitteeTerm

    for name, elected, years, postponed, renewed in TERM_HISTORY:
        org = demo.org(name)
        CommitteeTerm.objects.create(organisation=org, elected_on=elected, years=years, postponed_to=postponed,
                                     note="上一届")
        if renewed:
            CommitteeTerm.objects.create(organisation=org, elected_on=renewed, years=years)


# (organisation, type codes, how many, status)
ORGLIFE = [
    ("中共示范市商务局党组", ["first_topic"], 11, "accepted"),
    ("中共示范市商务局党组", ["central_group"], 4, "accepted"),
    ("中共示范市商务局党组", ["integrity_talk"], 3, "accepted"),
    ("机关第一党支部", ["party_assembly", "theme_day"], 4, "accepted"),  # one meeting, two types
    ("机关第一党支部", ["branch_committee"], 12, "accepted"),
    ("机关第一党支部", ["party_lecture"], 4, "submitted"),
    ("机关第一党支部", ["heart_talk"], 6, "accepted"),
    ("机关第一党支部", ["branch_committee"], 2, "returned"),  # returned: not counted
    ("执法一支部", ["branch_committee"], 9, "accepted"),
    ("执法一支部", ["group_meeting"], 5, "accepted"),
]


def _orglife(demo):
    if not apps.is_installed("orglife"):
        return
    from orglife.models import Record, RecordType

    types = {t.code: t for t in RecordType.objects.all()}
    wumin = demo.user("wumin")
    for org_name, codes, count, status in ORGLIFE:
        org = demo.org(org_name)
        for i in range(count):
            record = Record.objects.create(organisation=org, date=datetime.date(YEAR, 1 + i % 12, 10 + i // 12),
                                           topic=f"{codes[0]}{i + 1}", status=status, created_by=wumin)
            record.types.set([types[c] for c in codes])
    # another year's record must not count
    Record.objects.create(organisation=demo.org("机关第一党支部"), date=datetime.date(2023, 1, 5), topic="次年",
                          created_by=wumin).types.set([types["branch_committee"]])


def seed_year():
    from rectification.services import rectification_ledger_import

    rlist = seed_with_main_list()
    demo = Demo()
    with sample_ledger().open("rb") as handle:
        rectification_ledger_import(actor=demo.user("wumin"), source=handle,
                                    file_name="rectification_ledger_2022.xlsx")
    _reports(demo)
    _terms(demo)
    _orglife(demo)
    return rlist


@pytest.fixture(scope="module")
def _seeded_year(django_db_setup, django_db_blocker):
    sample_ledger()  # skip before opening the transaction
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        rlist = seed_year()
    yield rlist
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_seeded_year, db):
    return Demo()


@pytest.fixture
def main_list(_seeded_year, db):
    return _seeded_year


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_workbook(ys):
    """Write the workbook to memory; returns (bytes, figures)."""
    from yearend.workbook import write_workbook

    out = io.BytesIO()
    figures = write_workbook(ys, out)
    return out.getvalue(), figures
