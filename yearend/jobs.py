"""The year-end job: build a requested workbook and draft, recording progress as it goes (the Celery task calls it)."""
from __future__ import annotations

import datetime
import logging
import tempfile
from io import BytesIO

from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from ops.locks import YEAR_END_EXPORT, holder_alive_rules, job_lock

from .models import YearEndExport
from .scope import year_scope_for_user
from .assessment_sheet import assessment_paragraphs
from .supervision_sheet import supervision_paragraphs
from .summary_doc import write_summary
from .workbook import write_workbook

logger = logging.getLogger(__name__)

# A job still "running" this long after it started lost its worker; a redelivered task may take it over.
STALE_AFTER = datetime.timedelta(minutes=30)
Status = YearEndExport.Status


def _claim(export_id: int) -> bool:
    """Take the job with a conditional UPDATE: a repeated or concurrent delivery finds nothing to take. On PostgreSQL
    the caller holds the job's lock, so a job still marked running has lost its worker and is taken over at once."""
    now = timezone.now()
    stale = Q(status=Status.RUNNING) if holder_alive_rules() else Q(status=Status.RUNNING,
                                                                     started_at__lt=now - STALE_AFTER)
    takeable = Q(status=Status.QUEUED) | stale
    return YearEndExport.objects.filter(takeable, pk=export_id).update(
        status=Status.RUNNING, started_at=now, progress=0, stage="", error="") == 1


def year_end_export_run(*, export_id: int, today: datetime.date | None = None) -> bool:
    """Build the workbook and the draft for a queued export, recording progress as it goes; True when done.
    A worker killed mid-export releases the job's lock with its database connection; the redelivered task takes over."""
    with job_lock(YEAR_END_EXPORT, export_id) as held:
        if not held or not _claim(export_id):
            return False
        return _build(export_id, today)


def _build(export_id: int, today: datetime.date | None) -> bool:
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
            write_summary(figures, draft, assessment=assessment_paragraphs(ys) + supervision_paragraphs(ys))
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
