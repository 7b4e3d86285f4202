"""The calendar feed: a per-user secret URL, revocable, read-only iCalendar of the deadlines in the user's scope."""
import re

from django.urls import reverse

from notifications.calendar import _fold
from notifications.models import CalendarFeed
from tests.notifications.helpers import at


def subscribe(client, demo, username):
    demo.client_for(client, username)
    client.post(reverse("notifications:calendar"), {"action": "renew"})
    return CalendarFeed.objects.get(user=demo.user(username))


def events(body):
    return re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", body, re.S)


def unfolded(body):
    return body.replace("\r\n ", "")


def test_secretary_subscribes_and_reads_the_deadlines_of_their_organisations(demo, client):
    feed = subscribe(client, demo, "zhengwei")
    client.logout()  # calendars fetch without a session
    with at(2022, 5, 20):
        response = client.get(reverse("calendar_feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    text = unfolded(body)
    # 郑伟 runs 机关第一党支部 and 办公室 (which covers 人事科, 财务科): May's reports are due on 5 June.
    may = [e for e in events(text) if "UID:report-2022-05@" in e]
    assert len(may) == 1
    assert "DTSTART;VALUE=DATE:20220605" in may[0] and "SUMMARY:2022年5月完成情况报告截止" in may[0]
    assert "尚未报送 4 份" in may[0]
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_renewing_or_revoking_stops_the_old_url(demo, client):
    old = subscribe(client, demo, "zhengwei").token
    client.post(reverse("notifications:calendar"), {"action": "renew"})
    new = CalendarFeed.objects.get(user=demo.user("zhengwei")).token
    assert new != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200
    client.post(reverse("notifications:calendar"), {"action": "revoke"})
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 404
    assert client.get(reverse("calendar_feed", args=["x" * 500])).status_code == 404


def test_an_administrator_feed_has_no_business_deadlines(demo, client):
    feed = subscribe(client, demo, "auditadmin")
    with at(2022, 5, 20):
        body = client.get(reverse("calendar_feed", args=[feed.token])).content.decode()
    assert events(body) == []


def test_long_lines_fold_without_splitting_characters():
    line = "SUMMARY:" + "整改措施" * 30
    parts = _fold(line)
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(parts)) == line
    assert all(len(p.encode()) <= 75 for p in parts)
