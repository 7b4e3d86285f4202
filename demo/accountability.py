"""问责 for the demo agency: 督办 issued from red items in every state (pending, acknowledged, answered, closed,
overdue), a 交办 to the branches, talks with a tracked commitment and 问责 records, created once."""
from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accountability.instructions import (instruction_issue, recipient_accept, recipient_acknowledge,
                                         recipient_reply)
from accountability.models import Instruction, InstructionKind, Recipient
from accountability.records import accountability_record_create, talk_record
from branches.models import Organisation


def _at(moment_day: datetime.date):
    return timezone.make_aware(datetime.datetime.combine(moment_day, datetime.time(9)))


@transaction.atomic
def seed_demo_accountability(*, today: datetime.date) -> dict[str, int]:
    if Instruction.objects.exists():
        return {"督办交办": Instruction.objects.count()}
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["chengang", "wumin", "zhengwei", "tangliang", "gaofeng", "machao", "liming", "zhoutao"])}
    org = {o.name: o for o in Organisation.objects.all()}
    chen = users["chengang"]
    week = datetime.timedelta(days=7)
    answered = instruction_issue(actor=chen, kind=InstructionKind.SUPERVISE, title="关于月报逾期未报的督办",
                                 requirement="请于一周内补报并说明逾期原因，提交整改措施。",
                                 organisations=[org["机关第一党支部"], org["执法一支部"]], due_on=today + week)
    recipient_acknowledge(actor=users["zhengwei"], recipient=answered.recipients.get(organisation__name="机关第一党支部"))
    recipient_reply(actor=users["zhengwei"], recipient=answered.recipients.get(organisation__name="机关第一党支部"),
                    text="已补报，逾期原因系支部书记外出学习，已明确专人负责月报。")
    recipient_acknowledge(actor=users["tangliang"], recipient=answered.recipients.get(organisation__name="执法一支部"))
    closed = instruction_issue(actor=chen, kind=InstructionKind.SUPERVISE, title="关于落实整改措施的督办",
                               requirement="请完成巡察反馈问题整改并上传佐证材料。",
                               organisations=[org["市场运行科"]], due_on=today + datetime.timedelta(days=3))
    row = closed.recipients.get()
    recipient_acknowledge(actor=users["gaofeng"], recipient=row)
    recipient_reply(actor=users["gaofeng"], recipient=row, text="整改已完成，制度已印发。")
    recipient_accept(actor=chen, recipient=row, comment="同意办结")
    pending = instruction_issue(actor=chen, kind=InstructionKind.SUPERVISE, title="关于换届工作的督办",
                                requirement="请按期完成支部委员会换届选举。",
                                organisations=[org["离退休干部党支部"], org["机关第三党支部"]], due_on=today + 2 * week)
    overdue = instruction_issue(actor=chen, kind=InstructionKind.SUPERVISE, title="关于组织生活缺项的督办",
                                requirement="请补开支部党员大会并报送会议记录。", organisations=[org["执法二支部"]],
                                due_on=today + datetime.timedelta(days=2))
    # Issued three weeks ago: not acknowledged, past its deadline.
    ago = today - 3 * week
    Instruction.objects.filter(pk=overdue.pk).update(issued_at=_at(ago), due_on=ago + week)
    Recipient.objects.filter(instruction=overdue).update(ack_due_on=ago + datetime.timedelta(days=2))
    instruction_issue(actor=users["wumin"], kind=InstructionKind.ASSIGN,
                      title="各党支部6月30日前开展七一主题党日并报送",
                      requirement="围绕主题开展主题党日活动，6月30日前报送活动记录和照片。",
                      organisations=[o for name, o in org.items() if name.endswith("支部") and "总支" not in name],
                      due_on=max(today + week, datetime.date(today.year, 6, 30)), ack_days=3)
    talk = talk_record(actor=chen, kind="reminder", held_on=today, talkers=[chen.person],
                       interviewees=[users["tangliang"].person], organisation=org["执法一支部"], instruction=answered,
                       reason="月报连续逾期未报", summary="指出月报逾期问题，要求明确专人负责。",
                       statement="认识到问题，立即整改。", commitments="两周内建立月报专人负责制度。",
                       follow_up_on=today + 2 * week, recorder="刘洋")
    talk_record(actor=chen, kind="head", held_on=today, talkers=[chen.person], organisation=org["市场运行科"],
                interviewees=[users["gaofeng"].person], reason="整改措施逾期", summary="约谈科室主要负责人，督促整改。")
    accountability_record_create(actor=chen, subject_kind="person", person=users["tangliang"].person,
                                 organisation=org["执法一支部"], measure="reminder_talk", reason="月报连续逾期未报",
                                 deciding_body="市纪委监委派驻市商务局纪检监察组", decided_on=today,
                                 doc_number=f"驻商纪〔{today.year}〕1号", talk=talk, instruction=answered)
    del pending
    return {"督办交办": Instruction.objects.count()}
