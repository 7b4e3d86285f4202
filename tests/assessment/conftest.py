import pytest

from assessment.services import assessed_units, votes_save
from assessment.votes import read_votes
from tests.assessment import assessment_scenario as scenario
from tests.samples import VOTES_FILE


@pytest.fixture
def world(demo, settings):
    settings.ORGLIFE_TRACKED_FROM = "2026-01-01"
    built = scenario.build(demo)
    built["demo"] = demo
    return built


@pytest.fixture
def scheme(world):
    scheme = scenario.make_scheme()
    with VOTES_FILE.open("rb") as handle:
        plan = read_votes(handle, allowed_ids={u.pk for u in assessed_units(scheme)})
    assert not plan.errors
    votes_save(scheme=scheme, actor=scenario.staff(), rows=plan.rows, source="votes.xlsx")
    return scheme
