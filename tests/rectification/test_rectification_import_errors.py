"""Bad ledgers are refused with errors naming row, column and value; nothing is written; the command exits non-zero."""
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from rectification.models import Batch, Measure, MeasureEvent, MeasureUnit, Problem
from rectification.services import ImportRejected, rectification_ledger_import
from tests.rectification.conftest import HEADER, ledger_bytes

GOOD = [1, "政治建设方面", "学习不够经常", "修订议事规则", "张建国", "办公室", "郑伟", "2022年3月31日", "印发规则",
        "已印发", "已完成", "是"]
SECOND = [2, "作风建设方面", "接待不规范", "清理接待费用", "赵强", "财务科", "何磊", "2022年4月30日", "形成报告",
          "已清理", "已完成", "否"]


def counts():
    return tuple(m.objects.count() for m in (Batch, Problem, Measure, MeasureUnit, MeasureEvent))


def rejected(demo, data, **kwargs):
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        rectification_ledger_import(actor=demo.user("wumin"), source=data, file_name="台账.xlsx", **kwargs)
    assert counts() == before  # all or nothing
    return caught.value.plan.errors


def with_cell(row, column, value):
    row = list(row)
    row[HEADER.index(column)] = value
    return row


def test_unknown_department_is_refused_with_a_suggestion(demo):
    errors = rejected(demo, ledger_bytes([GOOD, with_cell(SECOND, "责任部门", "财物科")]))
    assert len(errors) == 1
    error = errors[0]
    assert (error.row, error.column, error.label, error.value) == (5, "F", "责任部门", "财物科")
    assert "未找到责任部门“财物科”" in error.message and "财务科" in error.suggestions
    assert "第5行F列“责任部门”" in str(error) and "是否为：财务科" in str(error)


def test_missing_required_column_is_refused(demo):
    header = [h for h in HEADER if h != "整改时限"]
    rows = [[v for h, v in zip(HEADER, row) if h != "整改时限"] for row in (GOOD, SECOND)]
    errors = rejected(demo, ledger_bytes(rows, header=header))
    assert len(errors) == 1 and "缺少必需的列" in errors[0].message and "整改时限" in errors[0].message


def test_renamed_non_excel_file_is_refused(demo):
    errors = rejected(demo, b"\xd0\xb2 this is a text file renamed to .xlsx\n")
    assert len(errors) == 1 and "不是有效的 Excel" in errors[0].message


def test_unreadable_deadline_is_refused(demo):
    errors = rejected(demo, ledger_bytes([GOOD, with_cell(SECOND, "整改时限", "尽快吧")]))
    assert [(e.row, e.column, e.value) for e in errors] == [(5, "H", "尽快吧")]
    assert "无法识别的整改时限“尽快吧”" in errors[0].message


def test_every_bad_row_is_listed_at_once(demo):
    rows = [with_cell(GOOD, "责任人", "郑为"), with_cell(SECOND, "是否完成整改", "差不多"),
            with_cell(with_cell(SECOND, "序号", 3), "是否销号", "也许")]
    errors = rejected(demo, ledger_bytes(rows))
    assert [(e.row, e.column) for e in errors] == [(4, "G"), (5, "K"), (6, "L")]
    assert "郑伟" in errors[0].suggestions


def test_contradicting_status_cells_are_refused(demo):
    errors = rejected(demo, ledger_bytes([with_cell(GOOD, "是否完成整改", "正在整改"),
                                          with_cell(with_cell(SECOND, "整改时限", "长期坚持"), "是否销号", "是")]))
    assert [(e.row, e.column) for e in errors] == [(4, "L"), (5, "L")]
    assert "长期坚持的整改措施不销号" in errors[1].message


def test_title_and_source_are_needed(demo):
    errors = rejected(demo, ledger_bytes([GOOD], title="", above=()))
    assert [e.message for e in errors] == [
        "无法从标题判断问题来源（巡察反馈、巡视反馈、审计等），请指定问题来源", "文件表头上方没有标题行，请填写批次标题"]
    batch = rectification_ledger_import(actor=demo.user("wumin"), source=ledger_bytes([GOOD], title="", above=()),
                                        title="2025年度民主生活会查摆问题", source_kind="")
    assert batch.source == "democratic_life" and batch.feedback_on is None and batch.report_due_on is None


def test_command_exits_non_zero_with_errors_on_stderr(demo, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_bytes([GOOD, with_cell(SECOND, "责任部门", "财物科")]))
    before = counts()
    for extra in ([], ["--dry-run"]):
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError, match="发现 1 处错误"):
            call_command("import_rectification_ledger", str(path), *extra, stdout=out, stderr=err)
        assert "第5行F列“责任部门”" in err.getvalue() and "财务科" in err.getvalue()
    renamed = tmp_path / "notes.xlsx"
    renamed.write_text("not a workbook", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_rectification_ledger", str(renamed), stdout=StringIO(), stderr=err)
    assert "不是有效的 Excel" in err.getvalue()
    with pytest.raises(CommandError, match="未知的问题来源"):
        call_command("import_rectification_ledger", str(path), "--source", "听说", stdout=StringIO())
    assert counts() == before


def test_upload_page_shows_row_errors_and_writes_nothing(demo, client):
    demo.client_for(client, "wumin")
    before = counts()
    data = ledger_bytes([GOOD, with_cell(SECOND, "责任部门", "财物科")])
    response = client.post(reverse("rectification:import"), {"file": SimpleUploadedFile("台账.xlsx", data)})
    text = response.content.decode()
    assert response.status_code == 200 and "发现 1 处错误" in text and "财物科" in text and "财务科" in text
    assert 'name="token"' not in text
    renamed = client.post(reverse("rectification:import"), {"file": SimpleUploadedFile("台账.xlsx", b"plain text")})
    assert "不是有效的 Excel" in renamed.content.decode()
    not_xlsx = client.post(reverse("rectification:import"), {"file": SimpleUploadedFile("台账.txt", b"plain text")})
    assert not_xlsx.context["form"].errors["file"]
    assert counts() == before
