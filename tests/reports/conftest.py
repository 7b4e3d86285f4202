"""Report fixtures: the demo agency with the sample 2022 list published, seeded once per module.

The seed (demo agency + import + publish, ~0.5 s) runs inside a transaction held open for the module,
the way TestCase.setUpTestData does it; each test runs in its own savepoint and is rolled back.
Transactional tests (`transaction=True`, test_submit_concurrency.py) seed for themselves, in a module of
their own: pytest-django runs them right after the others, when that transaction must be closed.
"""
import pytest
from django.db import transaction

from tests.conftest import Demo
from tests.reports.helpers import sample, seed_with_main_list


@pytest.fixture(scope="module")
def _seeded_with_main_list(django_db_setup, django_db_blocker):
    sample("responsibility_list_2022.xlsx")  # skip before opening the transaction
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        rlist = seed_with_main_list()
    yield rlist
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_seeded_with_main_list, db):
    """The demo agency (as the project-wide `demo`), with the sample list already published."""
    return Demo()


@pytest.fixture
def main_list(_seeded_with_main_list, db):
    return _seeded_with_main_list


@pytest.fixture
def media_root(settings, tmp_path):
    """Evidence files go to a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
