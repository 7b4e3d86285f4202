"""A file with any error imports nothing and says where the error is (row, column, value, suggestions)."""
import datetime

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from branches.demo import seed_demo
from responsibility.models import Assignment, Item, ItemUnit, ListKind, ResponsibilityList
from responsibility.services import ImportRejected, responsibility_list_import, responsibility_list_publish
from tests.conftest import DEMO_DAY, Demo

from tests.samples import SAMPLES

HEADER = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "责任单位", "完成时限", "完成标准", "佐证材料"]
RISK_HEADER = ["序号", "单位/科室", "风险类别", "风险点", "廉政风险主要内容及表现形式", "风险等级", "防控措施",
               "部门负责人", "责任领导"]



# The demo agency seeded once for this module (as tests/accounts/conftest.py does): the seed runs in a
# transaction held open for the module and rolled back at its end; each test runs in its own savepoint.
@pytest.fixture(scope="module")
def _demo_seeded_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        seed_demo(today=DEMO_DAY)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_seeded_for_module, db):
    return Demo()

def row(n, content="落实第一议题", leader="张建国", units="办公室", deadline="每月", category="一、政治建设"):
    return [n, category, content, "具体任务", leader, units, deadline, "完成标准", "佐证材料"]


def workbook(path, rows, title="Sheet1", merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return str(path)


def counts():
    return tuple(model.objects.count() for model in (ResponsibilityList, Item, ItemUnit, Assignment))


@pytest.fixture
def staff(demo):
    return demo.user("wumin")


@pytest.fixture
def rejected(staff):
    """Import `source` and return the plan's errors, checking that nothing was written."""

    def run(source, *, year=2022, kind=ListKind.MAIN):
        before = counts()
        with pytest.raises(ImportRejected) as caught:
            responsibility_list_import(actor=staff, source=source, year=year, kind=kind)
        assert counts() == before
        errors = caught.value.plan.errors
        assert errors
        assert str(caught.value)  # the first errors, for logs
        return errors

    return run


def only(errors):
    assert len(errors) == 1, [str(e) for e in errors]
    return errors[0]


# ---------------------------------------------------------------- cells


@pytest.mark.parametrize("value, expected", [("机关第一支部", "机关第一党支部"), ("办工室", "办公室")])
def test_unknown_unit_is_located_and_close_names_are_suggested(rejected, tmp_path, value, expected):
    path = workbook(tmp_path / "units.xlsx", [["2022年主体责任清单"], HEADER, row(1), row(2, units=value)])
    error = only(rejected(path))
    assert (error.row, error.column, error.label, error.value) == (4, "F", "责任单位", value)
    assert expected in error.suggestions
    assert str(error).startswith("第4行F列“责任单位”：")
    assert value in str(error) and expected in str(error)


def test_unknown_unit_among_several_names_the_whole_cell_and_the_bad_part(rejected, tmp_path):
    path = workbook(tmp_path / "units.xlsx", [HEADER, row(1, units="办公室、人事处")])
    error = only(rejected(path))
    assert (error.row, error.column, error.value) == (2, "F", "办公室、人事处")
    assert "人事处" in error.message
    assert "人事科" in error.suggestions


def test_unknown_person_in_lead_leader(rejected, tmp_path):
    path = workbook(tmp_path / "people.xlsx", [HEADER, row(1), row(2), row(3, leader="张建军")])
    error = only(rejected(path))
    assert (error.row, error.column, error.label, error.value) == (4, "E", "牵头领导", "张建军")
    assert "张建军" in error.message
    assert "张建国" in error.suggestions


def test_unknown_person_is_reported_with_a_synonym_header_as_written(rejected, tmp_path):
    header = ["序号", "工作内容", "责任领导", "责任部门", "完成时间"]
    path = workbook(tmp_path / "people.xlsx", [header, [1, "学习", "李名", "办公室", "每月"]])
    error = only(rejected(path))
    assert (error.row, error.column, error.label, error.value) == (2, "C", "责任领导", "李名")
    assert "李明" in error.suggestions


def test_unreadable_deadline(rejected, tmp_path):
    path = workbook(tmp_path / "dates.xlsx", [HEADER, row(1, deadline="下个阶段")])
    error = only(rejected(path))
    assert (error.row, error.column, error.label, error.value) == (2, "G", "完成时限", "下个阶段")
    assert "下个阶段" in error.message


@pytest.mark.parametrize("deadline", ["2021年6月30日", datetime.date(2020, 12, 31), "2025年3月底前"])
def test_deadline_outside_the_year(rejected, tmp_path, deadline):
    path = workbook(tmp_path / "dates.xlsx", [HEADER, row(1), row(2, deadline=deadline)])
    error = only(rejected(path))
    assert (error.row, error.column, error.label) == (3, "G", "完成时限")
    assert "2022" in error.message and "年度" in error.message


def test_empty_content_in_an_otherwise_filled_row(rejected, tmp_path):
    path = workbook(tmp_path / "content.xlsx", [HEADER, row(1), row(2, content=None)])
    error = only(rejected(path))
    assert (error.row, error.column, error.label, error.value) == (3, "C", "责任内容", "")
    assert "责任内容为空" in str(error)


def test_several_errors_are_all_reported(rejected, tmp_path):
    path = workbook(tmp_path / "many.xlsx", [
        HEADER, row(1, units="办工室", leader="无名氏", deadline="下个阶段"), row(2), row(3, units="机关第九党支部")])
    errors = rejected(path)
    assert [(e.row, e.column) for e in errors] == [(2, "F"), (2, "G"), (2, "E"), (4, "F")]


def test_a_file_with_one_good_row_and_one_bad_row_imports_nothing(rejected, tmp_path):
    path = workbook(tmp_path / "half.xlsx", [HEADER, row(1), row(2, units="人事处")])
    errors = rejected(path)
    assert [(e.row, e.column) for e in errors] == [(3, "F")]
    assert not ResponsibilityList.objects.exists()


def test_risk_level_must_be_high_medium_or_low(rejected, tmp_path):
    path = workbook(tmp_path / "risk.xlsx", [
        ["科室廉政风险防控清单"], RISK_HEADER,
        [1, "办公室", "岗位职责风险", "公务接待", "超标准接待", "中", "严格审批", "郑伟", "赵强"],
        [2, "人事科", "业务流程风险", "招聘录用", "暗箱操作", "严重", "公开招聘", "冯静", "赵强"],
    ])
    error = only(rejected(path, kind=ListKind.RISK))
    assert (error.row, error.column, error.label, error.value) == (4, "F", "风险等级", "严重")
    assert "高" in error.message and "中" in error.message and "低" in error.message


def test_unknown_department_head_in_a_risk_list(rejected, tmp_path):
    path = workbook(tmp_path / "risk.xlsx", [
        RISK_HEADER, [1, "财务科", "", "资金拨付", "", "高", "双人复核", "何雷", "赵强"]])
    error = only(rejected(path, kind=ListKind.RISK))
    assert (error.row, error.column, error.label, error.value) == (2, "H", "部门负责人", "何雷")
    assert "何磊" in error.suggestions


# ---------------------------------------------------------------- the file


def test_missing_required_column_is_named(rejected, tmp_path):
    header = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "完成时限", "完成标准"]
    path = workbook(tmp_path / "columns.xlsx", [
        ["标题"], header, [1, "一、政治建设", "学习", "", "张建国", "每月", ""]])
    error = only(rejected(path))
    assert error.row == 2
    assert "责任单位" in error.message and "缺少" in error.message
    assert "责任部门" in error.message  # the synonyms it may be written as


def test_a_text_file_renamed_xlsx(rejected, tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_text("序号\t责任内容\t责任单位\t完成时限\n1\t学习\t办公室\t每月\n", encoding="utf-8")
    error = only(rejected(str(path)))
    assert "不是有效的 Excel" in error.message
    assert ".xlsx" in str(error)


def test_an_empty_sheet(rejected, tmp_path):
    path = workbook(tmp_path / "empty.xlsx", [])
    error = only(rejected(path))
    assert "没有内容" in error.message
    assert "责任内容" in error.message  # the columns it needs


def test_a_header_without_rows(rejected, tmp_path):
    path = workbook(tmp_path / "header.xlsx", [["2022年主体责任清单"], HEADER])
    error = only(rejected(path))
    assert error.row == 2
    assert "没有任何数据行" in error.message


def test_a_sheet_without_the_header(rejected, tmp_path):
    path = workbook(tmp_path / "other.xlsx", [["姓名", "电话"], ["张三", "123"]])
    error = only(rejected(path))
    assert "未找到表头" in error.message


# ---------------------------------------------------------------- who and when


def test_importing_the_same_year_and_kind_twice_is_refused(staff, rejected):
    first = responsibility_list_import(actor=staff, source=str(SAMPLES / "responsibility_list_2022.xlsx"), year=2022)
    errors = rejected(str(SAMPLES / "responsibility_list_2022.xlsx"))
    assert len(errors) == 1
    assert "2022年度已有“2022年党组主体责任清单”（草稿）" in errors[0].message
    assert "修订版本" in errors[0].message

    responsibility_list_publish(actor=staff, rlist=first)
    errors = rejected(str(SAMPLES / "responsibility_list_2022.xlsx"))
    assert "（已发布）" in errors[0].message

    # another kind of the same year is a different list
    responsibility_list_import(actor=staff, source=str(SAMPLES / "risk_list_2022.xlsx"), year=2022, kind=ListKind.RISK)
    assert ResponsibilityList.objects.count() == 2


def test_the_duplicate_check_comes_before_row_errors(staff, rejected, tmp_path):
    good = workbook(tmp_path / "good.xlsx", [HEADER, row(1)])
    responsibility_list_import(actor=staff, source=good, year=2022)
    bad = workbook(tmp_path / "bad.xlsx", [HEADER, row(1, units="办工室")])
    errors = rejected(bad)
    assert errors[0].row is None and "已有" in errors[0].message
    assert (errors[1].row, errors[1].column) == (2, "F")


@pytest.mark.parametrize("username", ["zhengwei", "zhangjianguo", "chengang"])
def test_only_party_affairs_staff_may_import(demo, tmp_path, username):
    path = workbook(tmp_path / "good.xlsx", [HEADER, row(1)])
    before = counts()
    with pytest.raises(PermissionDenied):
        responsibility_list_import(actor=demo.user(username), source=path, year=2022)
    assert counts() == before


def test_another_staff_member_and_a_superuser_may_import(demo, tmp_path, django_user_model):
    path = workbook(tmp_path / "good.xlsx", [HEADER, row(1)])
    responsibility_list_import(actor=demo.user("sunli"), source=path, year=2022)
    root = django_user_model.objects.create_superuser(username="root", password="x-pass-1234")
    responsibility_list_import(actor=root, source=path, year=2023, kind=ListKind.DUAL)
    assert ResponsibilityList.objects.count() == 2
