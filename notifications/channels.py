"""Outside channels: one email digest per recipient, and group-robot webhooks (WeCom, DingTalk)."""
from __future__ import annotations

import json
import urllib.request

from django.conf import settings
from django.core.mail import send_mail

from .models import Level, Webhook

WEBHOOK_TIMEOUT = 5  # seconds; a slow robot must not hold the worker
LEVEL_ORDER = {Level.RED: 0, Level.YELLOW: 1, Level.GREEN: 2}
LEVEL_MARK = {Level.RED: "【逾期】", Level.YELLOW: "【预警】", Level.GREEN: "【提示】"}


# Group robots render markdown, and each (WeCom, DingTalk) its own dialect with no documented escape character, so
# the characters that mark up text in either are shown as their full-width forms, which Chinese text uses anyway:
# an organisation or item named "**粗体**[链接](http://x)" reads as written and links nowhere. Line breaks would
# start a new markdown line (a heading, a list item) and become spaces.
MARKDOWN_SAFE = str.maketrans({
    "*": "＊", "_": "＿", "`": "｀", "#": "＃", "[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞",
    "!": "！", "|": "｜", "~": "～", "\\": "＼", "@": "＠", "\n": " ", "\r": " ",
})


def markdown_text(value: str) -> str:
    """User text (names, titles) as plain text inside a robot's markdown message."""
    return str(value).translate(MARKDOWN_SAFE)


def _absolute(link: str) -> str:
    return settings.SITE_URL.rstrip("/") + link if link else ""


def send_digest(user, reminders) -> None:
    """One email with all of a recipient's new reminders, overdue first."""
    ordered = sorted(reminders, key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.on_date, r.pk))
    overdue = sum(1 for r in ordered if r.level == Level.RED)
    subject = f"责任链提醒：{len(ordered)} 项待办" + (f"，其中 {overdue} 项已逾期" if overdue else "")
    lines = [f"{user}，您好：", "", "以下事项需要您关注：", ""]
    for index, reminder in enumerate(ordered, start=1):
        lines.append(f"{index}. {LEVEL_MARK.get(reminder.level, '')}{reminder.title}")
        if reminder.body:
            lines.append(f"   {reminder.body}")
        if reminder.link:
            lines.append(f"   {_absolute(reminder.link)}")
    lines += ["", "如不希望接收邮件提醒，可在责任链“通知设置”中关闭。", "责任链"]
    send_mail(subject, "\n".join(lines), None, [user.email], fail_silently=False)


def webhook_payload(kind: str, reminders) -> dict:
    ordered = sorted(reminders, key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.pk))
    title = f"责任链提醒（{len(ordered)} 项）"
    items = [f"- {LEVEL_MARK.get(r.level, '')}{markdown_text(r.title)}"
             + (f" [查看]({_absolute(r.link)})" if r.link else "")
             for r in ordered]
    text = "\n".join([f"### {title}", *items])
    if kind == Webhook.Kind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def post_webhook(webhook: Webhook, reminders) -> None:
    body = json.dumps(webhook_payload(webhook.kind, reminders), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(webhook.url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"webhook answered errcode={answer.get('errcode')} {answer.get('errmsg', '')}")
