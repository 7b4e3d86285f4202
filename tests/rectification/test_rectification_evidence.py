"""Evidence files: checked by content, stored privately, downloadable only by users who may see the measure."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rectification import services
from rectification.models import EventKind, Evidence, MeasureEvent
from tests.rectification.conftest import HR_RECORDS, PDF, measure, pdf_upload

pytestmark = pytest.mark.usefixtures("ledger")


def test_text_file_renamed_to_pdf_is_refused(demo, client):
    m = measure(HR_RECORDS)
    fake = SimpleUploadedFile("纪实办法.pdf", "这其实是一个文本文件".encode(), content_type="application/pdf")
    before = (Evidence.objects.count(), MeasureEvent.objects.count())
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        services.measure_report_progress(actor=demo.user("fengjing"), measure=m, text="上传", files=[fake])
    demo.client_for(client, "fengjing")
    fake.seek(0)
    response = client.post(reverse("rectification:progress", args=[m.pk]),
                           {"happened_on": "2022-05-01", "text": "上传", "files": [fake]}, follow=True)
    assert "内容与扩展名不符" in response.content.decode()
    assert (Evidence.objects.count(), MeasureEvent.objects.count()) == before
    m.refresh_from_db()
    assert m.progress_text == "未开始"  # unchanged: nothing of the refused report was kept


def test_real_pdf_is_accepted_and_downloadable_only_within_scope(demo, client, settings):
    m = measure(HR_RECORDS)
    demo.client_for(client, "fengjing")
    response = client.post(reverse("rectification:progress", args=[m.pk]),
                           {"happened_on": "2022-05-01", "text": "纪实办法已印发",
                            "files": [pdf_upload("纪实办法.pdf"), pdf_upload("会议纪要.pdf")]})
    assert response.status_code == 302
    evidence = list(m.evidence.order_by("name"))
    assert [e.name for e in evidence] == ["会议纪要.pdf", "纪实办法.pdf"]
    assert all(e.event.kind == EventKind.PROGRESS and e.size == len(PDF) for e in evidence)
    stored = evidence[0].file.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and "纪实办法" not in stored  # a random name, no URL
    url = reverse("rectification:evidence", args=[evidence[1].pk])
    page = client.get(reverse("rectification:measure", args=[m.pk])).content.decode()
    assert url in page
    for username in ("fengjing", "chengang", "wumin", "zhengwei"):  # 郑伟's branch covers 人事科
        client.logout()
        demo.client_for(client, username)
        download = client.get(url)
        assert download.status_code == 200, username
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    for username in ("tangliang", "gaofeng", "sysadmin"):
        client.logout()
        demo.client_for(client, username)
        assert client.get(url).status_code == 404, username
