"""Reminder fixtures: the demo agency with the sample 2022 list published and the May 2022 reports open.

The seed runs once per module inside a transaction held open for the module (the way
TestCase.setUpTestData does it); each test runs in its own savepoint and is rolled back. Transactional
tests (`transaction=True`) do not use it: they seed for themselves with `helpers.seed_may_2022()`.
"""
import pytest
from django.db import transaction

from tests.conftest import Demo
from tests.notifications.helpers import seed_may_2022
from tests.responsibility.conftest import sample


@pytest.fixture(scope="module")
def _seeded_may_2022(django_db_setup, django_db_blocker):
    sample("responsibility_list_2022.xlsx")  # skip before opening the transaction
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        seed_may_2022()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_seeded_may_2022, db):
    """The demo agency (as the project-wide `demo`) with the May 2022 reports open."""
    return Demo()
