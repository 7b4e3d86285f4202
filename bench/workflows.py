"""Bench measurements of what staff do at scale: importing a 500-row list and publishing some 14,000 assignments,
each timed end to end with its queries counted, in the bench's own data set."""
from __future__ import annotations

import io
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

IMPORT_ROWS = 500
PUBLISH_UNITS = 174  # per item: 80 items × 174 units = 13,920 assignments
HEADER = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "责任单位", "完成时限", "完成标准", "佐证材料"]
DEADLINES = ["每月", "每季度", "长期坚持", "2031年6月底前", "每半年"]


def _list_file(unit_names: list[str]) -> io.BytesIO:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年基准导入清单"])
    ws.append(HEADER)
    for i in range(IMPORT_ROWS):
        units = "、".join(unit_names[(i * 3 + k) % len(unit_names)] for k in range(3))
        ws.append([i + 1, f"{'一二三四五'[i % 5]}、类别", f"导入事项{i + 1}", "按要求落实", "", units,
                   DEADLINES[i % len(DEADLINES)], "按期完成", "会议记录"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def measure_import(staff) -> dict:
    """A 500-row list imported through the service the upload page and the command call; rolled back after."""
    from branches.models import Organisation, OrgKind
    from responsibility.services import responsibility_list_import

    names = list(Organisation.objects.filter(kind=OrgKind.DEPARTMENT).order_by("pk").values_list("name", flat=True)[:60])
    source = _list_file(names)
    with transaction.atomic():
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            rlist = responsibility_list_import(actor=staff, source=source, year=2031, file_name="bench.xlsx")
        seconds = time.perf_counter() - start
        items = rlist.items.count()
        transaction.set_rollback(True)
    return {"seconds": seconds, "queries": len(ctx.captured_queries), "items": items}


def measure_publish(staff) -> dict:
    """A draft list of 80 items, each naming 174 units, published and committed (the deferred foreign-key checks
    run at commit, so they count); the list is removed afterwards."""
    from branches.models import Organisation, OrgKind
    from responsibility.models import Assignment, Item, ItemUnit, ResponsibilityList
    from responsibility.services import responsibility_list_publish

    units = list(Organisation.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.BRANCH]).order_by("pk")
                 .values_list("pk", flat=True)[:PUBLISH_UNITS * 4])
    rlist = ResponsibilityList.objects.create(year=2032, title="基准发布清单", created_by=staff)
    Item.objects.bulk_create([Item(responsibility_list=rlist, position=i + 1, content=f"发布事项{i + 1}",
                                   frequency="monthly") for i in range(80)])
    ItemUnit.objects.bulk_create([
        ItemUnit(item_id=item_id, organisation_id=units[(n * 7 + k) % len(units)], position=k)
        for n, item_id in enumerate(rlist.items.order_by("position").values_list("pk", flat=True))
        for k in range(PUBLISH_UNITS)], batch_size=5000)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        responsibility_list_publish(actor=staff, rlist=rlist)
    seconds = time.perf_counter() - start
    made = Assignment.objects.filter(item__responsibility_list=rlist).count()
    Assignment.objects.filter(item__responsibility_list=rlist).delete()
    ItemUnit.objects.filter(item__responsibility_list=rlist).delete()
    Item.objects.filter(responsibility_list=rlist).delete()
    ResponsibilityList.objects.filter(pk=rlist.pk).delete()
    return {"seconds": seconds, "queries": len(ctx.captured_queries), "assignments": made}
