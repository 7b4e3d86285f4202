"""The year-end workbook's summary, monthly-report, committee-term and organisational-life sheets, as data."""
from __future__ import annotations

from django.db.models import Q

from branches.models import PARTY_ORG_KINDS, CommitteeTerm, Organisation, OrgKind
from common.xlsx import Column, MergeRuns, SheetSpec, Total

from .figures import MONTHS, TermRow, YearFigures, cn_date, rate, renewed_on_time, report_state
from .scope import YearScope

SHEET_SUMMARY = "总体情况"
SHEET_ITEMS = "责任清单落实情况"
SHEET_REPORTS = "月报报送情况"
SHEET_LEDGER = "整改台账"
SHEET_TERMS = "换届情况"
SHEET_ORGLIFE = "组织生活"


def subheading(ys: YearScope, figures: YearFigures) -> str:
    return f"统计范围：{figures.label}　　统计年度：{ys.year}年　　统计截至：{cn_date(ys.today)}"


def summary_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec:
    r, m, t = figures.reports, figures.measures, figures.terms
    sections: list[tuple[str, list[tuple[str, object, str]]]] = []
    list_rows = []
    for lf in figures.lists:
        list_rows += [(f"《{lf.title}》责任类别（方面）", lf.categories, ""),
                      (f"《{lf.title}》事项（具体任务）", lf.items, ""),
                      (f"《{lf.title}》责任单位", lf.units, "清单分解到的组织"),
                      (f"《{lf.title}》任务分解", lf.assignments, "事项 × 责任单位（项次）")]
    if not list_rows:
        list_rows = [("已发布清单", 0, f"{ys.year}年没有已发布的责任清单")]
    sections.append(("责任清单", list_rows))
    sections.append(("月度报告", [
        ("应报月报（份）", r.due, "按时 + 迟报 + 被驳回 + 未报送；未到截止日期的不计"), ("按时报送", r.on_time, ""),
        ("迟报", r.late, ""), ("未报送", r.missing, "已过截止日期仍未提交"),
        ("被驳回", r.returned, "驳回后尚未重新报送"),
        ("审核通过", r.accepted, ""), ("未到截止日期", r.not_due, "不计入应报"),
        ("按时报送率（%）", r.on_time_rate, "按时报送 ÷ 应报"),
    ]))
    sections.append(("照单报告事项", [
        ("报告事项（项次）", r.lines, "已报送（待审核、审核通过）月报中的事项"), ("已完成", r.lines_done, ""),
        ("推进中", r.lines_in_progress, ""), ("未开展", r.lines_not_started, ""), ("不适用", r.lines_not_applicable, ""),
        ("完成率（%）", r.line_done_rate, "已完成 ÷ 报告事项"),
    ]))
    sections.append(("整改落实", [
        ("整改批次", figures.batches, ""), ("问题（个）", figures.problems, ""), ("整改措施（项）", m.total, ""),
        ("已销号", m.closed, ""), ("待审核销号", m.awaiting_review, ""), ("整改中", m.in_progress, ""),
        ("未启动", m.not_started, ""), ("逾期", m.overdue, ""), ("长期坚持", m.long_term, "不计入完成率"),
        ("整改完成率（%，不含长期坚持）", m.completion_rate, "已销号 ÷（整改措施 − 长期坚持）"),
    ]))
    sections.append(("换届", [
        ("需换届的党组织（个）", t.organisations, "党委、党总支、党支部等经选举产生的党组织"),
        ("本年度完成换届", t.renewed, ""), ("按期换届", t.on_time, "在上届届满（或批准延期）之日前选出新一届"),
        ("逾期换届", t.late, ""), ("任期届满尚未换届", t.expired, f"截至{cn_date(ys.as_of)}"),
        ("无任期记录", t.no_record, ""),
    ]))
    if figures.orglife is not None:
        sections.append(("组织生活", [(f"{ot.name}（次）", ot.count, "") for ot in figures.orglife.types]))

    spec = SheetSpec(
        name=SHEET_SUMMARY, heading=f"{figures.label}{ys.year}年度党建暨党风廉政建设责任落实情况总表",
        subheading=subheading(ys, figures),
        columns=[Column("序号", 6, "center"), Column("项目", 14, "center"), Column("指标", 44),
                 Column("数值", 12, "center"), Column("说明", 40)],
        rows=[], freeze_columns=0)

    def rows():
        runs, index, n = MergeRuns(spec, [2]), 0, 0
        for section, entries in sections:
            for label, value, note in entries:
                n += 1
                yield runs.cells(index, [n, section, label, "—" if value is None else value, note or None], [section])
                index += 1
        runs.finish(index - 1)

    spec.rows = rows()
    spec.expected_rows = sum(len(entries) for _s, entries in sections)
    return spec



def reports_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec:
    """Organisation × month: on time, late by how many days, missing, returned; and the year's counts."""
    cells: dict[int, list] = {}
    names: dict[int, str] = {}
    for org_id, name, month, status, days_late, due_on in (
            ys.reports().order_by("organisation__sort_order", "organisation_id", "month")
            .values_list("organisation_id", "organisation__name", "month", "status", "days_late", "due_on")):
        names[org_id] = name
        cells.setdefault(org_id, [None] * 12)[month - 1] = report_state(status, days_late, due_on, ys.today)
    columns = ([Column("序号", 6, "center"), Column("组织", 26)] + [Column(f"{m}月", 9, "center") for m in MONTHS]
               + [Column("应报", 7, "int"), Column("按时", 7, "int"), Column("迟报", 7, "int"), Column("未报", 7, "int"),
                  Column("驳回", 7, "int"), Column("按时率（%）", 9, "rate")])
    spec = SheetSpec(
        name=SHEET_REPORTS, heading=f"{figures.label}{ys.year}年度月度报告报送情况统计表",
        subheading=subheading(ys, figures), columns=columns, expected_rows=len(cells) + 1,
        groups=[(3, 14, "各月报送情况"), (15, 20, "全年")], rows=[])

    def rows():
        totals, keys = [0] * 5, {"on_time": 1, "late": 2, "missing": 3, "returned": 4}
        for n, (org_id, months) in enumerate(cells.items(), start=1):
            counts = [0] * 5  # due, on time, late, missing, returned
            row = [n, names[org_id]]
            for cell in months:
                row.append(cell[1] if cell else None)
                if cell and cell[0] in keys:
                    counts[0] += 1
                    counts[keys[cell[0]]] += 1
            totals = [a + b for a, b in zip(totals, counts)]
            yield row + counts + [rate(counts[1], counts[0]) if counts[0] else "—"]
        yield Total(["合计", None] + [None] * 12 + totals + [rate(totals[1], totals[0]) if totals[0] else "—"])

    spec.rows = rows()
    spec.merges.append((len(cells), 1, len(cells), 2))  # 合计 spans 序号 and 组织
    return spec



def _renewal_text(new: CommitteeTerm, previous: CommitteeTerm) -> str:
    if renewed_on_time(new, previous):
        return "是"
    return f"否（逾期{(new.elected_on - previous.ends_on).days}天）"


def terms_sheet(ys: YearScope, figures: YearFigures, term_rows: list[TermRow]) -> SheetSpec:
    columns = [Column("序号", 6, "center"), Column("党组织", 26), Column("组织类别", 10, "center"),
               Column("本届选举日期", 15, "date"), Column("任期（年）", 8, "int"), Column("届满日期", 15, "date"),
               Column("延期至", 15, "date"), Column("上届届满日期", 15, "date"), Column("本年度换届", 10, "center"),
               Column("是否按期换届", 14, "center"), Column("任期状态", 20, "center"), Column("备注", 16)]
    spec = SheetSpec(name=SHEET_TERMS, heading=f"{figures.label}{ys.year}年度基层党组织换届情况台账",
                     subheading=f"{subheading(ys, figures)}　　任期状态截至{cn_date(ys.as_of)}",
                     columns=columns, expected_rows=len(term_rows), rows=[])

    def rows():
        for n, row in enumerate(term_rows, start=1):
            org, term, previous = row.organisation, row.term, row.previous
            kind = OrgKind(org.kind).label
            if term is None:
                yield [n, org.name, str(kind), None, None, None, None, None, "否", "—", "无任期记录", None]
                continue
            if row.renewals:
                renewed = "是（" + "；".join(cn_date(new.elected_on) for new, _p in row.renewals) + "）"
                on_time = "；".join(_renewal_text(new, prev) for new, prev in row.renewals)
            else:
                renewed = "否"
                on_time = _renewal_text(term, previous) if previous else "—（无上届记录）"
            if term.ends_on < ys.as_of:
                state = f"已届满未换届（{(ys.as_of - term.ends_on).days}天）"
            else:
                state = f"任期内（{cn_date(term.ends_on)}届满）"
            yield [n, org.name, str(kind), term.elected_on, term.years, term.expires_on, term.postponed_to,
                   previous.ends_on if previous else None, renewed, on_time, state, term.note or None]

    spec.rows = rows()
    return spec


def orglife_sheet(ys: YearScope, figures: YearFigures) -> SheetSpec | None:
    life = figures.orglife
    if life is None:
        return None
    types = life.types
    orgs = list(ys.subtree.filter(Organisation.objects.filter(Q(kind__in=sorted(PARTY_ORG_KINDS), is_active=True)
                                                              | Q(pk__in=list(life.by_org))), "pk")
                .order_by("sort_order", "id").values_list("pk", "name"))
    columns = ([Column("序号", 6, "center"), Column("党组织", 26)]
               + [Column(t.name, max(7.0, 2.2 * len(t.name) + 1), "int") for t in types] + [Column("合计", 8, "int")])
    spec = SheetSpec(name=SHEET_ORGLIFE, heading=f"{figures.label}{ys.year}年度组织生活开展情况统计表",
                     subheading=subheading(ys, figures) + "　　（次；退回的记录不计）",
                     columns=columns, expected_rows=len(orgs) + 1,
                     groups=[(3, 2 + len(types), "组织生活类型")] if types else [], rows=[])

    def rows():
        for n, (org_id, name) in enumerate(orgs, start=1):
            counts = [life.by_org.get(org_id, {}).get(t.code, 0) for t in types]
            yield [n, name] + counts + [sum(counts)]
        yield Total(["合计", None] + [t.count for t in types] + [life.total])

    spec.rows = rows()
    spec.merges.append((len(orgs), 1, len(orgs), 2))
    return spec
