"""Helpers for the report tests: a frozen local clock, hand-built lists, a small PDF, the seed."""
import contextlib
import datetime
from zoneinfo import ZoneInfo

import time_machine

from branches.demo import seed_demo
from responsibility.models import Frequency, Item, ItemUnit, ListKind, ResponsibilityList
from responsibility.services import responsibility_list_import, responsibility_list_publish
from tests.conftest import DEMO_DAY, Demo
from tests.responsibility.conftest import sample

SHANGHAI = ZoneInfo("Asia/Shanghai")


def seed_with_main_list():
    """The demo agency and the sample 2022 list (25 items, 66 assignments), published by 吴敏."""
    path = sample("responsibility_list_2022.xlsx")
    seed_demo(today=DEMO_DAY)
    wumin = Demo().user("wumin")
    with path.open("rb") as handle:
        rlist = responsibility_list_import(actor=wumin, source=handle, year=2022,
                                           file_name="responsibility_list_2022.xlsx")
    return responsibility_list_publish(actor=wumin, rlist=rlist)


@contextlib.contextmanager
def at(year, month, day, hour=10, minute=0):
    """Freeze the clock at a local (Asia/Shanghai) moment."""
    moment = datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        yield moment


def make_list(*, actor, organisations, count, frequency=Frequency.MONTHLY, year=2022, kind=ListKind.DUAL,
              due_on=None, prefix="测试事项"):
    """Publish a list of `count` items, each assigned to every organisation given."""
    rlist = ResponsibilityList.objects.create(year=year, kind=kind, title=f"{year}年{prefix}清单", created_by=actor)
    items = Item.objects.bulk_create([
        Item(responsibility_list=rlist, position=i, seq=str(i), category="测试类别", content=f"{prefix}{i:02d}",
             deadline_text=str(frequency), frequency=frequency, final_due_on=due_on)
        for i in range(1, count + 1)])
    ItemUnit.objects.bulk_create([ItemUnit(item=item, organisation=org, position=n)
                                  for item in items for n, org in enumerate(organisations)])
    return responsibility_list_publish(actor=actor, rlist=rlist)


PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def fresh(report):
    """The report as stored now (services take the object the view fetched; tests refetch between steps)."""
    from reports.models import MonthlyReport

    return MonthlyReport.objects.get(pk=report.pk)


def fill(report, actor, status="done", text="已按计划完成", **by_position):
    """Save every line of the draft; `by_position={1: LineInput(...)}` overrides single lines (1-based)."""
    from reports.services import LineInput, monthly_report_save

    report = fresh(report)
    lines = list(report.lines.order_by("position", "id"))
    data = {line.pk: LineInput(status=status, done_text=text) for line in lines}
    for key, value in by_position.items():
        data[lines[int(key.removeprefix("line")) - 1].pk] = value
    return monthly_report_save(actor=actor, report=report, version=report.version, lines=data)


def submit_complete(report, actor):
    from reports.services import monthly_report_submit

    return monthly_report_submit(actor=actor, report=fill(report, actor))
