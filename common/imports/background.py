"""Large uploads planned and imported by a Celery job, never in the web request.

An upload whose table has more rows than IMPORT_BACKGROUND_ROWS is staged as usual and handed, through the outbox,
to a job that runs the app's own plan (the same preview: every error with its location) and, once the uploader
confirms, the app's own import in one transaction. The job records its progress on an ops.ImportJob row; the page
polls it. Small uploads never come here."""
from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
import zipfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from lxml import etree

from common.tables.errors import ReadError
from common.tables.sources import read_grids
from ops import outbox
from ops.models import ImportJob

from . import ImportRejected
from .plans import row_progress
from .staging import staged_path

log = logging.getLogger(__name__)

TASK = "imports.import_job"
DEFAULT_BACKGROUND_ROWS = 1000
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
Status = ImportJob.Status
RUNNING = (Status.QUEUED, Status.PLANNING, Status.CONFIRMED, Status.IMPORTING)  # the page keeps polling


def background_rows() -> int:
    """More data rows than this and the upload is planned and imported in the background."""
    return int(getattr(settings, "IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def _xlsx_rows(path) -> int:
    """The longest sheet's rows holding a value, streamed from the XML (no cells built)."""
    most = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            count = 0
            for _event, row in etree.iterparse(archive.open(name), events=("end",), tag=f"{_MAIN}row",
                                               resolve_entities=False, no_network=True, huge_tree=False):
                count += any(len(cell) for cell in row)
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
            most = max(most, count)
    return most


def table_rows(path, name: str) -> int:
    """About how many rows the staged file's longest table has (the header included); 0 when it cannot be read,
    so the request's own plan reports why."""
    try:
        if zipfile.is_zipfile(path) and not name.lower().endswith(".docx"):
            return _xlsx_rows(path)
        with open(path, "rb") as handle:
            _kind, grids = read_grids(handle, name)
        return max((grid.nrows for grid in grids), default=0)
    except (ReadError, zipfile.BadZipFile, etree.LxmlError, OSError, KeyError, ValueError):
        return 0


def waiting_key(job_id: int) -> str:
    return f"import:{job_id}"


def import_job_waiting(job: ImportJob) -> bool:
    """True while the job's task is kept in the outbox because the broker is down (the page says so)."""
    return job.status in (Status.QUEUED, Status.CONFIRMED) and outbox.is_waiting(waiting_key(job.pk))


def _form_values(data: dict) -> bytes:
    return dumps({key: value for key, value in data.items() if key != "file"})


def _seal(payload: bytes) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"import-job:" + payload, hashlib.sha256).digest()


def dumps(value) -> bytes:
    """A job field: the pickled value after its HMAC, so that a row changed outside this module is refused."""
    payload = pickle.dumps(value)
    return _seal(payload) + payload


@transaction.atomic
def import_job_start(*, actor, flow: str, token: str, file_name: str, data: dict, rows: int) -> ImportJob:
    """Record the staged upload's job and queue its plan (sent to the broker on commit, kept while it is down)."""
    job = ImportJob.objects.create(flow=flow, uploaded_by=actor, token=token, file_name=file_name[:255], rows=rows,
                                   data=_form_values(data))
    outbox.enqueue(TASK, args=[job.pk], key=waiting_key(job.pk))
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, data: dict) -> bool:
    """Queue the import the uploader confirmed; False when the job is not waiting for a confirmation (a repeated
    click, or a plan with errors), so nothing is queued twice."""
    if job.status != Status.PLANNED or loads(job.plan).errors:
        return False
    claimed = ImportJob.objects.filter(pk=job.pk, status=Status.PLANNED).update(
        status=Status.CONFIRMED, progress=0, data=_form_values(data))
    if not claimed:
        return False
    outbox.enqueue(TASK, args=[job.pk], key=waiting_key(job.pk))
    return True


def loads(value) -> object:
    """A job field this module wrote with `dumps`."""
    # Only this module writes these fields, from values the app built (never bytes a user sent); the seal makes
    # sure of it before anything is unpickled, so a row altered in the database cannot run code in a worker.
    if value is None:
        return None
    value = bytes(value)
    seal, payload = value[:32], value[32:]
    if not hmac.compare_digest(seal, _seal(payload)):
        raise ValueError("import job field failed its integrity check")
    return pickle.loads(payload)


def _reporter(job_id: int, start: int, span: int):
    last = [-1]

    def report(done: int, total: int) -> None:
        percent = start + min(span - 1, done * span // max(total, 1))
        if percent != last[0]:
            last[0] = percent
            ImportJob.objects.filter(pk=job_id).update(progress=percent)
    return report


def _finish(job_id: int, status: str, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


def import_job_run(*, job_id: int) -> str:
    """The task's work: plan a queued job or import a confirmed one. A repeated delivery finds the job taken and
    does nothing. Returns the status the job ends in."""
    if ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.PLANNING, progress=0):
        return _plan(ImportJob.objects.get(pk=job_id))
    if ImportJob.objects.filter(pk=job_id, status=Status.CONFIRMED).update(status=Status.IMPORTING, progress=0):
        return _import(ImportJob.objects.get(pk=job_id))
    return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""


def _plan(job: ImportJob) -> str:
    flow, path = import_string(job.flow)(), staged_path(job.token, job.file_name)
    reset = row_progress.set(_reporter(job.pk, 0, 100))
    try:
        with path.open("rb") as handle:
            plan = flow.plan(source=handle, file_name=job.file_name, data=loads(job.data))
    except FileNotFoundError:
        _finish(job.pk, Status.FAILED, error=_("上传的文件已失效，请重新上传。"))
        return Status.FAILED
    except Exception:
        log.exception("import job %s: planning failed", job.pk)
        path.unlink(missing_ok=True)
        _finish(job.pk, Status.FAILED, error=_("检查文件时出错，未导入任何数据。"))
        return Status.FAILED
    finally:
        row_progress.reset(reset)
    if plan.errors:
        path.unlink(missing_ok=True)  # nothing to confirm
    ImportJob.objects.filter(pk=job.pk).update(status=Status.PLANNED, progress=100, plan=dumps(plan))
    return Status.PLANNED


def _import(job: ImportJob) -> str:
    # Inside the transaction no other connection sees a progress update, so the import reports its steps only.
    flow, path = import_string(job.flow)(), staged_path(job.token, job.file_name)
    try:
        with path.open("rb") as handle, transaction.atomic():
            result = flow.run(actor=job.uploaded_by, source=handle, file_name=job.file_name, data=loads(job.data))
    except FileNotFoundError:
        _finish(job.pk, Status.FAILED, error=_("上传的文件已失效，请重新上传。"))
        return Status.FAILED
    except ImportRejected as exc:
        path.unlink(missing_ok=True)
        _finish(job.pk, Status.REJECTED, progress=100, plan=dumps(exc.plan))
        return Status.REJECTED
    except Exception:
        log.exception("import job %s: import failed", job.pk)
        path.unlink(missing_ok=True)
        _finish(job.pk, Status.FAILED, error=_("导入时出错，未导入任何数据。"))
        return Status.FAILED
    path.unlink(missing_ok=True)
    _finish(job.pk, Status.DONE, progress=100, result=dumps(result))
    return Status.DONE
