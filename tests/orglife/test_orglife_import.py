"""Importing existing records from Excel: a dry run, row errors naming row/column/value, all or nothing."""
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from orglife.models import Record, RecordEvent
from orglife.services import ImportRejected, orglife_records_import, orglife_records_plan
from tests.orglife.helpers import at

# The university platform's template (NOTES), with a 谈话对象 column added for talks.
HEADER = ["序号", "所在党支部", "会议类型", "主持人姓名", "记录人姓名", "会议名称", "计划会议时间", "实际会议时间", "会议地点",
          "应到人数", "实到人数", "请假人数", "列席人员", "会议议题", "会议内容", "会议决议", "谈话对象"]
GOOD_ROWS = [
    [1, "机关第一党支部", "支部党员大会、主题党日", "郑伟", "张小红", "一季度支部党员大会", "2025/3/1", "2025/3/3  14:30",
     "三楼会议室", 12, 10, 2, "孙丽", "学习全会精神", "传达学习全面从严治党工作会议精神", "通过年度学习计划", None],
    [2, "机关一支部", "支委会", "郑伟", "张小红", "3月支委会", None, datetime.datetime(2025, 3, 10, 9, 0), "二楼",
     5, "5人", 0, None, None, "研究发展党员", None, None],
    [3, "机关第二党支部", "党课", "高峰", None, "专题党课", None, datetime.date(2025, 3, 20), None, 20, 18, 1, None, None,
     "书记讲党课", None, None],
    [4, "局党组", "廉政谈话", "赵强", None, None, None, "2025-04-01 10:00", "赵强办公室", None, None, None, None, None,
     "提醒谈话", None, "郑伟、冯静"],
    [5, "执法一支部", "223_党小组会", "唐亮", "唐亮", "第一小组学习", None, "2025年4月2日下午3:00", None, 6, 6, None, None,
     None, "学习党章", None, None],
    [6, "机关第三党支部", "支部大会（主题党日）", "马超", None, "4月主题党日", None, "2025.4.8", None, "", "", "", None,
     None, None, None, None],
]


def workbook(rows, *, header=HEADER, title="2025年组织生活记录", example=True, blanks=3) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会议记录"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    if example:
        ws.append(["例", "某党支部", "支委会", "张三", "李四", "示例", "", "2019/2/3  14:30"])
    for row in rows:
        ws.append(row)
    for n in range(len(rows) + 1, len(rows) + 1 + blanks):
        ws.append([n])  # numbered blank template rows
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_dry_run_plans_every_row_and_writes_nothing(demo):
    plan = orglife_records_plan(source=io.BytesIO(workbook(GOOD_ROWS)), file_name="记录.xlsx")
    assert plan.errors == []
    assert (plan.sheet, plan.header_row) == ("会议记录", 2)
    assert [(p.row, p.organisation.name, p.type_names, p.data.date.isoformat(),
             p.data.start_time.strftime("%H:%M") if p.data.start_time else None) for p in plan.records] == [
        (4, "机关第一党支部", "支部党员大会、主题党日", "2025-03-03", "14:30"),
        (5, "机关第一党支部", "支委会", "2025-03-10", "09:00"),
        (6, "机关第二党支部", "党课", "2025-03-20", None),
        (7, "中共示范市商务局党组", "廉政谈话", "2025-04-01", "10:00"),
        (8, "执法一支部", "党小组会", "2025-04-02", "15:00"),
        (9, "机关第三党支部", "支部党员大会、主题党日", "2025-04-08", None),
    ]
    assert dict(plan.by_type) == {"支部党员大会": 2, "主题党日": 2, "支委会": 1, "党课": 1, "廉政谈话": 1, "党小组会": 1}
    assert Record.objects.count() == 0


def test_import_creates_the_records_as_written(demo):
    created = orglife_records_import(actor=demo.user("wumin"), source=io.BytesIO(workbook(GOOD_ROWS)),
                                     file_name="记录.xlsx")
    assert len(created) == 6 == Record.objects.count()
    first = Record.objects.get(topic="一季度支部党员大会")
    assert (first.host.name, first.recorder_name, first.recorder, first.place) == ("郑伟", "张小红", None, "三楼会议室")
    assert (first.expected_count, first.present_count, first.leave_count, first.observers) == (12, 10, 2, "孙丽")
    assert first.summary == "议题：学习全会精神\n传达学习全面从严治党工作会议精神"
    assert (first.decisions, first.source_file, first.source_row) == ("通过年度学习计划", "记录.xlsx", 4)
    talk = Record.objects.get(organisation__name="中共示范市商务局党组")
    assert (talk.talker.name, sorted(p.name for p in talk.talked_to.all()), talk.topic) == (
        "赵强", ["冯静", "郑伟"], "廉政谈话")  # no 会议名称: the type names the record
    assert talk.summary == "提醒谈话"
    assert Record.objects.get(topic="3月支委会").present_count == 5
    assert RecordEvent.objects.filter(action="imported").count() == 6


def test_importing_the_same_file_again_is_refused(demo):
    data = workbook(GOOD_ROWS)
    orglife_records_import(actor=demo.user("wumin"), source=io.BytesIO(data), file_name="a.xlsx")
    with pytest.raises(ImportRejected) as caught:
        orglife_records_import(actor=demo.user("wumin"), source=io.BytesIO(data), file_name="a.xlsx")
    assert len(caught.value.plan.errors) == 6
    assert "已导入过的记录不能再次导入" in caught.value.plan.errors[0].message
    assert Record.objects.count() == 6


BAD_ROWS = [
    [1, "机关第四党支部", "支委会", "郑伟", None, "支委会", None, "2025/3/3", None, None, None, None],
    [2, "机关第一党支部", "支部大大会", "郑伟", None, "大会", None, "2025/3/4", None, None, None, None],
    [3, "机关第一党支部", "支委会", "郑伟", None, "时间不明", None, "下周三", None, None, None, None],
    [4, "机关第一党支部", "支委会", "郑伟", None, "人数不对", None, "2025/3/5", None, 10, 12, None],
    [5, "机关第一党支部", "支委会", "郑伟", None, "未来", None, "2030/1/1", None, None, None, None],
    [6, "办公室", "支委会", "郑伟", None, "科室", None, "2025/3/6", None, None, None, None],
    [7, "局党组", "谈心谈话", "赵强", None, "谈话", None, "2025/3/7", None, None, None, None],
    [8, "机关第一党支部", "第一议题学习", "郑伟", None, "第一议题", None, "2025/3/8", None, None, None, None],
    [9, "机关第一党支部", "支委会", "郑伟", None, "好的一行", None, "2025/3/9", None, "七", None, None],
    [10, "机关第一党支部", "支委会", "郑伟", None, "真正好的一行", None, "2025/3/10", None, 7, 7, 0],
    [11, "机关第一党支部", "支委会", "郑伟", None, "真正好的一行", None, "2025/3/10", None, 7, 7, 0],
]


def test_every_row_error_names_row_column_value_and_nothing_is_written(demo):
    with pytest.raises(ImportRejected) as caught:
        orglife_records_import(actor=demo.user("wumin"), source=io.BytesIO(workbook(BAD_ROWS)), file_name="bad.xlsx")
    errors = [(e.row, e.column, e.value, e.message, e.suggestions) for e in caught.value.plan.errors]
    assert errors[0][:4] == (4, "B", "机关第四党支部", "未找到党组织“机关第四党支部”")
    assert "机关第一党支部" in errors[0][4]
    assert errors[1][:4] == (5, "C", "支部大大会", "未知的类型“支部大大会”") and "支部党员大会" in errors[1][4]
    assert errors[2][:3] == (6, "H", "下周三") and "无法识别的时间" in errors[2][3]
    assert errors[3][:3] == (7, "K", "12") and errors[3][3] == "实到人数（12）多于应到人数（10）。"
    assert errors[4][:3] == (8, "H", "2030/1/1") and "晚于今天" in errors[4][3]
    assert errors[5][:4] == (9, "B", "办公室", "办公室不是记录组织生活的党组织")
    assert errors[6][:3] == (10, "Q", "") and errors[6][3] == "谈话类记录请填写谈话对象。"
    assert errors[7][:3] == (11, "C", "第一议题学习") and "机关第一党支部不记录“第一议题学习”" in errors[7][3]
    assert errors[8][:4] == (12, "J", "七", "人数应为整数")
    assert errors[9][0] == 14 and "与第13行重复" in errors[9][3]
    assert len(errors) == 10
    assert Record.objects.count() == 0 and RecordEvent.objects.count() == 0


def test_files_that_are_not_the_table(demo):
    plan = orglife_records_plan(source=io.BytesIO(b"not a workbook"), file_name="x.xlsx")
    assert not plan.ok and "不是有效的 Excel" in plan.errors[0].message
    plan = orglife_records_plan(source=io.BytesIO(workbook([], header=["序号", "姓名", "职务"])), file_name="x.xlsx")
    assert not plan.ok and "未找到表头" in plan.errors[0].message
    plan = orglife_records_plan(source=io.BytesIO(workbook([], blanks=0)), file_name="x.xlsx")
    assert [e.message for e in plan.errors] == ["表头下没有任何数据行"]
    short = ["单位", "类型", "地点"]
    plan = orglife_records_plan(source=io.BytesIO(workbook([["机关第一党支部", "支委会", "x"]], header=short,
                                                           example=False)), file_name="x.xlsx")
    assert "缺少必需的列：“时间”" in plan.errors[0].message


def test_the_command_dry_run_and_run(demo, tmp_path, capsys):
    path = tmp_path / "records.xlsx"
    path.write_bytes(workbook(GOOD_ROWS))
    call_command("import_orglife_records", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "记录 6 条" in out and "检查通过（试运行，未写入）" in out and Record.objects.count() == 0
    call_command("import_orglife_records", str(path), "--user", "wumin")
    assert "已导入 6 条组织生活记录" in capsys.readouterr().out and Record.objects.count() == 6


def test_the_command_refuses_a_bad_file_with_errors_on_stderr(demo, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(BAD_ROWS))
    for extra in (["--dry-run"], []):
        with pytest.raises(CommandError, match="发现 10 处错误"):
            call_command("import_orglife_records", str(path), *extra)
        err = capsys.readouterr().err
        assert "错误：第4行B列“所在党支部”：未找到党组织“机关第四党支部”" in err
    assert Record.objects.count() == 0
    with pytest.raises(CommandError, match="无法打开文件"):
        call_command("import_orglife_records", str(tmp_path / "missing.xlsx"))


def test_staff_upload_preview_and_confirm(demo, client):
    demo.client_for(client, "wumin")
    upload = SimpleUploadedFile("记录.xlsx", workbook(GOOD_ROWS))
    preview = client.post(reverse("orglife:import"), {"file": upload})
    assert preview.status_code == 200 and 'data-testid="plan-records">6<' in preview.content.decode()
    assert Record.objects.count() == 0
    response = client.post(reverse("orglife:import_confirm"), {"token": preview.context["token"]})
    assert response.status_code == 302 and Record.objects.count() == 6
    again = client.post(reverse("orglife:import_confirm"), {"token": preview.context["token"]})
    assert again.status_code == 302 and Record.objects.count() == 6  # the token was used up


def test_a_bad_upload_shows_the_errors_and_offers_no_confirm(demo, client):
    demo.client_for(client, "wumin")
    preview = client.post(reverse("orglife:import"), {"file": SimpleUploadedFile("bad.xlsx", workbook(BAD_ROWS))})
    text = preview.content.decode()
    assert 'data-testid="plan-errors"' in text and "确认导入</button>" not in text
    assert "机关第四党支部" in text


def test_only_staff_import(demo, client):
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("orglife:import")).status_code == 403
    with pytest.raises(PermissionDenied):
        orglife_records_import(actor=demo.user("zhengwei"), source=io.BytesIO(workbook(GOOD_ROWS)))
    assert Record.objects.count() == 0


def test_today_bounds_the_dates(demo):
    with at(2025, 3, 15):
        plan = orglife_records_plan(source=io.BytesIO(workbook(GOOD_ROWS)), file_name="x.xlsx")
    assert [e.row for e in plan.errors] == [6, 7, 8, 9]  # 20 March and the April rows had not come on 15 March
