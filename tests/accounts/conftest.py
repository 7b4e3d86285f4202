"""The demo agency seeded once per test module here, the way TestCase.setUpTestData does it.

Seeding takes ~0.2 s and most admin tests need it. The seed runs inside a transaction held open for
the module; each test still runs in its own savepoint (pytest-django's `db`), so what a test writes
is rolled back before the next one, and the whole seed is rolled back when the module ends.
"""
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
    """Same as the project-wide `demo` fixture, without re-seeding for every test."""
    return Demo()
