"""The printable 督办单 / 交办单 in the official layout (python-docx): title, number, a ruled table of 督办事项,
督办要求, 办理时限, 承办单位 with 签收 and 办理结果, and the issuing office with the date."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from django.utils import timezone

from .models import Instruction, RecipientState


def _font(run, size: float, bold: bool = False, family: str = "仿宋_GB2312") -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = family
    run._element.rPr.rFonts.set(qn("w:eastAsia"), family)


def sheet_rows(instruction: Instruction, recipients) -> list[tuple[str, str]]:
    """The rows of the form, shared by the print page and the .docx."""
    def ack(r):
        if r.acknowledged_at:
            return f"{r.acknowledged_by or ''} {timezone.localtime(r.acknowledged_at):%Y年%m月%d日}"
        return "未签收" if r.state == RecipientState.PENDING else ""

    def result(r):
        text = r.reply_text or "（尚未反馈）"
        return f"{text}（{r.get_state_display()}）"

    kind = instruction.get_kind_display()
    rows = [(f"{kind}事项", instruction.title), (f"{kind}要求", instruction.requirement)]
    if instruction.source_label:
        rows.append(("事项来源", instruction.source_label))
    rows += [("办理时限", f"{instruction.due_on:%Y年%m月%d日}前反馈办理结果；收到后{instruction.ack_days}日内签收"),
             ("承办单位", "、".join(r.organisation.name for r in recipients))]
    for r in recipients:
        rows.append((f"签收人/签收时间（{r.organisation.name}）", ack(r)))
        rows.append((f"办理结果（{r.organisation.name}）", result(r)))
    rows.append((f"{kind}人", f"{instruction.issued_by}（{instruction.issuing_org.name}）"))
    return rows


def instruction_docx(instruction: Instruction, recipients) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    kind = instruction.get_kind_display()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"{kind}单"), 22, bold=True, family="方正小标宋简体")
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(number.add_run(instruction.code), 16)
    rows = sheet_rows(instruction, recipients)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (label, value) in enumerate(rows):
        left, right = table.rows[i].cells
        left.width, right.width = Cm(4.2), Cm(11.4)
        _font(left.paragraphs[0].add_run(label), 14, bold=True)
        for n, part in enumerate(str(value).split("\n")):
            paragraph = right.paragraphs[0] if n == 0 else right.add_paragraph()
            _font(paragraph.add_run(part), 14)
    sign = doc.add_paragraph()
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sign.paragraph_format.space_before = Pt(24)
    _font(sign.add_run(f"{instruction.issuing_org.name}\n{timezone.localtime(instruction.issued_at):%Y年%m月%d日}"),
          16)
    note = doc.add_paragraph()
    _font(note.add_run("请承办单位收到后及时签收，按期反馈办理结果及佐证材料。"), 12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
