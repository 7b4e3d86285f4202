"""Who reaches a report and its evidence, and how evidence files are checked and kept private."""
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.models import Evidence, MonthlyReport, ReportStatus
from reports.services import evidence_add, monthly_reports_generate
from tests.reports.helpers import PDF_BYTES, at, fill, fresh, submit_complete

BRANCH = "机关第一党支部"


@pytest.fixture
def may(demo):
    with at(2022, 5, 1):
        monthly_reports_generate(year=2022, month=5)
    return MonthlyReport.objects.get(organisation=demo.org(BRANCH), year=2022, month=5)


@pytest.fixture
def with_evidence(demo, may, media_root):
    line = may.lines.order_by("position").first()
    upload = SimpleUploadedFile("三会一课记录.pdf", PDF_BYTES, content_type="application/pdf")
    return evidence_add(actor=demo.user("zhengwei"), line=line, upload=upload)


def stored_files(root):
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def post_form(client, report, **files):
    report = fresh(report)
    data = {"version": str(report.version), "save": "1"}
    line = report.lines.order_by("position").first()
    data.update({f"line-{line.pk}-status": "done", f"line-{line.pk}-done_text": "召开支部党员大会1次"})
    for upload in files.values():
        data[f"line-{line.pk}-files"] = upload
    return client.post(reverse("reports:detail", args=[report.pk]), data)


# ---------------------------------------------------------------- another branch's secretary: 404 everywhere

def test_another_branchs_secretary_gets_404_on_every_report_url(demo, may, with_evidence, client):
    before = (fresh(may).version, list(may.lines.values_list("status", "done_text")))
    demo.client_for(client, "tangliang")
    line = may.lines.order_by("position").first()

    responses = {
        "page": client.get(reverse("reports:detail", args=[may.pk])),
        "post": client.post(reverse("reports:detail", args=[may.pk]), {
            "version": str(fresh(may).version), f"line-{line.pk}-status": "done", f"line-{line.pk}-done_text": "x"}),
        "review": client.post(reverse("reports:review", args=[may.pk]), {"decision": "return", "reason": "x"}),
        "evidence": client.get(reverse("reports:evidence", args=[with_evidence.pk])),
        "evidence delete": client.post(reverse("reports:evidence_delete", args=[with_evidence.pk])),
        "open": client.post(reverse("reports:open"), {"organisation": may.organisation_id, "year": 2022,
                                                      "month": 5}),
    }

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    for response in responses.values():
        assert BRANCH not in response.content.decode()
    assert (fresh(may).version, list(may.lines.values_list("status", "done_text"))) == before
    assert Evidence.objects.filter(pk=with_evidence.pk).exists()
    assert with_evidence.file.storage.exists(with_evidence.file.name)


def test_another_branchs_reports_are_not_listed_for_a_secretary(demo, may, client):
    with at(2022, 6, 2):
        submit_complete(may, demo.user("zhengwei"))
    demo.client_for(client, "tangliang")

    for name in ("reports:pending", "reports:queue"):
        assert BRANCH not in client.get(reverse(name)).content.decode()
    grid = client.get(reverse("dashboard:grid"), {"year": 2022})
    assert [org.name for org, _cells in grid.context["rows"]] == ["执法一支部"]


def test_a_secretary_cannot_open_a_report_for_another_branch(demo, client):
    demo.client_for(client, "tangliang")
    response = client.post(reverse("reports:open"), {"organisation": demo.org(BRANCH).pk, "year": 2022, "month": 5})
    assert response.status_code == 404
    assert not MonthlyReport.objects.exists()


def test_staff_can_read_but_not_fill_in_a_branch_report(demo, may, client):
    demo.client_for(client, "wumin")
    page = client.get(reverse("reports:detail", args=[may.pk]))
    assert page.status_code == 200
    assert "<textarea" not in page.content.decode()
    assert post_form(client, may).status_code == 403
    assert fresh(may).version == 1


# ---------------------------------------------------------------- evidence files

def test_uploaded_pdf_is_stored_privately_under_media_root(demo, may, media_root, client):
    demo.client_for(client, "zhengwei")
    upload = SimpleUploadedFile("三会一课记录.pdf", PDF_BYTES, content_type="application/pdf")

    with at(2022, 5, 20):
        response = post_form(client, may, file=upload)

    assert response.status_code == 302
    evidence = Evidence.objects.get(line__report=may)
    assert (evidence.original_name, evidence.size, evidence.uploaded_by) == (
        "三会一课记录.pdf", len(PDF_BYTES), demo.user("zhengwei"))
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not any(path.is_relative_to(Path(d).resolve()) for d in settings.STATICFILES_DIRS)
    assert path.read_bytes() == PDF_BYTES
    assert path.name.endswith(".pdf") and "三会一课" not in str(path)  # the stored name is not the user's
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018 — private files have no public URL
    relative = path.relative_to(Path(settings.MEDIA_ROOT).resolve()).as_posix()
    for guess in (f"/{relative}", f"/media/{relative}", f"/{evidence.file.name}", f"/static/{relative}"):
        assert client.get(guess).status_code == 404, guess  # no URL serves the media directory


@pytest.mark.parametrize("username", ["zhengwei", "wumin", "chengang"])
def test_evidence_is_downloadable_by_those_who_may_see_the_report(demo, with_evidence, client, username):
    demo.client_for(client, username)

    response = client.get(reverse("reports:evidence", args=[with_evidence.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_link_is_shown_on_the_report_page(demo, may, with_evidence, client):
    demo.client_for(client, "wumin")
    html = client.get(reverse("reports:detail", args=[may.pk])).content.decode()
    assert f'href="{reverse("reports:evidence", args=[with_evidence.pk])}">三会一课记录.pdf</a>' in html


def test_a_text_file_renamed_pdf_is_refused_and_nothing_is_stored(demo, may, media_root, client):
    demo.client_for(client, "zhengwei")
    fake = SimpleUploadedFile("会议记录.pdf", "这是一个文本文件，不是 PDF。\n".encode(), content_type="application/pdf")

    response = post_form(client, may, file=fake)

    assert response.status_code == 400
    assert "文件“会议记录.pdf”的内容与扩展名不符" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_an_unsupported_file_type_is_refused(demo, may, media_root, client):
    demo.client_for(client, "zhengwei")
    script = SimpleUploadedFile("记录.html", b"<script>alert(1)</script>", content_type="text/html")

    response = post_form(client, may, file=script)

    assert response.status_code == 400
    assert "不支持的文件类型" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_an_oversize_file_is_refused_and_nothing_is_stored(demo, may, media_root, client):
    demo.client_for(client, "zhengwei")
    big = SimpleUploadedFile("扫描件.pdf", PDF_BYTES + b"0" * 200, content_type="application/pdf")

    with mock.patch("common.files.MAX_EVIDENCE_BYTES", len(PDF_BYTES)):
        response = post_form(client, may, file=big)

    assert response.status_code == 400
    assert "文件“扫描件.pdf”超过" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media_root) == []


def test_evidence_cannot_be_added_or_deleted_once_submitted(demo, may, with_evidence, client):
    with at(2022, 6, 2):
        fill(may, demo.user("zhengwei"))
        submit_complete(may, demo.user("zhengwei"))
    demo.client_for(client, "zhengwei")

    client.post(reverse("reports:evidence_delete", args=[with_evidence.pk]))

    assert fresh(may).status == ReportStatus.SUBMITTED
    assert Evidence.objects.filter(pk=with_evidence.pk).exists()
    assert with_evidence.file.storage.exists(with_evidence.file.name)


def test_secretary_deletes_evidence_from_a_draft(demo, may, with_evidence, client,
                                                 django_capture_on_commit_callbacks):
    demo.client_for(client, "zhengwei")

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion commits
        response = client.post(reverse("reports:evidence_delete", args=[with_evidence.pk]))

    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not with_evidence.file.storage.exists(with_evidence.file.name)
