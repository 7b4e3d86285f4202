"""Shared fixtures: the demo agency at a fixed date, and users by username."""
import datetime

import pytest

from branches.demo import seed_demo

DEMO_DAY = datetime.date(2026, 3, 15)


@pytest.fixture
def demo(db):
    """The demo agency 示范市商务局, seeded as on DEMO_DAY."""
    seed_demo(today=DEMO_DAY)
    return Demo()


class Demo:
    today = DEMO_DAY

    def user(self, username):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=username)

    def org(self, name):
        from branches.models import Organisation

        return Organisation.objects.get(name=name)

    def client_for(self, client, username):
        client.force_login(self.user(username))
        return client


@pytest.fixture
def on_demo_day():
    """Freeze the clock on DEMO_DAY (10:00 Asia/Shanghai), the day the demo was seeded."""
    import time_machine
    from zoneinfo import ZoneInfo

    with time_machine.travel(datetime.datetime.combine(DEMO_DAY, datetime.time(10), ZoneInfo("Asia/Shanghai")),
                             tick=False) as traveller:
        yield traveller
