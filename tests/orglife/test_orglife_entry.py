"""Entering records: a secretary records and sees only their organisation's records; another's is a 404."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orglife import services
from orglife.models import Attachment, Record, RecordEvent, RecordStatus
from orglife.rules import RecordInput
from tests.orglife.helpers import PDF, D, add, at, types

FIRST, ENFORCEMENT_1 = "机关第一党支部", "执法一支部"


def quick_entry(client, org, **extra):
    data = {"types": [t.pk for t in types("party_assembly", "theme_day")], "date": "2026-03-12",
            "start_time": "14:30", "place": "三楼会议室", "topic": "一季度支部党员大会暨3月主题党日",
            "host_name": "郑伟", "recorder_name": "张小红", "expected_count": "12", "present_count": "10",
            "leave_count": "2", "absentees": "李某 出差；王某 病假", "summary": "传达学习全面从严治党工作会议精神。",
            "files": [SimpleUploadedFile("会议记录.pdf", PDF, content_type="application/pdf")]}
    data.update(extra)
    return client.post(reverse("orglife:new", args=[org.pk]), data)


@pytest.fixture
def entered(demo, client):
    """郑伟 enters a record for his branch through the quick form on 15 March 2026."""
    demo.client_for(client, "zhengwei")
    with at(2026, 3, 15):
        response = quick_entry(client, demo.org(FIRST))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "已记录" in client.get(response.url).content.decode()  # the message is shown (and used up)
    return Record.objects.get(organisation__name=FIRST)


def test_secretary_enters_a_record_with_two_types_and_a_file(entered, demo):
    record = entered
    assert sorted(t.name for t in record.types.all()) == ["主题党日", "支部党员大会"]
    assert (record.date.isoformat(), record.start_time.strftime("%H:%M"), record.place) == (
        "2026-03-12", "14:30", "三楼会议室")
    assert (record.expected_count, record.present_count, record.leave_count, record.absent_count) == (12, 10, 2, 2)
    assert record.host.name == "郑伟" and record.recorder is None and record.recorder_name == "张小红"
    assert record.status == RecordStatus.ACCEPTED and record.created_by.username == "zhengwei"
    assert [a.original_name for a in record.attachments.all()] == ["会议记录.pdf"]
    assert list(record.events.values_list("action", flat=True)) == [RecordEvent.Action.CREATED]


def test_secretary_sees_the_record_and_downloads_the_file(entered, client):
    with at(2026, 3, 15):
        page = client.get(reverse("orglife:organisation", args=[entered.organisation_id]), {"month": 3})
    assert page.status_code == 200 and "一季度支部党员大会暨3月主题党日" in page.content.decode()
    assert client.get(reverse("orglife:record", args=[entered.pk])).status_code == 200
    download = client.get(reverse("orglife:attachment", args=[entered.attachments.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_another_secretary_gets_404_for_everything_of_the_branch(entered, demo, client):
    demo.client_for(client, "tangliang")
    attachment = entered.attachments.get()
    first = demo.org(FIRST)
    for url in (reverse("orglife:record", args=[entered.pk]), reverse("orglife:edit", args=[entered.pk]),
                reverse("orglife:attachment", args=[attachment.pk]), reverse("orglife:organisation", args=[first.pk]),
                reverse("orglife:new", args=[first.pk])):
        assert client.get(url).status_code == 404, url
    for url in (reverse("orglife:edit", args=[entered.pk]), reverse("orglife:delete", args=[entered.pk]),
                reverse("orglife:review", args=[entered.pk]), reverse("orglife:attachment_delete", args=[attachment.pk]),
                reverse("orglife:new", args=[first.pk])):
        assert client.post(url, {"topic": "改", "decision": "accept"}).status_code == 404, url
    with at(2026, 3, 15):
        assert quick_entry(client, first).status_code == 404
    assert Record.objects.count() == 1 and Attachment.objects.count() == 1
    assert Record.objects.get().topic == "一季度支部党员大会暨3月主题党日"


def test_a_secretary_lists_only_their_own_records(entered, demo, client):
    add(ENFORCEMENT_1, ["branch_committee"], D(2026, 3, 2), topic="执法一支部3月支委会")
    demo.client_for(client, "tangliang")
    with at(2026, 3, 15):
        text = client.get(reverse("orglife:organisation", args=[demo.org(ENFORCEMENT_1).pk])).content.decode()
    assert "执法一支部3月支委会" in text and "一季度支部党员大会" not in text
    assert list(Record.objects.visible_to(demo.user("tangliang")).values_list("topic", flat=True)) == [
        "执法一支部3月支委会"]
    assert client.get(reverse("orglife:index")).url == reverse("orglife:organisation",
                                                               args=[demo.org(ENFORCEMENT_1).pk])


def test_readers_see_but_do_not_enter(entered, demo, client):
    for username, org in (("chengang", FIRST), ("zhaoqiang", FIRST), ("liming", "机关第二党支部")):
        demo.client_for(client, username)
        assert client.get(reverse("orglife:organisation", args=[demo.org(org).pk])).status_code == 200
        assert client.get(reverse("orglife:new", args=[demo.org(org).pk])).status_code == 403
    demo.client_for(client, "chengang")
    assert client.get(reverse("orglife:record", args=[entered.pk])).status_code == 200
    assert client.post(reverse("orglife:delete", args=[entered.pk])).status_code == 403
    demo.client_for(client, "liming")  # 李明 does not supervise anything 机关第一党支部 covers
    assert client.get(reverse("orglife:record", args=[entered.pk])).status_code == 404


def test_staff_enter_for_any_branch_and_the_secretary_edits(entered, demo, client):
    demo.client_for(client, "wumin")
    with at(2026, 3, 15):
        assert quick_entry(client, demo.org(ENFORCEMENT_1), topic="执法一支部党员大会").status_code == 302
    demo.client_for(client, "zhengwei")
    with at(2026, 3, 16):
        response = client.post(reverse("orglife:edit", args=[entered.pk]), {
            "types": [t.pk for t in types("party_assembly")], "date": "2026-03-12", "topic": "一季度支部党员大会",
            "expected_count": "12", "present_count": "11"})
    assert response.status_code == 302
    entered.refresh_from_db()
    assert [t.code for t in entered.types.all()] == ["party_assembly"] and entered.present_count == 11
    assert entered.attachments.count() == 1  # kept
    client.post(reverse("orglife:delete", args=[entered.pk]))
    assert not Record.objects.filter(pk=entered.pk).exists()


@pytest.mark.parametrize("changes, field, message", [
    ({"date": "2026-03-20"}, "date", "晚于今天"),
    ({"present_count": "13"}, "present_count", "实到人数（13）多于应到人数（12）"),
    ({"leave_count": "3"}, "leave_count", "实到与请假人数之和（13）多于应到人数（12）"),
    ({"types": []}, "types", "请至少选择一种类型"),
    ({"files": [SimpleUploadedFile("记录.pdf", b"not a pdf")]}, "__all__", "内容与扩展名不符"),
])
def test_the_form_reports_what_is_wrong_and_saves_nothing(demo, client, changes, field, message):
    demo.client_for(client, "zhengwei")
    with at(2026, 3, 15):
        response = quick_entry(client, demo.org(FIRST), **changes)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert Record.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_type_the_organisation_does_not_record_is_refused(demo):
    with at(2026, 3, 15), pytest.raises(ValidationError) as caught:
        services.record_create(actor=demo.user("zhengwei"), organisation=demo.org(FIRST),
                               data=RecordInput(types=types("first_topic"), date=D(2026, 3, 1)))
    assert "机关第一党支部不记录“第一议题学习”" in caught.value.message_dict["types"][0]
    with at(2026, 3, 15), pytest.raises(PermissionDenied):
        services.record_create(actor=demo.user("zhengwei"), organisation=demo.org(ENFORCEMENT_1),
                               data=RecordInput(types=types("branch_committee"), date=D(2026, 3, 1)))


def test_talks_name_who_talked_with_whom(demo):
    group = demo.org("中共示范市商务局党组")
    with at(2026, 3, 15):
        record = services.record_create(actor=demo.user("zhangjianguo"), organisation=group, data=RecordInput(
            types=types("heart_talk", "integrity_talk"), date=D(2026, 3, 2), talker_name="赵强",
            talked_to_names="郑伟、冯静、外单位某某"))
        assert (record.talker.name, sorted(p.name for p in record.talked_to.all()), record.talked_to_names) == (
            "赵强", ["冯静", "郑伟"], "外单位某某")
        assert record.topic == "谈心谈话、廉政谈话"
        with pytest.raises(ValidationError) as caught:
            services.record_create(actor=demo.user("zhangjianguo"), organisation=group, data=RecordInput(
                types=types("heart_talk"), date=D(2026, 3, 2), talker_name="赵某", talked_to_names=""))
    assert set(caught.value.message_dict) == {"talker_name", "talked_to_names"}


def test_review_when_the_agency_wants_it(demo, settings):
    settings.ORGLIFE_REVIEW = True
    zhengwei, wumin = demo.user("zhengwei"), demo.user("wumin")
    data = RecordInput(types=types("branch_committee"), date=D(2026, 3, 2), topic="3月支委会")
    with at(2026, 3, 15):
        record = services.record_create(actor=zhengwei, organisation=demo.org(FIRST), data=data)
        assert record.status == RecordStatus.SUBMITTED and record.is_counted
        assert not services.can_review(zhengwei, record) and services.can_review(wumin, record)
        with pytest.raises(ValidationError):
            services.record_return(actor=wumin, record=record, reason=" ")
        record = services.record_return(actor=wumin, record=record, reason="缺会议记录照片")
        assert record.status == RecordStatus.RETURNED and not record.is_counted
        record = services.record_update(actor=zhengwei, record=record, data=data)
        assert record.status == RecordStatus.SUBMITTED
        record = services.record_accept(actor=wumin, record=record, comment="")
        assert record.status == RecordStatus.ACCEPTED and not services.can_edit(zhengwei, record)
        with pytest.raises(PermissionDenied):
            services.record_update(actor=zhengwei, record=record, data=data)
        with pytest.raises(ValidationError):
            services.record_accept(actor=wumin, record=record)  # once only
        staff_record = services.record_create(actor=wumin, organisation=demo.org(FIRST), data=data)
    assert staff_record.status == RecordStatus.ACCEPTED
    assert list(record.events.values_list("action", flat=True)) == ["created", "returned", "updated", "accepted"]


def test_returned_records_do_not_count(demo):
    from orglife.compliance import compliance
    from orglife.periods import Period

    add(FIRST, ["branch_committee"], D(2026, 3, 2), status=RecordStatus.RETURNED)
    add(FIRST, ["branch_committee"], D(2026, 3, 3), status=RecordStatus.SUBMITTED)
    march = Period.parse("2026-03")
    result = compliance(organisations=[demo.org(FIRST)], start=march.start, end=march.end, today=D(2026, 3, 15))[0]
    assert next(c.held for c in result.checks if c.record_type.code == "branch_committee") == 1
