"""Who hears of each 督办/交办 step the moment it is recorded (through notifications.events.notify, in the
transaction of the step, so a rolled-back step tells nobody): the recipient unit's 书记/负责人 when it is issued,
returned, closed or withdrawn; the issuer when a unit acknowledges late or replies."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.events import notify
from notifications.models import Kind, Level
from notifications.recipients import Directory


def _name(instruction) -> str:
    return f"{instruction.code}“{instruction.title[:30]}”"


def _common(instruction, event, actor) -> dict:
    return {"subject": instruction, "key": f"instruction:{event.pk}", "actor": actor, "kind": Kind.INSTRUCTION,
            "link": reverse("accountability:instruction", args=[instruction.pk])}


def instruction_issued(instruction, recipients, event, actor) -> None:
    people = Directory()
    for recipient in recipients:
        notify(recipients=people.leaders(recipient.organisation_id), organisation_id=recipient.organisation_id,
               title=_("收到%(name)s，请于%(date)s前签收") % {"name": _name(instruction),
                                                       "date": f"{recipient.ack_due_on:%m月%d日}"},
               body=_("办理时限：%(date)s。%(text)s") % {"date": f"{instruction.due_on:%Y年%m月%d日}",
                                                     "text": instruction.requirement},
               **_common(instruction, event, actor))


def recipient_replied(recipient, event, actor) -> None:
    instruction = recipient.instruction
    notify(recipients=[instruction.issued_by], organisation_id=recipient.organisation_id,
           title=_("%(org)s已反馈%(name)s，请办结或退回") % {"org": recipient.organisation.name,
                                                      "name": _name(instruction)},
           body=event.comment, **_common(instruction, event, actor))


def recipient_decided(recipient, event, actor, *, returned: bool) -> None:
    instruction = recipient.instruction
    leaders = Directory().leaders(recipient.organisation_id) + [recipient.replied_by]
    if returned:
        notify(recipients=leaders, organisation_id=recipient.organisation_id, level=Level.YELLOW,
               title=_("%(name)s的反馈被退回，请继续办理后重新反馈") % {"name": _name(instruction)},
               body=_("退回原因：%(reason)s") % {"reason": event.comment}, **_common(instruction, event, actor))
    else:
        notify(recipients=leaders, organisation_id=recipient.organisation_id,
               title=_("%(name)s已办结") % {"name": _name(instruction)}, body=event.comment,
               **_common(instruction, event, actor))


def instruction_withdrawn(instruction, org_ids, event, actor) -> None:
    people = Directory()
    for org_id in org_ids:
        notify(recipients=people.leaders(org_id), organisation_id=org_id,
               title=_("%(name)s已撤回，无需继续办理") % {"name": _name(instruction)},
               body=_("撤回原因：%(reason)s") % {"reason": event.comment}, **_common(instruction, event, actor))
