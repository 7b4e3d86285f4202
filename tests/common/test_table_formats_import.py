"""The same list, ledger or record sheet saved as .xlsx, .xls, .docx and .csv (UTF-8 and GB18030) plans the same
items, assignments, problems, measures and records; the copies are written here from the sample .xlsx files."""
import io

import openpyxl
import pytest

from orglife.services import orglife_records_import, orglife_records_plan
from rectification.models import Measure, MeasureUnit
from rectification.services import rectification_ledger_import, rectification_ledger_plan
from responsibility.models import Assignment, Item, ListKind
from responsibility.services import (responsibility_list_delete_draft, responsibility_list_import,
                                     responsibility_list_plan, responsibility_list_publish)
from tests.common.table_formats import every_format
from tests.orglife.test_orglife_import import GOOD_ROWS, workbook
from tests.samples import LEDGER_FILE, LIST_FILE, RISK_FILE

FORMATS = ["xlsx", "xls", "docx", "csv", "csv-gb18030"]


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    records = folder / "records.xlsx"
    records.write_bytes(workbook(GOOD_ROWS, example=False, blanks=0))
    return {path.stem: every_format(path, folder) for path in (LIST_FILE, RISK_FILE, LEDGER_FILE, records)}


def list_rows(plan):
    return [(p.seq, p.category, p.content, p.tasks, p.standard, p.evidence, p.lead_leader_text, p.deadline.text,
             p.deadline.frequency, p.deadline.due_dates, p.lead_leader, p.person, p.risk_category, p.risk_point,
             p.risk_manifestation, p.risk_level, p.department_head, [(o.pk, lead) for o, lead in p.units])
            for p in plan.items]


def ledger_rows(plan):
    return (plan.title, plan.source, plan.feedback_on, plan.issuing_body, [
        (p.seq, p.category, p.description, [(m.text, m.units_text, m.deadline.text, m.kind, m.due_on, m.state,
                                              m.leader, m.person, m.standard, m.progress,
                                              [(o.pk, lead) for o, lead in m.units]) for m in p.measures])
        for p in plan.problems])


def record_rows(plan):
    return [(p.organisation.pk, p.type_names, p.data.date, p.data.start_time, p.resolved.topic, p.data.place,
             p.data.expected_count, p.data.present_count, p.data.leave_count, p.data.summary,
             [t.pk for t in p.resolved.talked_to]) for p in plan.records]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_list_plans_the_same_items_and_units_in_every_format(demo, copies, fmt):
    files = copies["responsibility_list_2022"]
    expected = responsibility_list_plan(source=files["xlsx"], year=2022)
    plan = responsibility_list_plan(source=files[fmt], year=2022)
    assert plan.errors == [] and plan.format == fmt.split("-")[0]
    assert len(plan.items) == 25 and plan.assignment_count == 66
    assert list_rows(plan) == list_rows(expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_risk_list_plans_the_same_items_in_every_format(demo, copies, fmt):
    files = copies["risk_list_2022"]
    expected = responsibility_list_plan(source=files["xlsx"], year=2022, kind=ListKind.RISK)
    plan = responsibility_list_plan(source=files[fmt], year=2022, kind=ListKind.RISK)
    assert plan.errors == [] and len(plan.items) == 12
    assert list_rows(plan) == list_rows(expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_ledger_plans_the_same_problems_and_measures_in_every_format(demo, copies, fmt):
    files = copies["rectification_ledger_2022"]
    expected = rectification_ledger_plan(source=files["xlsx"])
    plan = rectification_ledger_plan(source=files[fmt])
    assert plan.errors == [] and plan.title == "市委第三巡察组反馈问题整改台账"
    assert ledger_rows(plan) == ledger_rows(expected)


@pytest.mark.parametrize("fmt", FORMATS)
def test_organisational_life_records_plan_the_same_in_every_format(demo, copies, fmt):
    files = copies["records"]
    expected = orglife_records_plan(source=files["xlsx"])
    plan = orglife_records_plan(source=files[fmt])
    assert plan.errors == [] and len(plan.records) == len(GOOD_ROWS)
    assert record_rows(plan) == record_rows(expected)


def _written_list(rlist):
    return [(i.seq, i.category, i.content, i.deadline_text, i.frequency, i.due_dates, i.lead_leader_id,
             sorted((u.organisation_id, u.is_lead) for u in i.units.all()))
            for i in Item.objects.filter(responsibility_list=rlist).order_by("position").prefetch_related("units")]


@pytest.mark.parametrize("fmt", ["xls", "docx", "csv"])
def test_imports_write_identical_rows_whatever_the_format(demo, copies, fmt):
    wumin = demo.user("wumin")
    files = copies["responsibility_list_2022"]
    first = responsibility_list_import(actor=wumin, source=files["xlsx"], year=2022)
    expected = _written_list(first)
    responsibility_list_delete_draft(actor=wumin, rlist=first)
    again = responsibility_list_publish(actor=wumin, rlist=responsibility_list_import(
        actor=wumin, source=files[fmt], year=2022))
    assert _written_list(again) == expected
    assert Assignment.objects.filter(item__responsibility_list=again).count() == 66

    ledger = LEDGER_FILE.stem
    batch = rectification_ledger_import(actor=wumin, source=copies[ledger][fmt])
    measures = Measure.objects.filter(problem__batch=batch)
    assert (batch.problems.count(), measures.count()) == (8, 16)
    written = sorted(MeasureUnit.objects.filter(measure__in=measures).values_list(
        "measure__problem__position", "measure__position", "organisation_id", "is_lead"))
    planned = rectification_ledger_plan(source=copies[ledger]["xlsx"])
    assert written == sorted((p_pos, m_pos, o.pk, lead) for p_pos, p in enumerate(planned.problems, start=1)
                             for m_pos, m in enumerate(p.measures, start=1) for o, lead in m.units)

    created = orglife_records_import(actor=wumin, source=copies["records"][fmt])
    assert len(created) == len(GOOD_ROWS)


def test_a_docx_takes_the_first_table_with_a_recognisable_header(demo, copies, tmp_path):
    import docx

    document = docx.Document(str(copies["responsibility_list_2022"]["docx"]))
    body = document.element.body
    layout = document.add_table(rows=1, cols=2)  # a layout table without the list's header, put first
    layout.cell(0, 0).text, layout.cell(0, 1).text = "发文单位", "示范市商务局"
    body.insert(0, layout._tbl)
    path = tmp_path / "with_layout_table.docx"
    document.save(str(path))
    plan = responsibility_list_plan(source=path, year=2022)
    assert plan.errors == [] and len(plan.items) == 25 and plan.sheet == "表格2"


def test_the_csv_copy_has_blank_merged_cells_that_carry_down(copies):
    with copies["responsibility_list_2022"]["csv"].open(encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    assert lines[3].split(",")[1] == ""  # 一、政治建设 is written once, as Excel saves a merged cell
    wb = openpyxl.load_workbook(io.BytesIO(copies["responsibility_list_2022"]["xlsx"].read_bytes()))
    assert "B3:B7" in {str(r) for r in wb.active.merged_cells.ranges}
