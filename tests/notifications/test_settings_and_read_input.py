"""Odd input to the notification centre and to the reminder rules is refused cleanly, never a server error."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.models import ReminderSettings


@pytest.mark.parametrize("bad", ["²", "9" * 5000, "99999999999999999999999", "abc"])
def test_marking_read_with_a_bad_id_marks_nothing(demo, client, bad):
    from notifications.models import Level, Reminder
    from django.contrib.contenttypes.models import ContentType
    import uuid
    import datetime

    user = demo.user("zhengwei")
    reminder = Reminder.objects.create(content_type=ContentType.objects.get_for_model(user), object_id=user.pk,
                                       stage="s", recipient=user, level=Level.RED, title="t",
                                       on_date=datetime.date(2026, 3, 1), run=uuid.uuid4())
    demo.client_for(client, "zhengwei")
    response = client.post(reverse("notifications:read"), {"id": bad})
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is None


@pytest.mark.parametrize("value", ["99999999", "180,²", "", "a,b"])
def test_reminder_settings_refuse_bad_day_lists(db, value):
    rules = ReminderSettings(term_days=value)
    with pytest.raises(ValidationError) as exc:
        rules.full_clean()
    assert "term_days" in exc.value.error_dict


def test_bad_stored_day_list_does_not_break_the_scan(demo):
    import datetime

    from notifications.rules import all_candidates

    ReminderSettings.objects.update_or_create(pk=1, defaults={"term_days": "99999999,180,²"})
    assert ReminderSettings.day_list("99999999,180,²") == [180]
    all_candidates(datetime.date(2026, 3, 15))  # no error
