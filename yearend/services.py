"""Year-end exports: what users do (ask for a workbook); a Celery job then builds it (`yearend.jobs`)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Organisation
from branches.scope import scope_for
from ops import outbox

from .models import YearEndExport

TASK = "reports.year_end_export"  # yearend.tasks.year_end_export


def can_export(user) -> bool:
    scope = scope_for(user)
    return scope.sees_all or bool(scope.org_ids)


@transaction.atomic
def year_end_export_request(*, actor, year: int, organisation: Organisation | None = None) -> YearEndExport:
    """Record the request and queue the job once the row is committed."""
    scope = scope_for(actor)
    if not can_export(actor) or (organisation is not None and not scope.can_see(organisation.pk)):
        raise PermissionDenied(_("没有可导出的组织。"))
    export = YearEndExport.objects.create(requested_by=actor, year=year, organisation=organisation,
                                          label=organisation.name if organisation else "")
    # Sent to the broker on commit; while the broker is down the job waits in the outbox and starts once it is back.
    outbox.enqueue(TASK, args=[export.pk], key=waiting_key(export.pk))
    return export


def waiting_key(export_id: int) -> str:
    return f"yearend:{export_id}"


def year_end_export_waiting(export: YearEndExport) -> bool:
    """True while a queued export has not reached the broker (the page says it starts when the queue is back)."""
    return export.status == YearEndExport.Status.QUEUED and outbox.is_waiting(waiting_key(export.pk))
