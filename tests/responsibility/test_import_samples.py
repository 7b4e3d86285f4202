"""The published sample files import into the demo agency with exactly the counts of samples/README.md,
and other layouts agencies use (built here with openpyxl) import the same way."""
import datetime
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from django.db import transaction

from branches.demo import seed_demo
from branches.models import OrgKind
from responsibility.models import Assignment, Frequency, Item, ItemUnit, ListKind, ListStatus, RiskLevel
from responsibility.services import responsibility_list_import, responsibility_list_plan, responsibility_list_publish
from tests.conftest import DEMO_DAY, Demo

from tests.samples import SAMPLES
LIST_FILE = SAMPLES / "responsibility_list_2022.xlsx"
RISK_FILE = SAMPLES / "risk_list_2022.xlsx"

BRANCHES = ["机关第一党支部", "机关第二党支部", "机关第三党支部", "离退休干部党支部", "执法一支部", "执法二支部",
            "市商务发展服务中心党支部", "市口岸服务中心党支部"]
DEPARTMENTS = ["办公室", "人事科", "财务科", "市场运行科", "电子商务科", "对外贸易科", "外资科", "法规科"]
UNITS = ["市商务综合行政执法支队", "市商务发展服务中心", "市口岸服务中心"]
D = datetime.date



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

def units_of(item):
    return [(u.organisation.name, u.is_lead) for u in item.units.select_related("organisation")]


@pytest.fixture
def staff(demo):
    return demo.user("wumin")


@pytest.fixture
def main_list(staff):
    return responsibility_list_import(actor=staff, source=str(LIST_FILE), year=2022)


@pytest.fixture
def published(staff, main_list):
    return responsibility_list_publish(actor=staff, rlist=main_list)


# ---------------------------------------------------------------- responsibility_list_2022.xlsx


def test_sample_list_imports_25_items_in_five_categories_as_a_draft(main_list, staff):
    assert main_list.status == ListStatus.DRAFT
    assert (main_list.year, main_list.kind, main_list.revision) == (2022, ListKind.MAIN, 1)
    assert main_list.created_by == staff
    assert main_list.source_file.endswith("responsibility_list_2022.xlsx")
    items = list(main_list.items.all())
    assert len(items) == 25
    assert [i.position for i in items] == list(range(1, 26))
    assert Counter(i.category for i in items) == {
        "一、政治建设": 5, "二、思想建设": 4, "三、组织建设": 6, "四、作风建设": 4, "五、纪律建设和党风廉政建设": 6}
    # in file order, with the Excel row each came from
    assert [i.category for i in items][:6] == ["一、政治建设"] * 5 + ["二、思想建设"]
    assert all(i.source_row for i in items)
    assert [i.source_row for i in items] == sorted(i.source_row for i in items)
    assert not Assignment.objects.exists()  # assignments are made on publishing only


def test_sample_list_frequencies_and_single_due_dates(main_list):
    items = list(main_list.items.all())
    assert Counter(i.frequency for i in items) == {
        Frequency.MONTHLY: 3, Frequency.QUARTERLY: 4, Frequency.HALF_YEARLY: 5, Frequency.ONGOING: 3,
        Frequency.YEARLY: 1, Frequency.ONCE: 9}
    once = {i.deadline_text: i.final_due_on for i in items if i.frequency == Frequency.ONCE}
    relative = {text: due for text, due in once.items() if "底前" in text or "日前" in text}
    by_suffix = {text.removeprefix("2022年"): due for text, due in relative.items()}
    assert by_suffix == {"6月底前": D(2022, 6, 30), "4月底前": D(2022, 4, 30), "9月底前": D(2022, 9, 30),
                         "7月1日前": D(2022, 7, 1), "年底前": D(2022, 12, 31)}
    full_dates = sorted(due for text, due in once.items() if text not in relative)
    assert full_dates == [D(2022, 3, 31), D(2022, 5, 31), D(2022, 10, 31), D(2022, 11, 30)]
    for item in items:
        if item.frequency == Frequency.ONCE:
            assert item.due_dates == [item.final_due_on.isoformat()]
        if item.frequency == Frequency.ONGOING:
            assert (item.due_dates, item.final_due_on) == ([], None)
        if item.frequency == Frequency.MONTHLY:
            assert len(item.due_dates) == 12 and item.final_due_on == D(2022, 12, 31)
        if item.frequency == Frequency.QUARTERLY:
            assert item.due_date_list == [D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31)]


def test_sample_list_group_names_expand_to_the_eight_branches_and_eight_departments(main_list):
    all_branches = [i for i in main_list.items.all() if i.units_text == "各党支部"]
    all_departments = [i for i in main_list.items.all() if i.units_text == "各科室"]
    assert all_branches and all_departments
    for item in all_branches:
        assert units_of(item) == [(name, True) for name in BRANCHES]
        assert not item.units.filter(organisation__kind=OrgKind.GENERAL_BRANCH).exists()  # not the 党总支
    for item in all_departments:
        assert units_of(item) == [(name, True) for name in DEPARTMENTS]


def test_sample_list_units_by_short_name_and_lead_is_the_first_named(main_list):
    by_content = {i.content: i for i in main_list.items.all()}
    assert units_of(by_content["落实“第一议题”制度"]) == [("办公室", True)]
    assert units_of(by_content["创建模范机关"]) == [("中共示范市商务局机关委员会", True), ("办公室", False)]
    assert by_content["创建模范机关"].units_text == "机关党委、办公室"
    assert units_of(by_content["加强纪律教育"]) == [("中共示范市商务局机关纪律检查委员会", True)]
    assert units_of(by_content["优化营商环境专项行动"]) == [
        ("市场运行科", True), ("电子商务科", False), ("法规科", False)]


def test_sample_list_lead_leaders_are_resolved_to_people(main_list):
    items = list(main_list.items.select_related("lead_leader"))
    assert all(i.lead_leader is not None for i in items)
    assert all(i.lead_leader.name == i.lead_leader_text for i in items)
    assert {i.lead_leader.name for i in items} == {"张建国", "李明", "王芳", "赵强"}
    first = items[0]
    assert (first.content, first.lead_leader.name, first.lead_leader.title) == ("落实“第一议题”制度", "张建国", "局长")
    assert first.lead_leader.user.username == "zhangjianguo"


def test_publishing_the_sample_list_makes_66_assignments_to_the_organisations_heads(published):
    assert published.status == ListStatus.PUBLISHED
    assignments = Assignment.objects.filter(item__responsibility_list=published).select_related(
        "item", "organisation", "person")
    assert assignments.count() == 66 == ItemUnit.objects.filter(item__responsibility_list=published).count()
    assert all(a.is_active and a.person is not None for a in assignments)
    assert Counter(a.organisation.name for a in assignments)["机关第一党支部"] == 4  # 3 × 各党支部 + 结对共建
    people = {a.organisation.name: a.person.name for a in assignments}
    assert people["办公室"] == "郑伟"
    assert people["机关第一党支部"] == "郑伟"
    assert people["执法一支部"] == "唐亮"
    assert people["机关第二党支部"] == "高峰"
    assert people["法规科"] == "罗军"
    assert people["中共示范市商务局机关委员会"] == "孙丽"  # its 专职副书记
    assert people["中共示范市商务局机关纪律检查委员会"] == "周涛"
    # is_lead is carried from the item's units
    pair = {(a.item.content, a.organisation.name): a.is_lead for a in assignments}
    assert pair[("创建模范机关", "中共示范市商务局机关委员会")] is True
    assert pair[("创建模范机关", "办公室")] is False
    assert Assignment.objects.live().filter(item__responsibility_list=published).count() == 66


def test_dry_run_plan_of_the_sample_list_writes_nothing(demo):
    plan = responsibility_list_plan(source=str(LIST_FILE), year=2022)
    assert plan.ok and not plan.errors
    assert (len(plan.items), plan.assignment_count) == (25, 66)
    assert dict(plan.by_category)["三、组织建设"] == 6
    assert dict(plan.by_frequency) == {"每月": 3, "每季度": 4, "每半年": 5, "全年": 1, "限期完成": 9, "长期坚持": 3}
    assert not Item.objects.exists()


# ---------------------------------------------------------------- risk_list_2022.xlsx


def test_sample_risk_list_imports_12_points_in_8_departments(staff):
    rlist = responsibility_list_import(actor=staff, source=str(RISK_FILE), year=2022, kind=ListKind.RISK)
    assert rlist.is_risk_list and rlist.title == "2022年科室廉政风险防控清单"
    items = list(rlist.items.select_related("department_head", "lead_leader", "person"))
    assert len(items) == 12
    departments = {name for i in items for name, _lead in units_of(i)}
    assert departments == set(DEPARTMENTS)
    assert all(len(units_of(i)) == 1 for i in items)
    assert Counter(i.risk_level for i in items) == {RiskLevel.HIGH: 6, RiskLevel.MEDIUM: 5, RiskLevel.LOW: 1}
    assert all(i.risk_point and i.content == i.risk_point for i in items)
    assert all(i.frequency == Frequency.ONGOING for i in items)
    heads = {units_of(i)[0][0]: i.department_head.name for i in items}
    assert heads == {"办公室": "郑伟", "人事科": "冯静", "财务科": "何磊", "市场运行科": "高峰", "电子商务科": "林雪",
                     "对外贸易科": "马超", "外资科": "胡冰", "法规科": "罗军"}
    leaders = {units_of(i)[0][0]: i.lead_leader.name for i in items}
    assert leaders == {"办公室": "赵强", "人事科": "赵强", "财务科": "赵强", "法规科": "赵强", "市场运行科": "李明",
                       "电子商务科": "李明", "对外贸易科": "王芳", "外资科": "王芳"}
    assert all(i.person == i.department_head for i in items)
    # the 单位/科室 cell is merged down a department's risk points
    assert Counter(units_of(i)[0][0] for i in items) == {
        "办公室": 2, "人事科": 2, "财务科": 2, "法规科": 2, "市场运行科": 1, "电子商务科": 1, "对外贸易科": 1, "外资科": 1}


def test_sample_risk_list_and_main_list_of_the_same_year_coexist(staff, main_list):
    risk = responsibility_list_import(actor=staff, source=str(RISK_FILE), year=2022, kind=ListKind.RISK)
    published = responsibility_list_publish(actor=staff, rlist=risk)
    assignments = Assignment.objects.filter(item__responsibility_list=published)
    assert assignments.count() == 12
    assert {a.person.name for a in assignments.filter(organisation__name="人事科")} == {"冯静"}


# ---------------------------------------------------------------- other layouts

HEADER = ["序号", "责任类别", "责任内容", "具体任务", "牵头领导", "责任单位", "完成时限", "完成标准", "佐证材料"]


def workbook(path, *sheets):
    """sheets: (title, rows, merges); returns the path as str."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, merges in sheets:
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for rng in merges:
            ws.merge_cells(rng)
    wb.save(path)
    return str(path)


def test_synonym_headers_two_row_header_title_rows_extra_sheets_dates_and_dotted_serials(staff, tmp_path):
    notes = ("填表说明", [["填表说明"], ["1. 工作内容必填"], ["2. 责任部门填写全称或简称"]], [])
    allowed = ("字典", [["类别", "完成时间"], ["政治建设", "每月"]], [])
    rows = [
        ["中共示范市商务局党组2022年全面从严治党主体责任清单"],
        ["填报单位：机关党委", None, None, None, None, None, None, "2022年1月"],
        ["序号", "类别", "工作内容", "工作措施", "责任主体", None, "完成时间", "工作要求", "需提供的材料"],
        [None, None, None, None, "责任领导", "责任部门", None, None, None],
        ["1.1", "政治建设", "落实第一议题", "党组会第一议题学习\n中心组专题研讨", "张建国", "办公室",
         datetime.datetime(2022, 6, 30), "每次安排", "会议纪要"],
        ["1.2", None, "创建模范机关", "制定方案", "赵强", "机关党委，办公室", datetime.date(2022, 3, 31), "印发方案",
         None],
        ["2.1", "思想建设", "中心组学习", "专题研讨", "分管领导", "机关纪委；人事科 财务科", "每季度", "学习记录",
         None],
        ["2.2", None, "服务基层", "走访调研", "王芳", "局属各单位", "下半年", "调研报告", None],
        ["注：本清单由机关党委负责解释。"],
    ]
    merges = ["A1:I1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:G4", "H3:H4", "I3:I4", "B5:B6",
              "B7:B8", "A9:I9"]
    path = workbook(tmp_path / "2022年主体责任清单（修订）.xlsx", notes, allowed, ("清单", rows, merges))

    rlist = responsibility_list_import(actor=staff, source=path, year=2022)

    assert rlist.source_file.endswith("2022年主体责任清单（修订）.xlsx")
    items = list(rlist.items.all())
    assert [(i.seq, i.category, i.content, i.source_row) for i in items] == [
        ("1.1", "政治建设", "落实第一议题", 5), ("1.2", "政治建设", "创建模范机关", 6),
        ("2.1", "思想建设", "中心组学习", 7), ("2.2", "思想建设", "服务基层", 8)]
    first, second, third, fourth = items
    assert first.tasks == "党组会第一议题学习\n中心组专题研讨"
    assert (first.frequency, first.final_due_on) == (Frequency.ONCE, D(2022, 6, 30))
    assert (second.frequency, second.final_due_on) == (Frequency.ONCE, D(2022, 3, 31))
    assert second.evidence == ""
    assert units_of(second) == [("中共示范市商务局机关委员会", True), ("办公室", False)]
    assert units_of(third) == [("中共示范市商务局机关纪律检查委员会", True), ("人事科", False), ("财务科", False)]
    assert (third.lead_leader, third.lead_leader_text) == (None, "分管领导")  # a role, kept as text
    assert third.frequency == Frequency.QUARTERLY
    assert units_of(fourth) == [(name, True) for name in UNITS]
    assert fourth.lead_leader.name == "王芳"
    assert fourth.final_due_on == D(2022, 12, 31)


def test_explicit_lead_and_cooperate_marks_and_aliases(staff, tmp_path):
    rows = [
        HEADER,
        [1, "一、政治建设", "学习", "", "李明", "办公室（配合）、执法支队（牵头）", "每月", "", ""],
        [2, "一、政治建设", "调研", "", "李明", "局机关党委、外贸科（配合）", "每月", "", ""],
        [3, "一、政治建设", "检查", "", "李明", "机关一支部、第二党支部、执法支队第一党支部", "每月", "", ""],
        [4, "一、政治建设", "共建", "", "李明", "人事科（配合）、各党支部", "每月", "", ""],
    ]
    path = workbook(tmp_path / "marks.xlsx", ("Sheet1", rows, []))
    items = list(responsibility_list_import(actor=staff, source=path, year=2022).items.all())
    assert units_of(items[0]) == [("办公室", False), ("市商务综合行政执法支队", True)]
    assert units_of(items[1]) == [("中共示范市商务局机关委员会", True), ("对外贸易科", False)]
    assert units_of(items[2]) == [("机关第一党支部", True), ("机关第二党支部", False), ("执法一支部", False)]
    assert units_of(items[3]) == [("人事科", False)] + [(name, True) for name in BRANCHES]


def test_excel_dates_for_deadlines_and_a_note_row_under_the_table(staff, tmp_path):
    rows = [
        ["2022年主体责任清单"],
        HEADER,
        [1, "一、政治建设", "甲", "", "张建国", "办公室", datetime.datetime(2022, 11, 30), "", ""],
        [2, "一、政治建设", "乙", "", "张建国", "办公室", datetime.date(2023, 1, 15), "", ""],
        ["备注：责任单位为各党支部的，由支部书记负责。"],
        [3, "一、政治建设", "不是清单内容", "", "没有这个人", "没有这个单位", "随时", "", ""],
    ]
    path = workbook(tmp_path / "dates.xlsx", ("Sheet1", rows, ["A1:I1"]))
    items = list(responsibility_list_import(actor=staff, source=path, year=2022).items.all())
    assert [(i.content, i.frequency, i.final_due_on) for i in items] == [
        ("甲", Frequency.ONCE, D(2022, 11, 30)), ("乙", Frequency.ONCE, D(2023, 1, 15))]
    assert items[0].deadline_text == "2022-11-30"


def test_multi_line_cell_text_is_kept_line_by_line(staff, tmp_path):
    rows = [HEADER, [1, "一、政治建设", "落实“第一议题”制度\n（党组会议）",
                     "1. 党组会议第一议题学习\r\n2. 研究贯彻落实措施\n3. 跟踪督办", "张建国", "办公室", "每月",
                     "每次党组会议安排第一议题；\n会后形成落实清单", "党组会议纪要\n落实清单"]]
    path = workbook(tmp_path / "lines.xlsx", ("Sheet1", rows, []))
    item = responsibility_list_import(actor=staff, source=path, year=2022).items.get()
    assert item.content == "落实“第一议题”制度\n（党组会议）"
    assert item.tasks == "1. 党组会议第一议题学习\n2. 研究贯彻落实措施\n3. 跟踪督办"
    assert item.standard == "每次党组会议安排第一议题；\n会后形成落实清单"
    assert item.evidence == "党组会议纪要\n落实清单"


def test_an_uploaded_file_object_with_a_chinese_name(staff, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [HEADER, [1, "一、政治建设", "学习", "", "张建国", "各科室", "每半年", "", ""]]
    path = workbook(tmp_path / "x.xlsx", ("Sheet1", rows, []))
    upload = SimpleUploadedFile("商务局2022年清单.xlsx", Path(path).read_bytes())
    rlist = responsibility_list_import(actor=staff, source=upload, year=2022, file_name=upload.name, title="自定标题")
    assert (rlist.title, rlist.source_file) == ("自定标题", "商务局2022年清单.xlsx")
    assert rlist.items.get().units.count() == 8
