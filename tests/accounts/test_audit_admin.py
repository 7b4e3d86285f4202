"""The audit trail in the admin reads in Chinese and cannot be changed by anyone; failed logins are kept."""
import datetime

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Role
from common.audit import audit_transition
from reports.models import MonthlyReport
from tests.factories import OrganisationFactory, RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = ["AUDIT LOG", "Audit log", ">create<", ">update<", " change: ", " changes: ", "monthlyreport", "Resource",
           "Correlation ID", "access failure", "User Agent", "Attempt Time", "Axes", "Updated", "Created", "log entr"]


@pytest.fixture
def auditadmin():
    return RoleGrantFactory(user=UserFactory(username="auditor", name="审计员"), role=Role.AUDITADMIN).user


@pytest.fixture
def report():
    reviewer = UserFactory(username="reviewer", name="吴审核")
    report = MonthlyReport.objects.create(organisation=OrganisationFactory(name="机关第一党支部"), year=2026, month=2,
                                          due_on=datetime.date(2026, 3, 5), status="accepted")
    audit_transition(report, actor=reviewer, before="submitted", after="accepted", comment="材料齐全，同意")
    return report


def _without_english(html):
    return [word for word in ENGLISH if word in html]


def test_audit_log_list_names_models_actions_and_changes_in_chinese(client, auditadmin, report):
    client.force_login(auditadmin)
    page = client.get("/admin/auditlog/logentry/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "审计日志" in html and "审计记录" in html
    assert "状态：待审核 → 审核通过" in html  # the changes column, with choice labels instead of codes
    assert "流程办理" in html and "材料齐全，同意" in html and "吴审核" in html
    assert "月度报告" in html  # the object type filter and column
    assert _without_english(html) == []


def test_a_created_object_lists_its_fields_by_chinese_name(client, auditadmin):
    OrganisationFactory(name="执法二支部")
    entry = LogEntry.objects.get(action=LogEntry.Action.CREATE, object_repr="执法二支部")
    client.force_login(auditadmin)
    html = client.get("/admin/auditlog/logentry/").content.decode()
    assert "创建" in html and "名称：执法二支部" in html
    detail = client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").content.decode()
    assert "<td>名称</td><td></td><td>执法二支部</td>" in detail
    assert _without_english(detail) == []


def test_transition_detail_shows_before_after_and_comment(client, auditadmin, report):
    entry = LogEntry.objects.get(object_pk=str(report.pk), content_type__model="monthlyreport",
                                 action=LogEntry.Action.UPDATE)
    client.force_login(auditadmin)
    html = client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").content.decode()
    assert "<td>状态</td><td>待审核</td><td>审核通过</td>" in html
    assert "修改 机关第一党支部 2026年2月" in html  # the entry's title
    assert "材料齐全，同意" in html


@pytest.mark.parametrize("model", ["auditlog/logentry", "axes/accessfailurelog", "axes/accesslog",
                                   "accountability/accesslog", "admin/logentry", "notifications/reminder"])
def test_audit_records_cannot_be_added_changed_or_deleted_even_by_a_superuser(client, model, report):
    client.force_login(UserFactory(username="root", is_superuser=True))
    entry = LogEntry.objects.first()
    changelist = client.get(f"/admin/{model}/")
    assert changelist.status_code == 200
    assert 'name="action"' not in changelist.content.decode()  # no bulk delete
    assert client.get(f"/admin/{model}/add/").status_code == 403
    if model == "auditlog/logentry":
        assert client.post(f"/admin/{model}/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.post(f"/admin/{model}/{entry.pk}/change/", {}).status_code == 403
        assert LogEntry.objects.filter(pk=entry.pk).exists()


def _fail(client, username, password="wrong-password"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 测试浏览器")


def test_failed_logins_are_kept_after_a_success_and_after_an_unlock(client):
    UserFactory(username="zhengwei", password="pass-1234")
    _fail(client, "zhengwei")
    _fail(client, "zhengwei")
    _fail(client, "nosuchuser")
    assert AccessAttempt.objects.filter(username="zhengwei").exists()
    assert client.post(reverse("login"), {"username": "zhengwei", "password": "pass-1234"},
                       REMOTE_ADDR="10.1.2.3").status_code == 302
    assert not AccessAttempt.objects.filter(username="zhengwei").exists()  # the lockout count is reset ...
    AccessAttempt.objects.all().delete()  # ... and the security administrator's unlock removes the rest

    kept = list(AccessFailureLog.objects.order_by("attempt_time", "pk").values_list(
        "username", "ip_address", "user_agent"))
    assert kept == [("zhengwei", "10.1.2.3", "Mozilla/5.0 测试浏览器")] * 2 + [
        ("nosuchuser", "10.1.2.3", "Mozilla/5.0 测试浏览器")]
    assert all(row.attempt_time for row in AccessFailureLog.objects.all())


def test_audit_admin_reads_failed_logins_in_chinese(client, auditadmin):
    _fail(client, "zhengwei")
    client.force_login(auditadmin)
    page = client.get("/admin/axes/accessfailurelog/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "登录失败记录" in html and "登录安全记录" in html and "浏览器标识" in html and "来源地址" in html
    assert "zhengwei" in html and "10.1.2.3" in html
    assert _without_english(html) == []
    index = client.get("/admin/").content.decode()
    assert _without_english(index) == []
    # The audit log and the admin site's own action log are told apart.
    assert "审计记录" in index and "后台操作记录" in index


@pytest.mark.parametrize("count", [10, 60])
def test_the_audit_log_list_costs_the_same_queries_for_10_or_60_entries(client, auditadmin, count,
                                                                      django_assert_max_num_queries):
    reviewer = UserFactory(username="reviewer", name="吴审核")
    for n in range(count):
        report = MonthlyReport.objects.create(organisation=OrganisationFactory(), year=2026, month=1 + n % 12,
                                              due_on=datetime.date(2026, 3, 5), status="accepted")
        audit_transition(report, actor=reviewer, before="submitted", after="accepted", comment=f"意见{n}")
    client.force_login(auditadmin)
    with django_assert_max_num_queries(12):
        page = client.get("/admin/auditlog/logentry/?kind=transition")
    assert page.status_code == 200 and len(page.context["cl"].result_list) == count
    report_type = ContentType.objects.get_for_model(MonthlyReport).pk
    with django_assert_max_num_queries(14):  # creations too: each report names its organisation by name, not "#id"
        page = client.get(f"/admin/auditlog/logentry/?type={report_type}")
    assert len(page.context["cl"].result_list) == min(2 * count, 100)  # a page holds 100
    html = page.content.decode()
    assert "组织：第" in html and "组织：#" not in html


def test_the_audit_admin_reads_lockouts_but_only_the_security_admin_acts_on_them(client, auditadmin):
    _fail(client, "zhengwei")
    client.force_login(auditadmin)
    html = client.get("/admin/axes/accessattempt/").content.decode()
    assert "zhengwei" in html and 'name="action"' not in html
    client.force_login(RoleGrantFactory(user=UserFactory(username="security"), role=Role.SECADMIN).user)
    html = client.get("/admin/axes/accessattempt/").content.decode()
    assert 'value="cleanup_expired_attempts"' in html and 'value="delete_selected"' in html
