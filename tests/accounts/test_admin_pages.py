"""Every admin page answers as designed for every role: each registered model's list, add page and the change page
of one of its rows, opened by each administrator and business role, is shown (200), refused (403) or sent to the
admin login (302), never a server error; and each role sees exactly the models its permissions name."""
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.permissions import permissions_for_roles
from demo.activity import seed_demo_activity
from rectification.models import Evidence as MeasureEvidence
from rectification.models import Measure
from reports.models import Evidence as ReportEvidence
from reports.models import ReportLine, ReportStatus
from tests.conftest import DEMO_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _activity(_demo_seeded_for_module, django_db_blocker):
    """Reports, a ledger and evidence on both, inside the module's seeded (and rolled back) transaction."""
    with django_db_blocker.unblock():
        seed_demo_activity(today=DEMO_DAY)
        zhengwei = get_user_model().objects.get(username="zhengwei")
        ReportEvidence.objects.create(
            line=ReportLine.objects.exclude(report__status=ReportStatus.ACCEPTED).order_by("pk").first(),
            file="2026/1/1.pdf", original_name="佐证.pdf", size=1024, uploaded_by=zhengwei)
        MeasureEvidence.objects.create(measure=Measure.objects.order_by("pk").first(), file="2026/1/2.pdf",
                                       name="整改佐证.pdf", size=2048, uploaded_by=zhengwei)

ROLES = ["wumin", "chengang", "sysadmin", "secadmin", "auditadmin", "zhengwei"]


def _pages():
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        yield model, "changelist", reverse(f"{base}_changelist")
        yield model, "add", reverse(f"{base}_add")
        row = model._default_manager.order_by("pk").first()
        if row is not None:
            yield model, "change", reverse(f"{base}_change", args=[row.pk])


@pytest.mark.parametrize("username", ROLES)
def test_every_admin_page_answers_without_a_server_error(client, demo, username):
    user = demo.user(username)
    demo.client_for(client, username)
    allowed = permissions_for_roles(user.granted_roles)
    answers = {}

    for model, page, url in _pages():
        status = client.get(url).status_code  # a server error raises here (the test client re-raises it)
        answers[(model._meta.label_lower, page)] = status
        assert status in (200, 302, 403), (url, status)

    if not allowed:  # no admin role: every page leads to the admin login
        assert set(answers.values()) == {302}
        return
    readable = {label for label, page in answers if answers[(label, "changelist")] == 200}
    may_view = {perm.split(".")[0] + "." + perm.split("_", 1)[1] for perm in allowed
                if perm.split(".")[1].startswith(("view_", "change_"))}
    assert readable == may_view & {label for label, _page in answers}


def test_the_pages_include_a_change_page_of_every_evidence_model(demo):
    opened = {(model._meta.label_lower, page) for model, page, _url in _pages()}

    assert {("reports.evidence", "change"), ("rectification.evidence", "change")} <= opened


def test_the_report_evidence_page_links_to_the_scoped_download(client, demo):
    evidence = ReportEvidence.objects.get()
    demo.client_for(client, "wumin")

    page = client.get(reverse("admin:reports_evidence_change", args=[evidence.pk])).content.decode()

    assert f'<a href="/reports/evidence/{evidence.pk}/">佐证.pdf</a>' in page
