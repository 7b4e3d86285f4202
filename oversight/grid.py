"""The year grid: organisation × month, each cell a report's state, as the dashboards and their export show it."""
import datetime
from typing import NamedTuple

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from branches.models import Organisation
from branches.scope import scope_for
from common import statements
from reports.models import EDITABLE, MonthlyReport, ReportStatus


class Cell(NamedTuple):
    """One month of one organisation: the report, its state as worded for the reader, and the tag's class."""

    pk: int
    label: str
    css: str


STATE_CLASS = {
    ReportStatus.ACCEPTED: "tag-green", ReportStatus.SUBMITTED: "tag-blue", ReportStatus.RETURNED: "tag-red",
    ReportStatus.DRAFT: "tag-yellow",
}


def year_grid(*, user, year: int, today: datetime.date, org_ids=None, organisations=None):
    """Organisation × month: each cell the report's state as text (and class), with overdue or late days.

    `organisations`: the rows wanted, in order (a page of them, already read within the user's scope); without it,
    every organisation with a report the user may see (within `org_ids` when given)."""
    if organisations is not None:
        org_ids = [org.pk for org in organisations]

    def build():
        reports = MonthlyReport.objects.visible_to(user).filter(year=year)
        if org_ids is not None:
            reports = reports.filter(organisation__in=org_ids)
        # Whether a report was ever sent, not when: a thousand timestamps parsed for a yes or no.
        return reports.annotate(sent=Q(submitted_at__isnull=False)).values_list(
            "pk", "organisation_id", "month", "status", "days_late", "due_on", "sent")

    # The statement depends on the year, the user's scope and the organisations only (common.statements).
    reports = statements.rows(("grid.cells", year, scope_for(user).key,
                               None if org_ids is None else tuple(org_ids)), build)
    cells: dict[int, dict[int, Cell]] = {}
    labels = {str(status): str(label) for status, label in ReportStatus.choices}
    css = {str(status): value for status, value in STATE_CLASS.items()}
    editable = frozenset(str(status) for status in EDITABLE)
    overdue, late_sent = _("%(label)s（逾期%(n)s天）"), _("%(label)s（迟报%(n)s天）")  # once, not per cell
    worded: dict[tuple, tuple] = {}  # (status, overdue or late, days) → (label, class): a few dozen per page
    for pk, org_id, month, status, days_late, due_on, sent in reports:
        late = max(0, (today - due_on).days) if status in editable else days_late  # a returned report is open again
        if status in editable and late:
            key = (status, "overdue", late)
        else:
            key = (status, "late", days_late) if sent and days_late else (status, "", 0)
        shown = worded.get(key)
        if shown is None:
            wording = {"overdue": overdue, "late": late_sent}.get(key[1])
            shown = worded[key] = (wording % {"label": labels[status], "n": key[2]} if wording else labels[status],
                                   css[status])
        cells.setdefault(org_id, {})[month] = Cell(pk, *shown)
    if organisations is None:
        organisations = (scope_for(user).filter_organisations(Organisation.objects.filter(pk__in=cells))
                         .only("pk", "name", "short_name", "sort_order").order_by("sort_order", "pk"))
    return [(org, [cells[org.pk].get(m) for m in range(1, 13)]) for org in organisations if org.pk in cells]


# The grid page's rows are written here: twelve hundred cells and a hundred ranking rows through template tags
# (each value looked up, escaped and localised one at a time) were most of the page's time.
EMPTY_CELL = '<td><span class="muted">—</span></td>'


def grid_rows_html(rows, orgs_url: str) -> list[str]:
    """One `<tr>` per organisation: its name linking to its page, then its twelve months."""
    report_link = reverse("reports:detail", args=[999999999]).split("999999999")
    tails = {}  # the end of a cell after its link, for each of the few dozen distinct labels among a thousand cells

    def cell_html(cell):
        if not cell:
            return EMPTY_CELL
        tail = tails.get((cell.label, cell.css))
        if tail is None:
            tail = tails[cell.label, cell.css] = f'{report_link[1]}" class="tag {cell.css}">{escape(cell.label)}</a></td>'
        return f'<td><a href="{report_link[0]}{cell.pk}{tail}'

    return [mark_safe(f'<tr><th scope="row"><a href="{orgs_url}{org.pk}/">{escape(org.display_name)}</a></th>'
                      + "".join(map(cell_html, cells)) + "</tr>") for org, cells in rows]


def ranking_rows_html(page, orgs_url: str) -> list[str]:
    """One `<tr>` per ranked organisation of a Paginator page: place, name, due, on time, rate, missing, overdue
    measures."""
    return [mark_safe(
        f'<tr><td>{place}</td><td><a href="{orgs_url}{r["organisation"].pk}/">{escape(r["organisation"].name)}</a>'
        f'</td><td>{r["total"]}</td><td>{r["on_time"]}</td>'
        f'<td>{"—" if r["rate"] is None else localize(r["rate"]) + "%"}</td><td>{r["missing"]}</td>'
        f'<td>{r["overdue_measures"]}</td></tr>') for place, r in enumerate(page, start=page.start_index())]
