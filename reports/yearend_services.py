"""Year-end exports as a job: a user asks, a Celery task builds the workbook and the draft, the page polls progress."""
from __future__ import annotations

import datetime
import logging
import tempfile
from io import BytesIO

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation
from ops import outbox
from branches.scope import scope_for

from .models import YearEndExport
from .summary_doc import write_summary
from .yearend import write_workbook, year_scope_for_user

logger = logging.getLogger(__name__)

# A job still "running" this long after it started lost its worker; a redelivered task may take it over.
STALE_AFTER = datetime.timedelta(minutes=30)
Status = YearEndExport.Status


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
    outbox.enqueue("reports.year_end_export", args=[export.pk], key=waiting_key(export.pk))
    return export


def waiting_key(export_id: int) -> str:
    return f"yearend:{export_id}"


def year_end_export_waiting(export: YearEndExport) -> bool:
    """True while a queued export has not reached the broker (the page says it starts when the queue is back)."""
    return export.status == Status.QUEUED and outbox.is_waiting(waiting_key(export.pk))


def _claim(export_id: int) -> bool:
    """Take the job with a conditional UPDATE: a repeated or concurrent delivery finds nothing to take."""
    now = timezone.now()
    takeable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER)
    return YearEndExport.objects.filter(takeable, pk=export_id).update(
        status=Status.RUNNING, started_at=now, progress=0, stage="", error="") == 1


def year_end_export_run(*, export_id: int, today: datetime.date | None = None) -> bool:
    """Build the workbook and the draft for a queued export, recording progress as it goes; True when done."""
    if not _claim(export_id):
        return False
    export = YearEndExport.objects.select_related("requested_by", "organisation").get(pk=export_id)
    last = [-1]

    def progress(percent: int, stage: str) -> None:
        if percent != last[0]:  # a row update per percent, not per few hundred rows
            last[0] = percent
            YearEndExport.objects.filter(pk=export_id).update(progress=percent, stage=stage[:50])

    try:
        ys = year_scope_for_user(user=export.requested_by, year=export.year, root=export.organisation,
                                 today=today or timezone.localdate())
        with tempfile.TemporaryFile() as book:
            figures = write_workbook(ys, book, progress=progress)
            progress(95, "生成总结初稿")
            draft = BytesIO()
            write_summary(figures, draft)
            base = f"{figures.label}{export.year}年度"
            book.seek(0)
            export.workbook.save(f"{base}台账.xlsx", File(book), save=False)
            export.draft.save(f"{base}总结初稿.docx", ContentFile(draft.getvalue()), save=False)
    except Exception as exc:  # the page shows the failure; the log keeps the traceback
        logger.exception("year-end export %s failed", export_id)
        YearEndExport.objects.filter(pk=export_id).update(status=Status.FAILED, error=str(exc)[:2000] or repr(exc),
                                                           finished_at=timezone.now())
        return False
    YearEndExport.objects.filter(pk=export_id).update(
        status=Status.DONE, progress=100, stage="完成", label=figures.label[:200], workbook=export.workbook.name,
        draft=export.draft.name, finished_at=timezone.now())
    return True


def year_end_export_get(*, user, pk) -> YearEndExport:
    """The user's own export, while its organisation is still in their scope; anything else is a 404."""
    try:
        export = YearEndExport.objects.select_related("organisation").get(pk=pk, requested_by=user)
    except (YearEndExport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if export.organisation_id is not None and not scope_for(user).can_see(export.organisation_id):
        raise Http404
    return export


def year_end_exports_recent(*, user, limit: int = 10) -> list[YearEndExport]:
    return list(YearEndExport.objects.filter(requested_by=user).select_related("organisation")[:limit])
