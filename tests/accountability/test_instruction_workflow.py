"""督办/交办 transitions with the roles allowed and refused; refused or invalid actions change nothing."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability import instructions as svc
from accountability.models import Instruction, InstructionEvent, InstructionKind, InstructionStatus, RecipientState
from tests.accountability.helpers import issue, pdf

pytestmark = pytest.mark.django_db


def _recipient(instruction, name):
    return instruction.recipients.get(organisation__name=name)


def _snapshot(instruction):
    return (list(instruction.recipients.order_by("pk").values_list("state", "acknowledged_at", "replied_at",
                                                                     "closed_at", "reply_text")),
            instruction.events.count(), Instruction.objects.get(pk=instruction.pk).status)


def test_inspector_issues_numbered_supervision_notice_to_several_units(demo, on_demo_day):
    first = issue(demo, "chengang", ["办公室"])
    second = issue(demo, "liuyang", ["办公室", "执法一支部"])
    assert (first.code, second.code) == ("督办〔2026〕1号", "督办〔2026〕2号")
    assert second.issuing_org.name == "市纪委监委派驻市商务局纪检监察组"
    assert [(r.organisation.name, r.state, r.ack_due_on) for r in second.recipients.order_by("organisation__sort_order")] \
        == [("执法一支部", "pending", datetime.date(2026, 3, 17)), ("办公室", "pending", datetime.date(2026, 3, 17))]
    assert list(second.events.values_list("action", flat=True)) == ["issued"]


def test_staff_issue_assignments_numbered_separately_to_many_units(demo, on_demo_day):
    issue(demo, "chengang", ["办公室"])
    branches = ["机关第一党支部", "机关第二党支部", "机关第三党支部", "执法一支部", "执法二支部"]
    task = issue(demo, "wumin", branches, kind=InstructionKind.ASSIGN, title="各党支部6月30日前开展七一主题党日并报送")
    assert task.code == "交办〔2026〕1号"
    assert task.issuing_org.name == "中共示范市商务局机关委员会"
    assert task.recipients.count() == 5


@pytest.mark.parametrize("username,kind", [("wumin", "supervise"), ("zhengwei", "supervise"), ("liming", "supervise"),
                                           ("chengang", "assign"), ("auditadmin", "supervise"),
                                           ("zhangjianguo", "assign")])
def test_issuing_is_refused_to_other_roles(demo, on_demo_day, username, kind):
    with pytest.raises(PermissionDenied):
        issue(demo, username, ["办公室"], kind=kind)
    assert not Instruction.objects.exists()


@pytest.mark.parametrize("changes,message", [
    ({"due_on": datetime.date(2026, 3, 14)}, "办理时限不能早于今天"),
    ({"ack_days": 20, "due_on": datetime.date(2026, 3, 20)}, "签收时限不能晚于办理时限"),
    ({"title": "  "}, "请填写督办事项"),
])
def test_issue_with_bad_input_is_refused_in_chinese(demo, on_demo_day, changes, message):
    with pytest.raises(ValidationError) as caught:
        issue(demo, "chengang", ["办公室"], **changes)
    assert any(message in m for m in caught.value.messages)
    assert not Instruction.objects.exists()


def test_issue_without_recipients_is_refused(demo, on_demo_day):
    with pytest.raises(ValidationError, match="请至少选择一个承办单位"):
        issue(demo, "chengang", [])


def test_full_chain_acknowledge_reply_return_reply_accept_closes_instruction(demo, supervise, on_demo_day):
    office, branch = _recipient(supervise, "办公室"), _recipient(supervise, "执法一支部")
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已完成整改", files=[pdf()])
    svc.recipient_return(actor=demo.user("chengang"), recipient=office, reason="佐证材料不全")
    assert _recipient(supervise, "办公室").state == RecipientState.RETURNED
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已补充会议记录")
    # A colleague in the issuing office (刘洋, 纪检监察组) may close it.
    svc.recipient_accept(actor=demo.user("liuyang"), recipient=office)
    assert Instruction.objects.get(pk=supervise.pk).status == InstructionStatus.ISSUED  # 执法一支部 still open
    svc.recipient_acknowledge(actor=demo.user("tangliang"), recipient=branch)
    svc.recipient_reply(actor=demo.user("tangliang"), recipient=branch, text="已办理")
    svc.recipient_accept(actor=demo.user("chengang"), recipient=branch, comment="同意办结")
    assert Instruction.objects.get(pk=supervise.pk).status == InstructionStatus.CLOSED
    office = _recipient(supervise, "办公室")
    assert (office.state, office.reply_text, office.first_replied_on) == ("closed", "已补充会议记录", demo.today)
    assert office.attachments.get().sha256 and office.attachments.get().name == "evidence.pdf"
    assert list(supervise.events.filter(recipient=office).values_list("action", flat=True)) == [
        "acknowledged", "replied", "returned", "replied", "closed"]


@pytest.mark.parametrize("username", ["tangliang", "gaofeng", "liming", "wumin", "chengang", "zhangjianguo"])
def test_acknowledge_by_user_outside_recipient_organisation_is_refused(demo, supervise, username):
    before = _snapshot(supervise)
    with pytest.raises(PermissionDenied, match="只有承办单位"):
        svc.recipient_acknowledge(actor=demo.user(username), recipient=_recipient(supervise, "办公室"))
    assert _snapshot(supervise) == before


def test_reply_by_user_outside_recipient_organisation_is_refused(demo, supervise):
    office = _recipient(supervise, "办公室")
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    before = _snapshot(supervise)
    with pytest.raises(PermissionDenied):
        svc.recipient_reply(actor=demo.user("tangliang"), recipient=office, text="代为反馈")
    assert _snapshot(supervise) == before


def test_second_acknowledge_records_nothing(demo, supervise):
    office = _recipient(supervise, "办公室")
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    before = _snapshot(supervise)
    with pytest.raises(ValidationError, match="请勿重复签收"):
        svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    assert _snapshot(supervise) == before
    assert InstructionEvent.objects.filter(action="acknowledged").count() == 1


def test_reply_needs_acknowledgement_and_text(demo, supervise):
    office = _recipient(supervise, "办公室")
    with pytest.raises(ValidationError, match="请先签收"):
        svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已办理")
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    with pytest.raises(ValidationError, match="请填写办理结果"):
        svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text=" ")


@pytest.mark.parametrize("username", ["zhoutao", "wumin", "zhengwei", "zhangjianguo", "liming"])
def test_closing_by_anyone_outside_the_issuing_office_is_refused(demo, supervise, username):
    office = _recipient(supervise, "办公室")
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已办理")
    before = _snapshot(supervise)
    with pytest.raises(PermissionDenied, match="只有发文单位"):
        svc.recipient_accept(actor=demo.user(username), recipient=office)
    with pytest.raises(PermissionDenied):
        svc.recipient_return(actor=demo.user(username), recipient=office, reason="退回")
    assert _snapshot(supervise) == before


def test_accept_needs_a_reply_and_return_needs_a_reason(demo, supervise):
    office = _recipient(supervise, "办公室")
    with pytest.raises(ValidationError, match="只有已反馈"):
        svc.recipient_accept(actor=demo.user("chengang"), recipient=office)
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已办理")
    with pytest.raises(ValidationError, match="退回时请填写原因"):
        svc.recipient_return(actor=demo.user("chengang"), recipient=office, reason="")


def test_reply_after_withdrawal_is_refused_and_changes_nothing(demo, supervise):
    office = _recipient(supervise, "办公室")
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    svc.instruction_withdraw(actor=demo.user("chengang"), instruction=supervise, reason="情况已变化")
    before = _snapshot(supervise)
    with pytest.raises(ValidationError, match="已撤回"):
        svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已办理")
    with pytest.raises(ValidationError, match="已撤回"):
        svc.recipient_acknowledge(actor=demo.user("tangliang"), recipient=_recipient(supervise, "执法一支部"))
    assert _snapshot(supervise) == before
    assert set(supervise.recipients.values_list("state", flat=True)) == {"withdrawn"}


def test_withdraw_only_by_issuing_office_with_reason(demo, supervise):
    with pytest.raises(PermissionDenied):
        svc.instruction_withdraw(actor=demo.user("zhoutao"), instruction=supervise, reason="撤回")
    with pytest.raises(ValidationError, match="撤回时请填写原因"):
        svc.instruction_withdraw(actor=demo.user("chengang"), instruction=supervise, reason="")
    assert Instruction.objects.get(pk=supervise.pk).status == "issued"


def test_late_acknowledgement_and_reply_are_noted(demo, supervise, on_demo_day):
    office = _recipient(supervise, "办公室")
    on_demo_day.shift(datetime.timedelta(days=5))  # two days to acknowledge: three days late
    svc.recipient_acknowledge(actor=demo.user("zhengwei"), recipient=office)
    on_demo_day.shift(datetime.timedelta(days=8))  # due on day 10: three days late
    svc.recipient_reply(actor=demo.user("zhengwei"), recipient=office, text="已办理")
    comments = list(supervise.events.filter(recipient=office).values_list("comment", flat=True))
    assert comments == ["逾期3天签收", "已办理（逾期3天）"]
