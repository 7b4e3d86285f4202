"""The demo holds 督办 in every state, a 交办, talks and a 问责 record; seeding again changes nothing."""
import pytest

from accountability.models import AccountabilityRecord, Instruction, TalkRecord
from accountability.figures import figures
from demo.accountability import seed_demo_accountability

pytestmark = pytest.mark.django_db


def test_demo_instructions_in_every_state(demo, on_demo_day):
    seed_demo_accountability(today=demo.today)
    seed_demo_accountability(today=demo.today)
    states = set(Instruction.objects.values_list("recipients__state", flat=True))
    assert {"pending", "acknowledged", "replied", "closed"} <= states
    assert Instruction.objects.filter(kind="assign").count() == 1
    assert (TalkRecord.objects.count(), AccountabilityRecord.objects.count()) == (2, 1)
    counted = figures(year=2026, today=demo.today)
    assert (counted.supervise, counted.assign, counted.overdue, counted.talk_people) == (4, 1, 1, 2)
    assert counted.by_form["first"] == 1
