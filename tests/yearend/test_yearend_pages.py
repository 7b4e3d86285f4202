"""The year-end page and job: ask, watch the progress, download; only the requester, within their scope."""
import io
import json

import openpyxl
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from config.celery import app
from yearend.models import YearEndExport
from yearend.jobs import year_end_export_run
from yearend.services import year_end_export_request
from tests.reports.helpers import at
from tests.yearend.conftest import YEAR


@pytest.fixture
def eager(settings):
    """Celery runs tasks in the calling process: the settings override, and the app that read it at start-up."""
    # Read before the override: the app loads its configuration from the settings on first use, and would
    # otherwise remember the overridden True as the value to go back to.
    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def ask(client, django_capture_on_commit_callbacks, **data):
    with at(2023, 1, 20), django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("yearend:index"), {"year": YEAR, **data})


def test_secretary_asks_for_the_year_and_downloads_both_files(demo, client, eager, media_root,
                                                            django_capture_on_commit_callbacks):
    client = demo.client_for(client, "zhengwei")
    page = client.get(reverse("yearend:index"))
    assert page.status_code == 200 and "年度台账" in page.content.decode()

    response = ask(client, django_capture_on_commit_callbacks)
    export = YearEndExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("yearend:detail", args=[export.pk])
    assert (export.status, export.progress, export.requested_by.username) == ("done", 100, "zhengwei")

    detail = client.get(response["Location"]).content.decode()
    assert reverse("yearend:workbook", args=[export.pk]) in detail
    assert 'id="yearend-downloads" data-testid="yearend-downloads" hidden' not in detail
    assert "http-equiv=\"refresh\"" not in detail  # finished: nothing left to poll

    status = json.loads(client.get(reverse("yearend:status", args=[export.pk])).content)
    assert status["status"] == "done" and status["progress"] == 100 and status["finished"]
    assert status["workbook_url"] == reverse("yearend:workbook", args=[export.pk])

    workbook = client.get(status["workbook_url"])
    assert workbook.status_code == 200 and "attachment" in workbook["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))
    # 郑伟 sees 机关第一党支部 and the departments it covers: nothing else is in his workbook
    names = {row[1] for row in wb["月报报送情况"].iter_rows(min_row=5, values_only=True)} - {None}
    assert names == {"机关第一党支部", "办公室", "人事科", "财务科"}
    draft = client.get(status["draft_url"])
    assert draft.status_code == 200 and b"".join(draft.streaming_content).startswith(b"PK")


def test_another_secretary_cannot_see_or_download_the_export(demo, client, eager, media_root,
                                                           django_capture_on_commit_callbacks):
    ask(demo.client_for(client, "zhengwei"), django_capture_on_commit_callbacks)
    export = YearEndExport.objects.get()
    client.logout()
    other = demo.client_for(client, "tangliang")
    for name in ("detail", "status", "workbook", "draft"):
        assert other.get(reverse(f"yearend:{name}", args=[export.pk])).status_code == 404, name
    # nor can the whole-agency staff: an export belongs to the one who asked for it
    client.logout()
    staff = demo.client_for(client, "wumin")
    assert staff.get(reverse("yearend:workbook", args=[export.pk])).status_code == 404


def test_an_organisation_outside_the_scope_is_not_found(demo, client, eager, media_root,
                                                      django_capture_on_commit_callbacks):
    client = demo.client_for(client, "tangliang")
    response = ask(client, django_capture_on_commit_callbacks, org=demo.org("机关第一党支部").pk)
    assert response.status_code == 404 and not YearEndExport.objects.exists()


def test_while_queued_the_page_polls_with_script_and_refreshes_without(demo, client, media_root):
    client = demo.client_for(client, "zhengwei")
    response = client.post(reverse("yearend:index"), {"year": YEAR})  # the worker has not run yet
    export = YearEndExport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert '<script src="/static/js/job_progress.js" defer></script>' in page
    assert 'id="yearend-downloads" data-testid="yearend-downloads" hidden' in page
    assert finders.find("js/job_progress.js")
    status = json.loads(client.get(reverse("yearend:status", args=[export.pk])).content)
    assert (status["status"], status["progress"], status["workbook_url"]) == ("queued", 0, None)
    assert client.get(reverse("yearend:workbook", args=[export.pk])).status_code == 404


def test_the_job_records_progress_in_the_database_and_runs_once(demo, media_root, monkeypatch):
    from yearend import jobs

    export = year_end_export_request(actor=demo.user("chengang"), year=YEAR)
    real, seen = jobs.write_workbook, []

    def watched(ys, out, *, progress):
        def check(percent, stage):  # what a polling page would read at this moment
            progress(percent, stage)
            seen.append(YearEndExport.objects.values_list("status", "progress", "stage").get(pk=export.pk))
        return real(ys, out, progress=check)
    monkeypatch.setattr(jobs, "write_workbook", watched)
    with at(2023, 1, 20):
        assert year_end_export_run(export_id=export.pk) is True
        assert year_end_export_run(export_id=export.pk) is False  # a repeated delivery finds it taken
    export.refresh_from_db()
    assert export.status == "done" and export.progress == 100
    assert export.workbook.name.endswith(".xlsx") and export.draft.name.endswith(".docx")
    assert export.label == "中共示范市商务局党组"
    assert {status for status, _p, _s in seen} == {"running"}
    progress = [p for _status, p, _s in seen]
    assert progress == sorted(progress) and progress[-1] == 90 and len(set(progress)) > 5
    assert {"责任清单落实情况", "整改台账", "保存工作簿"} <= {stage for _st, _p, stage in seen}


def test_a_failed_job_says_so_on_the_page(demo, client, media_root, monkeypatch):
    export = year_end_export_request(actor=demo.user("zhengwei"), year=YEAR)

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")
    monkeypatch.setattr("yearend.jobs.write_workbook", broken)
    assert year_end_export_run(export_id=export.pk) is False
    page = demo.client_for(client, "zhengwei").get(reverse("yearend:detail", args=[export.pk]))
    assert "磁盘已满" in page.content.decode()
    assert YearEndExport.objects.get().status == "failed"


def test_navigation_offers_the_page_to_those_with_a_scope(demo, client):
    assert reverse("yearend:index") in demo.client_for(client, "tangliang").get("/").content.decode()
    client.logout()
    assert demo.client_for(client, "sysadmin").get(reverse("yearend:index")).status_code == 403


def test_the_scope_picker_lists_no_organisation_and_searches_instead(demo, client):
    """The page weighs the same in an agency of any size: the scope is chosen by searching (branches:search)."""
    demo.client_for(client, "wumin")
    text = client.get(reverse("yearend:index")).content.decode()
    start = text.index("data-org-picker")
    picker = text[start:text.index("</form>", start)]
    assert 'name="org"' in picker and "<option" not in picker
    assert f'data-search-url="{reverse("branches:search")}"' in picker
    assert "机关第一党支部" not in picker
