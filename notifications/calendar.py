"""The calendar feed: the deadlines in a user's scope as iCalendar (RFC 5545), for WeCom, DingTalk and Outlook."""
from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.todo import deadlines_for

from .models import CalendarFeed

PAST_DAYS = 60  # deadlines just gone stay visible in the calendar for a while
AHEAD_DAYS = 400


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Create the user's subscription, or give it a new secret (the old URL stops working at once)."""
    feed, _created = CalendarFeed.objects.update_or_create(user=user,
                                                           defaults={"token": secrets.token_urlsafe(32)})
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> int:
    return CalendarFeed.objects.filter(user=user).delete()[0]


def _escape(text: str) -> str:
    return (str(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space, never splitting a character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0]] + [" " + part for part in out[1:]]


def render_ics(user, today: datetime.date, name: str) -> str:
    host = settings.SITE_URL.split("//")[-1].split("/")[0] or "zerenlian"
    base = settings.SITE_URL.rstrip("/")
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Zerenlian//Deadlines//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(name)}", "X-WR-TIMEZONE:Asia/Shanghai",
             "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H"]
    start, end = today - datetime.timedelta(days=PAST_DAYS), today + datetime.timedelta(days=AHEAD_DAYS)
    for deadline in deadlines_for(user, start, end):
        url = base + deadline.link if deadline.link else ""
        description = "\n".join(part for part in (deadline.description, url) if part)
        lines += ["BEGIN:VEVENT", f"UID:{deadline.uid}@{host}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{deadline.on:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{deadline.on + datetime.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_escape(deadline.title)}", "TRANSP:TRANSPARENT"]
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        if url:
            lines.append(f"URL:{url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    folded = [part for line in lines for part in _fold(line)]
    return "\r\n".join(folded) + "\r\n"
