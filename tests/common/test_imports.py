"""The shared staff import flow (common.imports): where an uploaded file waits between the preview and the
confirmation, and when it goes — after the import, at once when the preview finds errors, when its token is stale,
and a day later when nobody confirmed it."""
import os
import time

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.test import RequestFactory
from django.urls import reverse

from common.imports import ImportRejected, StagedImport, TableUploadForm, import_actor
from orglife.models import Record
from rectification.models import Batch
from responsibility.models import ResponsibilityList
from tests.responsibility.conftest import sample

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STALE = "导入已失效，请重新上传文件。"
# app → (upload page, confirm page, the other fields of its forms, session key)
APPS = {
    "responsibility": ("responsibility:import", "responsibility:import_confirm", {"year": 2022, "kind": "main"},
                       "responsibility_imports"),
    "rectification": ("rectification:import", "rectification:import_confirm", {"title": "", "source": ""},
                      "rectification_imports"),
    "orglife": ("orglife:import", "orglife:import_confirm", {}, "orglife_imports"),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def staged_files(media):
    folder = media / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def written():
    return ResponsibilityList.objects.count(), Batch.objects.count(), Record.objects.count()


def upload(client, app, data: bytes, name="表.xlsx"):
    url, _confirm, fields, _key = APPS[app]
    return client.post(reverse(url), {**fields, "file": SimpleUploadedFile(name, data, content_type=XLSX)})


@pytest.mark.parametrize("app", APPS)
def test_a_preview_with_errors_leaves_no_file_behind(demo, client, media, app):
    demo.client_for(client, "wumin")
    response = upload(client, app, b"not really excel", name="伪装.xlsx")
    assert response.status_code == 200 and response.context["plan"].errors
    assert 'name="token"' not in response.content.decode()
    assert staged_files(media) == []
    assert client.session.get(APPS[app][3], {}) == {}


def test_a_clean_preview_waits_for_the_confirmation_which_removes_it(demo, client, media):
    demo.client_for(client, "wumin")
    preview = upload(client, "responsibility", sample("responsibility_list_2022.xlsx").read_bytes())
    token = preview.context["token"]
    assert staged_files(media) == [f"{token}.xlsx"]
    assert client.session["responsibility_imports"] == {token: "表.xlsx"}
    done = client.post(reverse("responsibility:import_confirm"), {"token": token, "year": 2022, "kind": "main"})
    assert done.status_code == 302 and ResponsibilityList.objects.get().source_file == "表.xlsx"
    assert staged_files(media) == [] and client.session["responsibility_imports"] == {}


@pytest.mark.parametrize("app", APPS)
def test_an_unknown_token_redirects_and_writes_nothing(demo, client, media, app):
    url, confirm, fields, _key = APPS[app]
    demo.client_for(client, "wumin")
    before = written()
    response = client.post(reverse(confirm), {**fields, "token": "0" * 32})
    assert response.status_code == 302 and response.url == reverse(url)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [STALE]
    assert written() == before and staged_files(media) == []


def test_a_token_whose_file_is_gone_redirects_writes_nothing_and_is_forgotten(demo, client, media):
    demo.client_for(client, "wumin")
    preview = upload(client, "responsibility", sample("responsibility_list_2022.xlsx").read_bytes())
    token = preview.context["token"]
    (media / "imports" / f"{token}.xlsx").unlink()  # e.g. purged a day later
    before = written()
    response = client.post(reverse("responsibility:import_confirm"), {"token": token, "year": 2022, "kind": "main"})
    assert response.status_code == 302 and response.url == reverse("responsibility:import")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [STALE]
    assert written() == before and staged_files(media) == []
    assert client.session["responsibility_imports"] == {}


def test_a_token_of_another_session_is_stale(demo, client, media):
    demo.client_for(client, "wumin")
    token = upload(client, "responsibility", sample("responsibility_list_2022.xlsx").read_bytes()).context["token"]
    client.logout()
    demo.client_for(client, "wumin")  # a new session
    response = client.post(reverse("responsibility:import_confirm"), {"token": token, "year": 2022, "kind": "main"})
    assert response.status_code == 302 and ResponsibilityList.objects.count() == 0
    assert staged_files(media) == [f"{token}.xlsx"]  # not this session's to delete: the day's purge takes it


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    return request


def test_staging_purges_staged_files_older_than_a_day(media):
    folder = media / "imports"
    folder.mkdir(parents=True)
    now = time.time()
    ages = {"a" * 32: 2 * 86400, "b" * 32: 86400 + 60, "c" * 32: 3600}
    for token, age in ages.items():
        path = folder / f"{token}.xlsx"
        path.write_bytes(b"old")
        os.utime(path, (now - age, now - age))
    other = folder / "README.txt"  # not a staged file: left alone whatever its age
    other.write_text("keep")
    os.utime(other, (now - 10 * 86400, now - 10 * 86400))

    token = StagedImport(_request(), "test_imports").stage(SimpleUploadedFile("new.xlsx", b"new"))
    assert staged_files(media) == sorted(["README.txt", f"{'c' * 32}.xlsx", f"{token}.xlsx"])


def test_stage_open_discard(media):
    request = _request()
    staged = StagedImport(request, "test_imports")
    token = staged.stage(SimpleUploadedFile("清单.xlsx", b"content"))
    assert staged.file_name(token) == "清单.xlsx" and request.session == {"test_imports": {token: "清单.xlsx"}}
    with staged.open(token) as handle:
        assert handle.read() == b"content"
    staged.discard(token)
    assert request.session == {"test_imports": {}} and staged_files(media) == []
    with pytest.raises(StagedImport.Gone):
        with staged.open(token):
            pass


def test_a_preview_that_fails_leaves_no_file_behind(media):
    request = _request()

    def broken(*, source):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        StagedImport(request, "test_imports").preview(SimpleUploadedFile("x.xlsx", b"x"), broken)
    assert staged_files(media) == [] and request.session == {"test_imports": {}}


def test_the_upload_form_takes_table_files_up_to_10_mb():
    def errors(name, size):
        upload = SimpleUploadedFile(name, b"x")
        upload.size = size
        form = TableUploadForm(files={"file": upload})
        return form.errors.get("file", [])

    assert errors("表.XLSX", 1) == [] and errors("表.xlsm", 10 * 1024 * 1024) == []
    assert errors("表.xlsx", 10 * 1024 * 1024 + 1) == ["文件超过 10 MB。"]
    assert errors("表.xls", 1) == [] and errors("表.docx", 1) == [] and errors("表.CSV", 1) == []
    assert errors("表.pdf", 1) == ["请上传 Excel（.xlsx、.xls）、Word（.docx）或 CSV 格式的文件。"]


def test_import_rejected_carries_the_plan():
    class Plan:
        errors = ["第3行：未找到", "第4行：时限"]

    exc = ImportRejected(Plan)
    assert exc.plan is Plan and str(exc) == "第3行：未找到; 第4行：时限"


def test_import_actor(demo):
    assert import_actor("zhengwei").username == "zhengwei"
    assert import_actor("").has_role("staff")
    with pytest.raises(CommandError, match="找不到导入人：请用 --user"):
        import_actor("nobody")
    with pytest.raises(CommandError, match="找不到操作人"):
        import_actor("nobody", who="操作人")
