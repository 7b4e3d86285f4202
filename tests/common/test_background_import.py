"""A large upload is planned and imported by a background job, never in the request: the page shows its progress,
then the same preview as an in-request upload, then the outcome; only its uploader sees it; a broker that is down
leaves it waiting in the outbox and the page says so."""
import io
import json

import openpyxl

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.imports import background
from ops.models import ImportJob, OutboxMessage
from orglife.models import Record
from rectification.models import Problem
from responsibility.models import Item, ResponsibilityList
from tests.factories import RoleGrantFactory
from tests.ops.test_outbox import DEAD_REDIS, reset_producer_pool
from tests.orglife.test_orglife_import import GOOD_ROWS, workbook
from tests.responsibility.conftest import sample
from tests.responsibility.test_import_speed import long_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = 30  # data rows of the large file; its table has ROWS + 2 rows (title and header)
FIELDS = {"year": 2022, "kind": "main"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_BACKGROUND_ROWS = 20
    return settings.MEDIA_ROOT


def upload(client, data: bytes):
    return client.post(reverse("responsibility:import"),
                       {**FIELDS, "file": SimpleUploadedFile("长清单.xlsx", data, content_type=XLSX)})


def status(client, job):
    return json.loads(client.get(reverse("responsibility:import_job_status", args=[job.pk])).content)


def test_a_large_upload_is_queued_not_planned_in_the_request(demo, client, media):
    demo.client_for(client, "wumin")
    response = upload(client, long_list(ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("responsibility:import_job", args=[job.pk])
    assert (job.status, job.rows, job.plan, job.uploaded_by.username) == ("queued", ROWS + 2, None, "wumin")
    assert OutboxMessage.objects.get().args == [job.pk]  # handed over through the outbox
    page = client.get(response.url)
    assert page.status_code == 200 and 'data-testid="import-status"' in page.content.decode()
    assert status(client, job) == {"status": "queued", "status_label": "排队检查", "progress": 0, "waiting": True,
                                   "error": "", "running": True}


def test_the_job_reports_progress_and_shows_the_same_preview_as_the_request(demo, client, media, settings,
                                                                            monkeypatch):
    demo.client_for(client, "wumin")
    data = long_list(ROWS)
    settings.IMPORT_BACKGROUND_ROWS = 1000
    small = upload(client, data)
    assert small.status_code == 200 and not ImportJob.objects.exists()
    settings.IMPORT_BACKGROUND_ROWS = 20
    upload(client, data)
    job = ImportJob.objects.get()
    seen = []
    reporter = background._reporter
    monkeypatch.setattr("common.imports.plans.PROGRESS_EVERY", 10)

    def recording(job_id, start, span):
        report = reporter(job_id, start, span)

        def record(done, total):
            report(done, total)
            seen.append(ImportJob.objects.get(pk=job_id).progress)
        return record
    monkeypatch.setattr(background, "_reporter", recording)

    assert background.import_job_run(job_id=job.pk) == "planned"
    assert seen == [0, 33, 66]  # rows 0, 10, 20 of 30 checked
    assert status(client, job)["progress"] == 100 and status(client, job)["running"] is False
    preview = client.get(reverse("responsibility:import_job", args=[job.pk]))
    assert preview.status_code == 200
    assert preview.context["plan"].entries == small.context["plan"].entries
    assert preview.context["plan"].errors == small.context["plan"].errors == []
    assert preview.context["token"] == job.token and 'name="token"' in preview.content.decode()


def test_confirming_a_large_upload_imports_it_in_the_job(demo, client, media):
    demo.client_for(client, "wumin")
    upload(client, long_list(ROWS))
    job = ImportJob.objects.get()
    background.import_job_run(job_id=job.pk)
    confirm = client.post(reverse("responsibility:import_confirm"), {**FIELDS, "token": job.token})
    assert confirm.status_code == 302 and confirm.url == reverse("responsibility:import_job", args=[job.pk])
    assert not ResponsibilityList.objects.exists()  # nothing written in the request
    assert status(client, job)["status"] == "confirmed"
    assert background.import_job_run(job_id=job.pk) == "done"
    assert background.import_job_run(job_id=job.pk) == "done"  # a repeated delivery does nothing
    rlist = ResponsibilityList.objects.get()
    assert Item.objects.filter(responsibility_list=rlist).count() == ROWS
    outcome = client.get(reverse("responsibility:import_job", args=[job.pk]))
    assert outcome.status_code == 302 and outcome.url == reverse("responsibility:detail", args=[rlist.pk])
    assert list((media / "imports").iterdir()) == [] and client.session["responsibility_imports"] == {}


def test_a_bad_row_shows_its_error_and_cannot_be_confirmed(demo, client, media):
    demo.client_for(client, "wumin")
    wb = openpyxl.load_workbook(io.BytesIO(long_list(ROWS)))
    wb.active.cell(row=9, column=3).value = None  # item 7 without its content
    out = io.BytesIO()
    wb.save(out)
    upload(client, out.getvalue())
    job = ImportJob.objects.get()
    background.import_job_run(job_id=job.pk)
    preview = client.get(reverse("responsibility:import_job", args=[job.pk]))
    errors = preview.context["plan"].errors
    assert len(errors) == 1 and errors[0].row == 9
    assert 'name="token"' not in preview.content.decode()
    client.post(reverse("responsibility:import_confirm"), {**FIELDS, "token": job.token})
    job.refresh_from_db()
    assert job.status == "planned" and not ResponsibilityList.objects.exists()


def test_an_import_rejected_at_confirmation_writes_nothing(demo, client, media):
    demo.client_for(client, "wumin")
    upload(client, long_list(ROWS))
    job = ImportJob.objects.get()
    background.import_job_run(job_id=job.pk)
    client.post(reverse("responsibility:import_confirm"), {**FIELDS, "token": job.token})
    ResponsibilityList.objects.create(year=2022, kind="main", title="先到的清单", created_by=demo.user("wumin"))
    assert background.import_job_run(job_id=job.pk) == "rejected"
    assert ResponsibilityList.objects.count() == 1 and not Item.objects.exists()
    page = client.get(reverse("responsibility:import_job", args=[job.pk]))
    assert "先到的清单" in str(page.context["plan"].errors[0])


def test_another_user_gets_404_for_the_job(demo, client, media):
    demo.client_for(client, "wumin")
    upload(client, long_list(ROWS))
    job = ImportJob.objects.get()
    other = RoleGrantFactory(role="staff").user
    client.force_login(other)
    for name in ("responsibility:import_job", "responsibility:import_job_status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.get(reverse("rectification:import_job", args=[job.pk])).status_code == 404  # another flow's
    client.post(reverse("responsibility:import_confirm"), {**FIELDS, "token": job.token})
    job.refresh_from_db()
    assert job.status == "queued"


def test_a_broker_that_is_down_leaves_the_job_waiting_and_the_page_says_so(
        demo, client, media, settings, django_capture_on_commit_callbacks):
    demo.client_for(client, "wumin")
    settings.CELERY_BROKER_URL = DEAD_REDIS
    reset_producer_pool()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(client, long_list(ROWS))
    finally:
        reset_producer_pool()
    job = ImportJob.objects.get()
    kept = OutboxMessage.objects.get()
    assert (kept.task, kept.args, kept.key, kept.attempts) == ("imports.import_job", [job.pk], f"import:{job.pk}", 1)
    page = client.get(response.url)
    assert page.status_code == 200
    assert "消息队列暂时不可用：文件已保存，队列恢复后自动开始处理，无需重复上传。" in page.content.decode()
    assert status(client, job)["waiting"] is True


def ledger() -> bytes:
    return sample("rectification_ledger_2022.xlsx").read_bytes()


def records() -> bytes:
    return workbook(GOOD_ROWS)


# app → (the file, the other fields of its forms, what its import writes)
OTHER_APPS = {
    "rectification": (ledger, {"title": "", "source": ""}, lambda: Problem.objects.count()),
    "orglife": (records, {}, lambda: Record.objects.count()),
}


@pytest.mark.parametrize("app", OTHER_APPS)
def test_every_importer_plans_and_imports_a_large_upload_in_the_job(demo, client, media, settings, app):
    make, fields, count = OTHER_APPS[app]
    demo.client_for(client, "wumin")
    settings.IMPORT_BACKGROUND_ROWS = 1000
    small = client.post(reverse(f"{app}:import"), {**fields, "file": SimpleUploadedFile("表.xlsx", make())})
    settings.IMPORT_BACKGROUND_ROWS = 1
    queued = client.post(reverse(f"{app}:import"), {**fields, "file": SimpleUploadedFile("表.xlsx", make())})
    job = ImportJob.objects.get()
    assert queued.url == reverse(f"{app}:import_job", args=[job.pk])
    assert background.import_job_run(job_id=job.pk) == "planned"
    preview = client.get(queued.url)
    assert preview.status_code == 200 and preview.context["plan"].entries == small.context["plan"].entries
    before = count()
    client.post(reverse(f"{app}:import_confirm"), {**fields, "token": job.token})
    assert background.import_job_run(job_id=job.pk) == "done"
    assert count() - before == len(small.context["plan"].entries) > 0
    assert client.get(queued.url).status_code == 302


def test_a_job_field_altered_outside_the_job_code_is_refused_before_unpickling():
    import pickle

    from common.imports.background import dumps, loads

    sealed = dumps({"year": 2026})
    assert loads(sealed) == {"year": 2026}
    forged = sealed[:32] + pickle.dumps({"year": 1999})
    with pytest.raises(ValueError):
        loads(forged)
