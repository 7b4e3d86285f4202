"""The year-end workbook's 督办交办, 约谈 and 问责 sheets and the summary draft's sentence citing them
("全年发出督办单X份，约谈X人次，问责X人"), from the same row sets as the dashboards (accountability.figures).

问责 records are confidential: the sheet and the figure appear only for a requester allowed to read them (or the
management command), and writing them into a workbook is logged like any other read."""
from __future__ import annotations

from accountability.figures import Figures, figures, recipient_set, records_in, talks_in
from accountability.models import AccessLog, AccountabilityForm
from accountability.permissions import reads_records
from accountability.records import access_log
from common.xlsx import Column, SheetSpec

from .figures import YearFigures, cn_date
from .scope import YearScope
from .sheets import subheading

SHEET_INSTRUCTIONS = "督办交办"
SHEET_TALKS = "约谈"
SHEET_RECORDS = "问责"


def _reads_records(ys: YearScope) -> bool:
    return ys.user is None or reads_records(ys.user)


def supervision_figures(ys: YearScope) -> Figures:
    return figures(year=ys.year, today=ys.today, org_ids=ys.subtree.org_ids, with_records=_reads_records(ys),
                   user=ys.user)


def _yes(flag) -> str:
    return "是" if flag else "否"


def instruction_sheet(ys: YearScope, figures: YearFigures, f: Figures) -> SheetSpec | None:
    if not f.recipients:
        return None
    rows = (recipient_set("all", year=ys.year, today=ys.today, org_ids=ys.subtree.org_ids)
            .select_related("instruction__issuing_org", "organisation")
            .order_by("instruction__kind", "instruction__number", "organisation__sort_order", "pk"))
    columns = [Column("序号", 6, "center"), Column("编号", 16), Column("事项", 30), Column("发文单位", 20),
               Column("承办单位", 20), Column("签收截止", 12, "date"), Column("签收日期", 12, "date"),
               Column("按时签收", 9, "center"), Column("办理时限", 12, "date"), Column("首次反馈", 12, "date"),
               Column("按时反馈", 9, "center"), Column("办理状态", 10, "center")]
    return SheetSpec(
        name=SHEET_INSTRUCTIONS, heading=f"{ys.year}年度督办交办办理情况",
        subheading=subheading(ys, figures) + f"　　督办单{f.supervise}份、交办{f.assign}件，承办{f.recipients}家次，"
        f"按时签收{f.acked_on_time}、按时反馈{f.replied_on_time}、逾期未反馈{f.overdue}",
        columns=columns, expected_rows=f.recipients,
        rows=([n, r.instruction.code, r.instruction.title, r.instruction.issuing_org.name, r.organisation.name,
               r.ack_due_on, r.acknowledged_on, _yes(r.acked_on_time), r.instruction.due_on, r.first_replied_on,
               _yes(r.replied_on_time), r.get_state_display()] for n, r in enumerate(rows.iterator(), start=1)))


def talk_sheet(ys: YearScope, figures: YearFigures, f: Figures) -> SheetSpec | None:
    if not f.talks:
        return None
    talks = (talks_in(year=ys.year, org_ids=ys.subtree.org_ids, user=ys.user).select_related("organisation")
             .prefetch_related("talkers", "interviewees").order_by("held_on", "pk"))
    columns = [Column("序号", 6, "center"), Column("约谈时间", 12, "date"), Column("谈话类型", 14),
               Column("约谈人", 16), Column("被约谈人", 20), Column("被约谈单位", 20), Column("人次", 6, "int"),
               Column("约谈事由", 30), Column("跟进时限", 12, "date"), Column("跟进情况", 24)]

    def row(n, t):
        people = list(t.interviewees.all())
        return [n, t.held_on, t.get_kind_display(), "、".join(p.name for p in t.talkers.all()),
                "、".join(p.name for p in people), t.organisation.name if t.organisation_id else None,
                len(people) or 1, t.reason, t.follow_up_on, t.follow_up_note or None]

    return SheetSpec(name=SHEET_TALKS, heading=f"{ys.year}年度约谈情况",
                     subheading=subheading(ys, figures) + f"　　约谈{f.talks}次、{f.talk_people}人次",
                     columns=columns, expected_rows=f.talks, rows=[row(n, t) for n, t in enumerate(talks, start=1)])


def record_sheet(ys: YearScope, figures: YearFigures, f: Figures) -> SheetSpec | None:
    if not (f.with_records and f.records):
        return None
    records = list(records_in(year=ys.year, org_ids=ys.subtree.org_ids).select_related("person", "organisation")
                   .order_by("decided_on", "pk"))
    if ys.user is not None:
        access_log(user=ys.user, action=AccessLog.Action.EXPORT,
                   detail=f"年度台账 {ys.year}年 {figures.label}：{len(records)}条")
    columns = [Column("序号", 6, "center"), Column("决定日期", 12, "date"), Column("问责对象", 16),
               Column("所在单位/被问责单位", 22), Column("形态", 12, "center"), Column("问责方式", 14),
               Column("决定机关", 18), Column("文号", 18), Column("问责事由", 30)]
    spread = "、".join(f"{form.label}{f.by_form[form.value]}" for form in AccountabilityForm if f.by_form[form.value])
    return SheetSpec(
        name=SHEET_RECORDS, heading=f"{ys.year}年度问责情况",
        subheading=subheading(ys, figures) + f"　　问责{f.records}起（{spread}）", columns=columns,
        expected_rows=len(records),
        rows=[[n, r.decided_on, r.subject_name, r.organisation.name, r.get_form_display(), r.get_measure_display(),
               r.deciding_body, r.doc_number or None, r.reason] for n, r in enumerate(records, start=1)])


def supervision_paragraphs(ys: YearScope) -> list[tuple[str, str]]:
    """The draft's sentence on 督办、约谈、问责, from the same figures as the sheets; nothing when there were none."""
    f = supervision_figures(ys)
    if not (f.issued or f.talks or (f.with_records and f.records)):
        return []
    text = (f"全年发出督办单{f.supervise}份" + (f"、交办事项{f.assign}件" if f.assign else "")
            + f"，承办单位{f.recipients}家次，按时签收{f.acked_on_time}家次、按时反馈{f.replied_on_time}家次"
            + (f"，截至{cn_date(ys.today)}仍有{f.overdue}家次逾期未反馈" if f.overdue else "")
            + f"；约谈{f.talk_people}人次")
    if f.with_records:
        spread = "、".join(f"{form.label}{f.by_form[form.value]}起" for form in AccountabilityForm
                           if f.by_form[form.value])
        text += f"；问责{f.people_held}人" + (f"、{f.units_held}个单位" if f.units_held else "") + (
            f"（{spread}）" if spread else "")
    return [("subheading", "（监督执纪问责）"),
            ("body", text + "。坚持抓早抓小、动辄则咎，推动“两个责任”落到实处。")]
