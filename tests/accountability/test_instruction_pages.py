"""督办 pages: scope (another unit's instruction is a 404), the matrix, actions through the pages, print and .docx,
bad ids and bad input, query caps."""
import datetime

import pytest
from django.urls import reverse

from accountability.models import Recipient
from tests.accountability.helpers import docx_text, issue

pytestmark = pytest.mark.django_db


def test_recipient_sees_only_own_row_and_outsider_gets_404(demo, client, supervise):
    url = reverse("accountability:instruction", args=[supervise.pk])
    page = demo.client_for(client, "zhengwei").get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "办公室" in html and "recipient-执法一支部" not in html
    assert demo.client_for(client, "gaofeng").get(url).status_code == 404
    for username in ("sysadmin", "auditadmin"):
        assert demo.client_for(client, username).get(url).status_code == 404


def test_issuer_sees_the_matrix_of_every_recipient(demo, client, supervise):
    html = demo.client_for(client, "chengang").get(reverse("accountability:instruction", args=[supervise.pk])) \
        .content.decode()
    assert 'data-testid="recipient-办公室"' in html and 'data-testid="recipient-执法一支部"' in html
    assert "待签收 2" in html


def test_acknowledge_and_reply_through_the_page(demo, client, supervise, on_demo_day):
    office = supervise.recipients.get(organisation__name="办公室")
    c = demo.client_for(client, "zhengwei")
    response = c.post(reverse("accountability:acknowledge", args=[office.pk]), follow=True)
    assert "已签收" in response.content.decode()
    response = c.post(reverse("accountability:reply", args=[office.pk]), {f"r{office.pk}-text": "已办理完毕"},
                      follow=True)
    assert "已反馈办理结果" in response.content.decode()
    assert Recipient.objects.get(pk=office.pk).state == "replied"


def test_refused_action_through_the_page_shows_chinese_error_and_changes_nothing(demo, client, supervise):
    branch = supervise.recipients.get(organisation__name="执法一支部")
    # 郑伟 cannot see 执法一支部's row at all: a 404, not a refusal that confirms it exists.
    assert demo.client_for(client, "zhengwei").post(
        reverse("accountability:acknowledge", args=[branch.pk])).status_code == 404
    office = supervise.recipients.get(organisation__name="办公室")
    response = demo.client_for(client, "liuyang").post(reverse("accountability:acknowledge", args=[office.pk]),
                                                       follow=True)
    assert "只有承办单位的负责人或工作人员可以签收和反馈" in response.content.decode()
    assert Recipient.objects.get(pk=office.pk).state == "pending"


def test_issue_form_from_a_red_item_links_it(demo, client, on_demo_day):
    from rectification.models import Measure
    from tests.accountability.helpers import seed_overdue_measure

    measure = seed_overdue_measure(demo)
    c = demo.client_for(client, "chengang")
    page = c.get(reverse("accountability:instruction_new", args=["supervise"]) + f"?source=measure:{measure.pk}")
    assert page.status_code == 200
    assert "逾期" in page.content.decode()
    office = demo.org("办公室")
    response = c.post(reverse("accountability:instruction_new", args=["supervise"]), {
        "title": "督办逾期整改", "requirement": "请于十日内完成", "organisations": [office.pk],
        "due_on": "2026-03-25", "ack_days": 2, "source": f"measure:{measure.pk}"})
    assert response.status_code == 302
    instruction = supervise_of(measure)
    assert instruction.source == Measure.objects.get(pk=measure.pk)
    assert instruction.source_link == reverse("rectification:measure", args=[measure.pk])


def supervise_of(measure):
    from django.contrib.contenttypes.models import ContentType

    from accountability.models import Instruction

    return Instruction.objects.get(source_type=ContentType.objects.get_for_model(measure), source_id=measure.pk)


@pytest.mark.parametrize("key", ["measure:999999", "report:abc", "bogus:1", "measure:" + "9" * 30])
def test_bad_or_unknown_source_is_a_chinese_message_not_a_500(demo, client, key):
    response = demo.client_for(client, "chengang").get(
        reverse("accountability:instruction_new", args=["supervise"]) + f"?source={key}", follow=True)
    assert response.status_code == 200
    assert "来源事项" in response.content.decode()


def test_issue_form_errors_are_shown_and_nothing_created(demo, client, on_demo_day):
    from accountability.models import Instruction

    response = demo.client_for(client, "chengang").post(reverse("accountability:instruction_new", args=["supervise"]), {
        "title": "督办", "requirement": "要求", "organisations": [demo.org("办公室").pk], "due_on": "2026-03-01",
        "ack_days": 2})
    assert response.status_code == 200
    assert "办理时限不能早于今天" in response.content.decode()
    assert not Instruction.objects.exists()


def test_print_view_and_docx_carry_the_official_fields(demo, client, supervise):
    c = demo.client_for(client, "chengang")
    html = c.get(reverse("accountability:print", args=[supervise.pk])).content.decode()
    for text in ("督办单", "督办〔2026〕1号", "督办事项", "督办要求", "办理时限", "承办单位", "签收人/签收时间", "办理结果",
                 "市纪委监委派驻市商务局纪检监察组"):
        assert text in html
    response = c.get(reverse("accountability:docx", args=[supervise.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = docx_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "督办〔2026〕1号" in text and "执法一支部、办公室" in text and "2026年03月25日前反馈办理结果" in text


def test_list_drills_to_the_rows_counted_with_constant_queries(demo, client, on_demo_day,
                                                               django_assert_max_num_queries):
    for n in range(8):
        issue(demo, "chengang", ["办公室", "执法一支部", "机关第二党支部"],
              due_on=demo.today + datetime.timedelta(days=n + 2))
    c = demo.client_for(client, "chengang")
    with django_assert_max_num_queries(15):
        page = c.get(reverse("accountability:instructions") + "?year=2026")
    assert "共 24 家次承办" in page.content.decode()
    with django_assert_max_num_queries(15):
        page = c.get(reverse("accountability:instructions") + "?year=2026&which=overdue")
    assert "共 0 家次承办" in page.content.decode()
    page = c.get(reverse("accountability:instructions") + "?year=abc&which=nonsense")
    assert page.status_code == 200


def test_odd_ids_are_404(demo, client):
    c = demo.client_for(client, "chengang")
    for name in ("instruction", "print", "docx", "attachment"):
        assert c.get(reverse(f"accountability:{name}", args=[99999999])).status_code == 404
    assert c.get("/accountability/instructions/new/bogus/").status_code == 404
