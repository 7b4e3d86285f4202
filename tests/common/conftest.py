"""The demo agency seeded once per module (each test still rolls back its own writes)."""
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
