"""The staff import page: upload → preview (dry run) → confirm; errors shown, nothing written."""
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from responsibility.models import Assignment, Item, ItemUnit, ResponsibilityList
from tests.responsibility.conftest import sample

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def counts():
    return (ResponsibilityList.objects.count(), Item.objects.count(), ItemUnit.objects.count(),
            Assignment.objects.count())


def upload(client, data: bytes, name="清单.xlsx", **fields):
    payload = {"year": 2022, "kind": "main", "title": "", **fields,
               "file": SimpleUploadedFile(name, data, content_type=XLSX)}
    return client.post(reverse("responsibility:import"), payload)


def test_preview_then_confirm_imports_the_sample(demo, client):
    demo.client_for(client, "wumin")
    before = counts()
    preview = upload(client, sample("responsibility_list_2022.xlsx").read_bytes(), name="2022年主体责任清单.xlsx")
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert plan.ok and len(plan.items) == 25 and plan.assignment_count == 66
    assert dict(plan.by_frequency) == {"每月": 3, "每季度": 4, "每半年": 5, "全年": 1, "限期完成": 9, "长期坚持": 3}
    assert counts() == before  # the preview writes nothing
    text = preview.content.decode()
    assert "确认导入" in text and "2022年主体责任清单.xlsx" in text

    done = client.post(reverse("responsibility:import_confirm"), {
        "token": preview.context["token"], "year": 2022, "kind": "main", "title": "2022年党组主体责任清单"})
    rlist = ResponsibilityList.objects.get()
    assert done.status_code == 302 and done.url == reverse("responsibility:detail", args=[rlist.pk])
    assert rlist.items.count() == 25 and rlist.status == "draft" and rlist.source_file == "2022年主体责任清单.xlsx"

    published = client.post(reverse("responsibility:publish", args=[rlist.pk]))
    assert published.status_code == 302
    assert Assignment.objects.filter(item__responsibility_list=rlist).count() == 66


def test_preview_lists_row_errors_and_offers_no_confirm(demo, client):
    wb = Workbook()
    ws = wb.active
    ws.append(["2022年清单"])
    ws.append(["序号", "责任类别", "责任内容", "责任单位", "完成时限"])
    ws.append([1, "一、政治建设", "学习", "办工室", "每月"])
    ws.append([2, "一、政治建设", "教育", "机关党委", "下个阶段"])
    buffer = io.BytesIO()
    wb.save(buffer)
    demo.client_for(client, "wumin")
    before = counts()
    response = upload(client, buffer.getvalue())
    plan = response.context["plan"]
    assert [(e.row, e.column) for e in plan.errors] == [(3, "D"), (4, "E")]
    assert "办公室" in plan.errors[0].suggestions
    text = response.content.decode()
    assert "发现 2 处错误" in text and 'name="token"' not in text
    assert "<th>可能应为</th>" in text and "<th>是否为</th>" not in text  # the column lists suggested values
    assert counts() == before


def test_confirm_with_unknown_token_changes_nothing(demo, client):
    demo.client_for(client, "wumin")
    before = counts()
    response = client.post(reverse("responsibility:import_confirm"),
                           {"token": "0" * 32, "year": 2022, "kind": "main"})
    assert response.status_code == 302 and response.url == reverse("responsibility:import")
    assert counts() == before


def test_non_excel_upload_is_refused_on_the_form(demo, client):
    demo.client_for(client, "wumin")
    response = upload(client, b"hello", name="notes.txt")
    assert response.status_code == 200
    assert "xlsx" in response.content.decode()
    renamed = upload(client, b"not really excel", name="伪装.xlsx")
    assert renamed.context["plan"].errors and not renamed.context["plan"].items
    assert "不是有效的 Excel" in renamed.content.decode()


def test_secretary_cannot_import_or_publish(demo, client, main_list):
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("responsibility:import")).status_code == 403
    assert upload(client, sample("responsibility_list_2022.xlsx").read_bytes()).status_code == 403
    assert client.post(reverse("responsibility:revise", args=[main_list.pk])).status_code == 403


def test_export_then_import_gives_the_same_items(demo, client, main_list):
    demo.client_for(client, "wumin")
    exported = client.get(reverse("responsibility:export", args=[main_list.pk]))
    assert exported.status_code == 200 and exported["Content-Type"] == XLSX
    preview = upload(client, exported.content, kind="dual")
    plan = preview.context["plan"]
    assert plan.ok, [str(e) for e in plan.errors]
    fields = ("seq", "category", "content", "tasks", "standard", "evidence", "lead_leader_text", "deadline_text")
    original = [tuple(getattr(i, f) for f in fields) + (
        tuple((u.organisation_id, u.is_lead) for u in i.units.all()),) for i in main_list.items.order_by("position")]
    again = [(p.seq, p.category, p.content, p.tasks, p.standard, p.evidence, p.lead_leader_text, p.deadline.text,
              tuple((o.pk, lead) for o, lead in p.units)) for p in plan.items]
    assert again == original


def test_export_writes_formula_like_text_as_text(demo, main_list):
    from openpyxl import load_workbook

    from responsibility.exports import export_list
    from responsibility.models import ListStatus

    ResponsibilityList.objects.filter(pk=main_list.pk).update(status=ListStatus.DRAFT)
    item = main_list.items.get(seq="1")
    item.standard = "=HYPERLINK(\"http://x\")"
    item.save()
    ws = load_workbook(io.BytesIO(export_list(main_list))).active
    cell = next(c for row in ws.iter_rows() for c in row if c.value == item.standard)
    assert cell.data_type == "s"
    assert ws.merged_cells.ranges and ws.freeze_panes == "A3"


def test_export_keeps_error_like_and_control_text_as_text():
    from openpyxl import Workbook

    from common.xlsx import write_text

    ws = Workbook().active
    write_text(ws["A1"], "#N/A")
    write_text(ws["A2"], "合格\x07")
    assert (ws["A1"].value, ws["A1"].data_type) == ("#N/A", "s")
    assert ws["A2"].value == "合格"


def test_a_file_titled_as_another_kind_of_list_is_flagged_in_the_preview(demo, client):
    demo.client_for(client, "wumin")
    data = sample("responsibility_list_2022.xlsx").read_bytes()  # titled …党组主体责任清单
    as_dual = upload(client, data, kind="dual")
    assert as_dual.context["plan"].title_kind == "main"
    warning = as_dual.content.decode().split('data-testid="kind-warning"')[1].split("</span>")[0]
    assert "文件标题写的是“党组主体责任清单”，将按所选的“一岗双责清单”导入" in warning
    as_main = upload(client, data, kind="main")
    assert as_main.context["plan"].title_kind == "" and 'data-testid="kind-warning"' not in as_main.content.decode()
