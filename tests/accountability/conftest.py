"""问责 fixtures: the demo agency (tree, people, roles) and helpers that issue instructions as the demo's users."""
import datetime

import pytest

from tests.accountability.helpers import issue


@pytest.fixture
def office(demo):
    return demo.org("办公室")


@pytest.fixture
def supervise(demo, on_demo_day):
    """督办 from 陈刚 (派驻纪检监察组) to 办公室 and 执法一支部, due in ten days, two days to acknowledge."""
    return issue(demo, "chengang", ["办公室", "执法一支部"], due_on=demo.today + datetime.timedelta(days=10))
