"""A long list imports in a fixed number of queries: items, units and their audit rows are written in bulk, and the
audit trail still says who created which item."""
import io

import openpyxl
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from responsibility.models import Item, ItemUnit
from responsibility.services import responsibility_list_import

HEADER = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "责任单位", "完成时限", "完成标准", "佐证材料"]
UNITS = ["办公室", "机关党委、人事科", "财务科（牵头）、办公室（配合）", "各党支部"]
DEADLINES = ["每月", "每季度", "2022年6月底前", "长期坚持", "每半年"]


def long_list(n: int) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年主体责任清单"])
    ws.append(HEADER)
    for i in range(1, n + 1):
        ws.append([i, f"{'一二三四五'[i % 5]}、类别", f"第{i}项工作", "措施", "张建国", UNITS[i % len(UNITS)],
                   DEADLINES[i % len(DEADLINES)], "标准", "材料"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_500_row_list_imports_in_at_most_50_queries(demo, django_assert_max_num_queries):
    wumin = demo.user("wumin")
    data = long_list(500)
    with django_assert_max_num_queries(50):
        rlist = responsibility_list_import(actor=wumin, source=io.BytesIO(data), year=2022, file_name="长清单.xlsx")
    items = list(Item.objects.filter(responsibility_list=rlist).order_by("position"))
    assert len(items) == 500 and [i.content for i in items[:2]] == ["第1项工作", "第2项工作"]
    branches = demo.org("机关第一党支部").__class__.objects.filter(kind="branch", is_active=True).count()
    per_row = {0: 1, 1: 2, 2: 2, 3: branches}  # units named by row i % 4
    assert ItemUnit.objects.filter(item__responsibility_list=rlist).count() == sum(
        per_row[i % 4] for i in range(1, 501))
    lead = ItemUnit.objects.get(item=items[1], organisation__name="财务科")  # row 2: 财务科（牵头）
    assert lead.is_lead and not ItemUnit.objects.get(item=items[1], organisation__name="办公室").is_lead


def test_the_audit_trail_records_who_created_each_imported_item(demo):
    wumin = demo.user("wumin")
    rlist = responsibility_list_import(actor=wumin, source=io.BytesIO(long_list(30)), year=2022)
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Item),
                                      action=LogEntry.Action.CREATE)
    ids = set(Item.objects.filter(responsibility_list=rlist).values_list("pk", flat=True))
    assert {e.object_id for e in entries} == ids and len(entries) == 30
    assert {e.actor_id for e in entries} == {wumin.pk}
    entry = entries.get(object_id=min(ids))
    assert entry.object_repr == "1 第1项工作" and entry.changes["content"] == ["None", "第1项工作"]
