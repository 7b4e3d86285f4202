"""纸上整改 signs on the review pages: the reviewer of a report sees, per line, that its evidence file is the one
another unit attached (same content, another name) and that its text is another unit's with the name changed, with a
link to the flag list; the queue counts them; the inspector deciding a measure's closure sees the same; the unit
that wrote the report does not."""
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accountability.reuse import fingerprints_refresh
from rectification.models import Evidence as MeasureEvidence
from reports.models import Evidence, MonthlyReport
from tests.accountability.helpers import PDF, accepted_report, seed_overdue_measure

pytestmark = pytest.mark.django_db

TEXT = "{org}已召开支部委员会会议，传达学习上级精神并研究部署本月党建工作，形成会议纪要。"


def _evidence(line, user, name, content=PDF + b"minutes"):
    evidence = Evidence(line=line, original_name=name, size=len(content), uploaded_by=user)
    evidence.file.save(name, ContentFile(content), save=True)
    return evidence


@pytest.fixture
def copied(demo, on_demo_day, settings, tmp_path):
    """执法一支部's January report (accepted, already fingerprinted by the hourly scan) and 机关第一党支部's February
    report, submitted a moment ago with the same file renamed and the same text under its own name."""
    settings.MEDIA_ROOT = tmp_path
    first = accepted_report(demo, "执法一支部", 2026, 1, text=TEXT.format(org="执法一支部"))
    MonthlyReport.objects.filter(pk=first.pk).update(status="submitted")
    _evidence(first.lines.get(), demo.user("tangliang"), "一月会议记录.pdf")
    MonthlyReport.objects.filter(pk=first.pk).update(status="accepted")
    fingerprints_refresh()
    second = accepted_report(demo, "机关第一党支部", 2026, 2, text=TEXT.format(org="机关第一党支部"))
    MonthlyReport.objects.filter(pk=second.pk).update(status="submitted")
    _evidence(second.lines.get(), demo.user("zhengwei"), "二月会议记录.pdf")
    return first, second


def test_reviewer_sees_each_lines_reused_file_and_copied_text_with_a_link(copied, demo, client):
    _first, second = copied
    demo.client_for(client, "wumin")
    text = client.get(reverse("reports:detail", args=[second.pk])).content.decode()
    banner = re.search(r'data-testid="paper-hints">(.*?)</div>', text, re.S).group(1)
    assert "发现 2 条线索" in banner
    assert f'href="{reverse("accountability:reuse")}"' in banner
    hints = re.findall(r"<li>(.*?)</li>", re.search(r'data-testid="line-hints">(.*?)</ul>', text, re.S).group(1))
    assert hints[0].startswith("佐证材料“二月会议记录.pdf”与其他1处相同：执法一支部 2026年1月")
    assert hints[1].startswith("进展文字与其他单位雷同（仅单位名称不同）：执法一支部 2026年1月")
    assert client.get(reverse("accountability:reuse")).status_code == 200


def test_queue_counts_the_signs_of_each_waiting_report(copied, demo, client):
    demo.client_for(client, "wumin")
    text = client.get(reverse("reports:queue")).content.decode()
    assert re.findall(r'data-testid="queue-hint">(.*?)</span>', text) == ["纸上整改线索 2"]


def test_the_unit_that_wrote_the_report_sees_no_signs(copied, demo, client):
    _first, second = copied
    demo.client_for(client, "zhengwei")
    text = client.get(reverse("reports:detail", args=[second.pk])).content.decode()
    assert "paper-hints" not in text and "line-hints" not in text
    assert client.get(reverse("accountability:reuse")).status_code == 404


def test_a_report_without_copies_shows_no_signs(demo, on_demo_day, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = accepted_report(demo, "执法一支部", 2026, 1, text=TEXT.format(org="执法一支部"))
    MonthlyReport.objects.filter(pk=report.pk).update(status="submitted")
    demo.client_for(client, "wumin")
    text = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'data-testid="review"' in text and "paper-hints" not in text


def test_inspector_deciding_a_closure_sees_the_reused_file(copied, demo, client):
    measure = seed_overdue_measure(demo)
    evidence = MeasureEvidence(measure=measure, name="整改会议记录.pdf", size=10, uploaded_by=demo.user("zhengwei"))
    evidence.file.save("m.pdf", ContentFile(PDF + b"minutes"), save=True)
    type(measure).objects.filter(pk=measure.pk).update(state="awaiting_review")
    demo.client_for(client, "chengang")
    text = client.get(reverse("rectification:measure", args=[measure.pk])).content.decode()
    section = re.search(r'data-testid="measure-hints">(.*?)</section>', text, re.S).group(1)
    # The February report was not opened yet, so only the fingerprinted January file is found.
    assert "佐证材料“整改会议记录.pdf”与其他1处相同：执法一支部 2026年1月" in section
    assert "发现 1 条线索" in section
