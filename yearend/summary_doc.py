"""The year-end summary draft (.docx): the review section of a 党组's year-end speech, every figure from the data.

It follows the speeches' review structure (压实主体责任 … 抓实整改落实, then 存在问题 and 下步打算) and fills each
figure the workbook's first sheet holds. Where the data has no answer (no records of a kind yet), the draft says
so in 【】 for the editor instead of leaving an X.
"""
from __future__ import annotations

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .figures import OrglifeFigures, YearFigures

ORDINALS = "一二三四五六七八九十"
BODY_FONT, HEADING_FONT, SUBHEADING_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"


def _n(value: float | None) -> str:
    """A rate as the speeches write it: 100, 87.5."""
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _counts(types, *, skip_zero=True) -> str:
    """召开支部党员大会4次、支委会12次，讲党课4次: the verb said once for a run of types sharing it."""
    parts, verb = [], None
    for t in types:
        if skip_zero and not t.count:
            continue
        if t.verb == verb:
            parts.append(f"、{t.name}{t.count}次")
        else:
            parts.append(("，" if parts else "") + f"{t.verb}{t.name}{t.count}次")
            verb = t.verb
    return "".join(parts)


def _group(life: OrglifeFigures | None, *groups: str, talks: bool | None = None):
    if life is None:
        return []
    return [t for t in life.types if t.group in groups and (talks is None or t.is_talk == talks)]


def review_paragraphs(f: YearFigures) -> list[tuple[str, str]]:
    """The draft as (kind, text): kind is title, note, heading, subheading or body."""
    r, m, t, life = f.reports, f.measures, f.terms, f.orglife
    out: list[tuple[str, str]] = [
        ("title", f"{f.label}{f.year}年度全面从严治党暨党风廉政建设工作总结"),
        ("note", "（初稿）"),
        ("note", f"本稿根据截至{_date(f.today)}的系统数据生成，各项数字与同名年度台账工作簿一致，请结合实际修改完善。"),
        ("heading", f"一、{f.year}年工作回顾"),
        ("body", f"{f.year}年，{f.label}认真履行全面从严治党主体责任，坚持党建工作与业务工作同部署、同落实、同检查、"
                 "同考核，一级抓一级、层层抓落实，党建暨党风廉政建设各项工作取得新成效。"),
    ]

    # （一）主体责任 and the monthly reports against the list
    sentences = []
    for lf in f.lists:
        aspects = f"{lf.categories}个方面、" if lf.categories else ""
        sentences.append(f"制定了《{lf.title}》，将全年工作梳理细化为{aspects}{lf.items}项具体任务，"
                         f"分解落实到{lf.units}个责任单位（共{lf.assignments}项次）")
    duty = "；".join(sentences) + "，明确责任、细化任务、压实责任。" if sentences else \
        f"【{f.year}年没有已发布的责任清单，请补充责任清单制定情况。】"
    if r.due:
        monthly = (f"坚持每月照单上报完成情况，全年应报月度报告{r.due}份，按时报送{r.on_time}份，"
                   f"按时报送率{_n(r.on_time_rate)}%")
        extras = [f"迟报{r.late}份" if r.late else "", f"未报送{r.missing}份" if r.missing else "",
                  f"被驳回待重新报送{r.returned}份" if r.returned else ""]
        monthly += "".join(f"，{e}" for e in extras if e) + "。"
        if r.lines:
            monthly += (f"照单报告事项{r.lines}项次，其中已完成{r.lines_done}项次，"
                        f"完成率{_n(r.line_done_rate)}%。")
    else:
        monthly = f"【{f.year}年尚无到期的月度报告。】"
    out += [("subheading", "（一）压实主体责任，照单履责"), ("body", duty + monthly)]

    # （二）理论武装: 第一议题, 理论学习中心组 and the other study records
    study = _counts(_group(life, "study"))
    out += [("subheading", "（二）强化理论武装，筑牢思想根基"),
            ("body", f"坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务，全年{study}。" if study else
             "【本年度尚无第一议题、理论学习中心组等学习记录，请补充。】")]

    # （三）基层基础: 三会一课, organisational life, 换届
    meetings = _counts(_group(life, "three_meetings"))
    org_life = _counts(_group(life, "org_life"))
    basics = []
    if meetings or org_life:
        basics.append("认真落实“三会一课”等组织生活制度，各级党组织全年" + "，".join(p for p in (meetings, org_life) if p)
                      + "。")
    else:
        basics.append("【本年度尚无“三会一课”等组织生活记录，请补充。】")
    if t.renewed:
        renewal = f"严格落实基层党组织换届提醒制度，全年{t.renewed}个党组织完成换届，其中按期换届{t.on_time}个"
        renewal += f"，逾期换届{t.late}个。" if t.late else "。"
    else:
        renewal = "全年没有党组织进行换届。"
    if t.expired:
        renewal += f"截至{_date(f.as_of)}，尚有{t.expired}个党组织任期届满未换届。"
    basics.append(renewal)
    out += [("subheading", "（三）夯实基层基础，规范组织生活"), ("body", "".join(basics))]

    # （四）整改: the ledger, completion rate excluding 长期坚持
    if m.total:
        rectify = (f"对照{f.batches}批次反馈的{f.problems}个问题，制定整改措施{m.total}项，逐项明确责任领导、责任部门、"
                   f"责任人和整改时限。截至{_date(f.today)}，已完成整改并销号{m.closed}项")
        if m.awaiting_review:
            rectify += f"，已完成待审核销号{m.awaiting_review}项"
        if m.long_term:
            rectify += f"，需要长期坚持{m.long_term}项"
        if m.rated and m.closed == m.rated:
            rectify += "；除需要长期坚持项外，所有整改措施全部完成到位，整改完成率100%。"
        else:
            rectify += (f"；除需要长期坚持项外，整改完成率{_n(m.completion_rate)}%，"
                        f"尚有{m.rated - m.closed}项正在推进")
            rectify += f"（其中逾期{m.overdue}项）。" if m.overdue else "。"
    else:
        rectify = f"{f.year}年没有需要整改的问题。"
    out += [("subheading", "（四）抓实整改落实，推动问题清零"), ("body", rectify)]

    # （五）谈心谈话 and 廉政谈话
    talks = _counts(_group(life, "talk"))
    out += [("subheading", "（五）从严监督管理，抓早抓小"),
            ("body", f"认真执行谈心谈话和廉政谈话制度，全年{talks}。" if talks else
             "【本年度尚无谈心谈话、廉政谈话记录，请补充。】")]

    # 二、存在问题: what the data shows, for the editor to build on
    problems = []
    if r.late or r.missing:
        problems.append(f"照单报告还不够及时，全年迟报月度报告{r.late}份、未报送{r.missing}份")
    if m.overdue:
        problems.append(f"整改落实还有差距，{m.overdue}项整改措施超过整改时限尚未完成")
    if t.expired or t.late:
        problems.append(f"基层党组织换届还不够规范，{t.late}个党组织逾期换届、{t.expired}个党组织任期届满尚未换届")
    if life is not None:
        idle = [x.name for x in life.types if x.required and not x.count]
        if idle:
            problems.append("组织生活开展还不够全面，" + "、".join(idle) + "本年度尚无记录")
    out.append(("heading", "二、存在的问题"))
    for i, text in enumerate(problems):
        out.append(("body", f"{ORDINALS[i]}是{text}。"))
    out.append(("body", "【请结合民主生活会查摆、巡察反馈等情况补充。】"))

    # 三、下步打算
    plans = []
    if m.rated > m.closed:
        plans.append(f"持续跟踪督办尚未完成的{m.rated - m.closed}项整改措施，完成一项、销号一项")
    if t.expired:
        plans.append(f"督促{t.expired}个任期届满的党组织尽快完成换届")
    if r.late or r.missing:
        plans.append("严格落实每月照单报告制度，对迟报、漏报及时提醒、通报")
    out.append(("heading", f"三、{f.year + 1}年工作打算"))
    for i, text in enumerate(plans):
        out.append(("body", f"{ORDINALS[i]}是{text}。"))
    out.append(("body", "【请结合上级部署和本单位实际补充。】"))
    return out


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def write_summary(figures: YearFigures, out, *, assessment: list[tuple[str, str]] = ()) -> None:
    """Write the draft to `out` (a path or binary file); `assessment` paragraphs (考核, 督办问责) close the review
    section."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Pt(841.9), Pt(595.3)  # A4
    section.top_margin = section.bottom_margin = Pt(104)  # 公文 margins: 37 mm top, 35 mm bottom
    section.left_margin, section.right_margin = Pt(79), Pt(74)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    paragraphs = review_paragraphs(figures)
    if assessment:
        at = next((i for i, (kind, text) in enumerate(paragraphs) if kind == "heading" and text.startswith("二、")),
                  len(paragraphs))
        paragraphs[at:at] = list(assessment)
    for kind, text in paragraphs:
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.line_spacing = Pt(28)
        run = paragraph.add_run(text)
        if kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(run, TITLE_FONT, 22)
        elif kind == "note":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(run, SUBHEADING_FONT, 14)
        elif kind == "heading":
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _font(run, HEADING_FONT, 16)
        elif kind == "subheading":
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _font(run, SUBHEADING_FONT, 16, bold=True)
        else:
            paragraph.paragraph_format.first_line_indent = Pt(32)
            _font(run, BODY_FONT, 16)
    doc.core_properties.title = paragraphs[0][1]
    doc.save(out)
