"""The notification centre: filtering by kind and read state, and opening a notification marks it read."""
import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from notifications.models import Kind, Level, Reminder


def make(user, kind, title, *, read=False, link="/reports/"):
    return Reminder.objects.create(
        content_type=ContentType.objects.get_for_model(user), object_id=user.pk, stage=f"s:{title}",
        recipient=user, level=Level.GREEN, kind=kind, title=title, link=link, on_date=datetime.date(2026, 3, 1),
        run=uuid.uuid4(), read_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC) if read else None)


@pytest.fixture
def mine(demo):
    zhengwei = demo.user("zhengwei")
    return {
        "report_unread": make(zhengwei, Kind.REPORT, "月报被驳回"),
        "report_read": make(zhengwei, Kind.REPORT, "月报已通过", read=True),
        "measure_unread": make(zhengwei, Kind.MEASURE, "整改措施将到期", link="/rectification/"),
        "other_user": make(demo.user("tangliang"), Kind.REPORT, "别人的通知"),
    }


def titles(response):
    return [r.title for r in response.context["page"]]


@pytest.mark.parametrize("query, expected", [
    ("", {"月报被驳回", "月报已通过", "整改措施将到期"}),
    ("?kind=report", {"月报被驳回", "月报已通过"}),
    ("?kind=report&state=unread", {"月报被驳回"}),
    ("?state=read", {"月报已通过"}),
    ("?unread=1", {"月报被驳回", "整改措施将到期"}),
    ("?kind=bogus&state=%FF", {"月报被驳回", "月报已通过", "整改措施将到期"}),
])
def test_centre_filters_by_kind_and_read_state(demo, client, mine, query, expected):
    demo.client_for(client, "zhengwei")
    response = client.get(reverse("notifications:list") + query)
    assert response.status_code == 200
    assert set(titles(response)) == expected


def test_opening_a_notification_marks_it_read_and_follows_its_link(demo, client, mine):
    demo.client_for(client, "zhengwei")
    response = client.get(reverse("notifications:open", args=[mine["measure_unread"].pk]))
    assert response.status_code == 302 and response["Location"] == "/rectification/"
    mine["measure_unread"].refresh_from_db()
    assert mine["measure_unread"].read_at is not None
    mine["report_unread"].refresh_from_db()
    assert mine["report_unread"].read_at is None


def test_someone_elses_notification_is_not_found(demo, client, mine):
    demo.client_for(client, "zhengwei")
    assert client.get(reverse("notifications:open", args=[mine["other_user"].pk])).status_code == 404
    mine["other_user"].refresh_from_db()
    assert mine["other_user"].read_at is None


def test_centre_page_queries_are_bounded(demo, client, mine, django_assert_max_num_queries):
    demo.client_for(client, "zhengwei")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:list")).status_code == 200
