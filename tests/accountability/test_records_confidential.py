"""问责 records: only the discipline side and the party secretary read them; everyone else, the subject included,
gets a 404 on every URL; every read (page, list, attachment) is logged; talks are recorded with validation."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse

from accountability.models import AccessLog, AccountabilityRecord
from accountability.records import accountability_record_create, talk_record
from branches.demo import DEMO_LOGINS, POSTS
from tests.accountability.helpers import pdf

pytestmark = pytest.mark.django_db
READERS = {"chengang", "liuyang", "zhoutao", "zhangjianguo"}
EVERY_USER = sorted({u for _n, u, *_r in POSTS} | {u for u, _l in DEMO_LOGINS} | {"sunli"})


@pytest.fixture
def record(demo, on_demo_day):
    return accountability_record_create(
        actor=demo.user("chengang"), subject_kind="person", person=demo.user("tangliang").person,
        organisation=demo.org("执法一支部"), measure="admonition", reason="月报连续三个月逾期未报",
        deciding_body="派驻纪检监察组", decided_on=demo.today, doc_number="驻商纪〔2026〕2号", files=[pdf("决定书.pdf")])


def _urls(record):
    attachment = record.attachments.get()
    return [reverse("accountability:records"), reverse("accountability:record", args=[record.pk]),
            reverse("accountability:record_attachment", args=[attachment.pk]), reverse("accountability:record_new")]


@pytest.mark.parametrize("username", EVERY_USER)
def test_every_record_url_as_every_demo_user(demo, client, record, username):
    c = demo.client_for(client, username)
    statuses = [c.get(url).status_code for url in _urls(record)]
    if username in READERS:
        # The party secretary reads but does not register 问责 records.
        assert statuses == [200, 200, 200, 404 if username == "zhangjianguo" else 200]
        assert AccessLog.objects.filter(user__username=username).count() == 3
    else:
        assert statuses == [404, 404, 404, 404]
        assert not AccessLog.objects.exists()


def test_each_read_is_logged_with_who_what_and_where(demo, client, record):
    c = demo.client_for(client, "zhangjianguo")
    c.get(reverse("accountability:record", args=[record.pk]))
    c.get(reverse("accountability:record", args=[record.pk]))
    c.get(reverse("accountability:records") + "?form=first")
    rows = list(AccessLog.objects.order_by("pk").values_list("user__username", "action", "record_id", "detail"))
    assert rows == [("zhangjianguo", "view", record.pk, ""), ("zhangjianguo", "view", record.pk, ""),
                    ("zhangjianguo", "list", None, "form=first")]


def test_access_log_is_immutable_and_readable_by_the_audit_admin(demo, client, record):
    demo.client_for(client, "chengang").get(reverse("accountability:record", args=[record.pk]))
    entry = AccessLog.objects.get()
    entry.detail = "改动"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    page = demo.client_for(client, "auditadmin").get("/admin/accountability/accesslog/")
    assert page.status_code == 200 and "陈刚" in page.content.decode()
    # The audit admin sees who read what, never the record itself.
    assert demo.client_for(client, "auditadmin").get(
        reverse("accountability:record", args=[record.pk])).status_code == 404


@override_settings(ACCOUNTABILITY_SUBJECT_CAN_READ=True)
def test_setting_lets_the_subject_read_their_own_record_only(demo, client, record):
    other = accountability_record_create(
        actor=demo.user("chengang"), subject_kind="unit", organisation=demo.org("办公室"), measure="criticism",
        reason="整改不力", deciding_body="派驻纪检监察组", decided_on=demo.today)
    c = demo.client_for(client, "tangliang")
    assert c.get(reverse("accountability:record", args=[record.pk])).status_code == 200
    assert c.get(reverse("accountability:record", args=[other.pk])).status_code == 404
    assert AccessLog.objects.filter(user__username="tangliang", action="view").count() == 1


@pytest.mark.parametrize("measure,form", [("admonition", "first"), ("serious_warning", "second"),
                                          ("probation", "third"), ("investigation", "fourth")])
def test_form_follows_from_the_measure(demo, on_demo_day, measure, form):
    created = accountability_record_create(
        actor=demo.user("zhoutao"), subject_kind="person", person=demo.user("gaofeng").person,
        organisation=demo.org("市场运行科"), measure=measure, reason="事由", deciding_body="机关纪委",
        decided_on=demo.today)
    assert created.form == form


def test_record_creation_refused_to_non_discipline_and_bad_input(demo, on_demo_day):
    kwargs = {"subject_kind": "person", "person": None, "organisation": demo.org("办公室"), "measure": "admonition",
              "reason": "事由", "deciding_body": "纪检监察组", "decided_on": demo.today}
    with pytest.raises(PermissionDenied):
        accountability_record_create(actor=demo.user("zhangjianguo"), **kwargs)
    with pytest.raises(ValidationError, match="请选择被问责人"):
        accountability_record_create(actor=demo.user("chengang"), **kwargs)
    with pytest.raises(ValidationError, match="决定日期不能晚于今天"):
        accountability_record_create(actor=demo.user("chengang"), **{
            **kwargs, "subject_kind": "unit", "decided_on": demo.today + datetime.timedelta(days=1)})
    assert not AccountabilityRecord.objects.exists()


def test_talk_validation_and_scope(demo, client, on_demo_day):
    chen = demo.user("chengang")
    with pytest.raises(ValidationError) as caught:
        talk_record(actor=chen, kind="head", held_on=demo.today, talkers=[chen.person], reason="", summary="要点")
    assert "约谈单位主要负责人或集体约谈时请选择被约谈单位。" in caught.value.messages
    assert "请填写约谈事由。" in caught.value.messages
    with pytest.raises(PermissionDenied):
        talk_record(actor=demo.user("tangliang"), kind="reminder", held_on=demo.today, talkers=[chen.person],
                    interviewees=[chen.person], reason="r", summary="s")
    talk = talk_record(actor=demo.user("liming"), kind="head", held_on=demo.today,
                       talkers=[demo.user("liming").person], organisation=demo.org("市场运行科"),
                       interviewees=[demo.user("gaofeng").person], reason="整改措施逾期", summary="要求限期整改")
    url = reverse("accountability:talk", args=[talk.pk])
    assert demo.client_for(client, "gaofeng").get(url).status_code == 200
    assert demo.client_for(client, "tangliang").get(url).status_code == 404
    assert demo.client_for(client, "chengang").get(url).status_code == 200


def test_downloading_an_attachment_is_logged_with_its_name_and_address(demo, client, record):
    attachment = record.attachments.get()
    c = demo.client_for(client, "liuyang")
    response = c.get(reverse("accountability:record_attachment", args=[attachment.pk]), REMOTE_ADDR="10.8.8.8")
    assert response.status_code == 200
    assert list(AccessLog.objects.values_list("user__username", "action", "record_id", "detail", "remote_addr")) == [
        ("liuyang", "download", record.pk, "决定书.pdf", "10.8.8.8")]
