"""Organisational-life fixtures: the demo agency seeded once per module (as tests/accounts/conftest.py does), and
record-keeping tracked from 1 January 2026 unless a test says otherwise."""
import pytest
from django.db import transaction

from branches.demo import seed_demo
from tests.conftest import DEMO_DAY, Demo


@pytest.fixture(scope="module")
def _demo_seeded_for_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        seed_demo(today=DEMO_DAY)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_seeded_for_module, db):
    return Demo()


@pytest.fixture(autouse=True)
def _tracked_from_2026(settings, tmp_path):
    settings.ORGLIFE_TRACKED_FROM = "2026-01-01"
    settings.ORGLIFE_REVIEW = False
    settings.MEDIA_ROOT = tmp_path / "media"
