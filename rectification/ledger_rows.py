"""The ledger page's rows, written as HTML here: a hundred measures × thirteen cells through template variables
(each looked up, escaped and localised one by one) cost more than reading them from the database."""
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import MeasureStatus

STATUS_CSS = {MeasureStatus.CLOSED: " tag-green", MeasureStatus.OVERDUE: " tag-red",
              MeasureStatus.AWAITING_REVIEW: " tag-yellow"}


def problem_spans(measures):
    """(measure, rowspan): the first row of each problem on the page spans its measures; the others get 0."""
    rows, start = [], 0
    for i, measure in enumerate(measures):
        if i == 0 or measure.problem_id != measures[i - 1].problem_id:
            start = i
            rows.append([measure, 1])
        else:
            rows[start][1] += 1
            rows.append([measure, 0])
    return rows


def ledger_rows(measures):
    """(measure, rowspan) as `problem_spans` gives them, each measure carrying its table row as `row_html`."""
    labels = {value: str(label) for value, label in MeasureStatus.choices}
    link = reverse("rectification:measure", args=[999999999]).replace("999999999", "{}").format
    rows = problem_spans(measures)
    for measure, span in rows:
        measure.row_html = mark_safe(_row(measure, span, labels, link))
    return rows


def _row(measure, span, labels, link) -> str:
    status = measure.get_status()
    units = measure.units_label = (measure.units_text
                                   or "、".join(u.organisation.display_name for u in measure.unit_list))
    shown = measure.due_on_unless_written  # the parsed date only when the ledger's wording lacks it
    problem = measure.problem
    cells = []
    if span:
        cells.append(f'<td rowspan="{span}">{escape(problem.seq)}</td>'
                     f'<td rowspan="{span}">{escape(problem.category)}<br><span class="muted">'
                     f'{escape(problem.batch.title)}</span></td>'
                     f'<td rowspan="{span}" class="pre">{escape(problem.description)}</td>')
    due = f'<br><span class="muted">{shown.isoformat()}</span>' if shown else ""
    cells.append(
        f'<td class="pre"><a href="{link(measure.pk)}">{escape(measure.text)}</a></td>'
        f"<td>{escape(measure.leader_name)}</td><td>{escape(units)}</td><td>{escape(measure.person_name)}</td>"
        f"<td>{escape(measure.deadline_text)}{due}</td><td class=\"pre\">{escape(measure.standard)}</td>"
        f'<td class="pre">{escape(measure.progress_text)}</td><td>{escape(measure.done_text)}</td>'
        f"<td>{escape(measure.struck_text)}</td>"
        f'<td><span class="tag{STATUS_CSS.get(status, "")}" data-status="{status}">{escape(labels[status])}</span></td>')
    return "<tr>" + "".join(cells) + "</tr>"
