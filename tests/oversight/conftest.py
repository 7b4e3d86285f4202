"""Dashboard fixtures: the scenario of dashboard_scenario.py, seeded once per module.

As in tests/reports/conftest.py, the seed runs inside a transaction held open for the module; each test runs in
its own savepoint and is rolled back."""
import pytest
from django.db import transaction

from tests.conftest import Demo
from tests.oversight import dashboard_scenario
from tests.rectification.conftest import sample_ledger
from tests.responsibility.conftest import sample


@pytest.fixture(scope="module")
def _dashboard_scenario(django_db_setup, django_db_blocker):
    sample("responsibility_list_2022.xlsx")  # skip before opening the transaction
    sample_ledger()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        dashboard_scenario.build()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_dashboard_scenario, db):
    """The demo agency with the sample list, the sample ledger and the 2022 reports of the scenario."""
    return Demo()
