"""Compiled statements (common.statements): built once per key, run again on today's data, values as the ORM gives."""
import datetime

import pytest
from django.db.models import Count, Q

from branches.models import CommitteeTerm, Organisation, OrgKind, Post, PostKind
from branches.scope import scope_for
from accountability.permissions import is_party_secretary
from common import statements
from tests.factories import CommitteeTermFactory, OrganisationFactory, PersonFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_kept_statements():
    statements.forget()
    yield
    statements.forget()


def branches_counted(kind):
    built = []

    def run():
        built.append(kind)
        return Organisation.objects.filter(kind=kind).aggregate(n=Count("pk"), active=Count("pk", filter=Q(
            is_active=True)))
    return run, built


def test_an_aggregate_is_built_once_and_reads_the_data_as_it_is_now(django_assert_num_queries):
    OrganisationFactory.create_batch(2)
    run, built = branches_counted(OrgKind.BRANCH)
    with django_assert_num_queries(1):
        assert statements.aggregate(("branches", OrgKind.BRANCH), run) == {"n": 2, "active": 2}
    OrganisationFactory(is_active=False)
    with django_assert_num_queries(1):
        assert statements.aggregate(("branches", OrgKind.BRANCH), run) == {"n": 3, "active": 2}
    assert built == [OrgKind.BRANCH]  # the second time the ORM built nothing


def test_each_key_has_its_own_statement():
    OrganisationFactory.create_batch(2)
    OrganisationFactory(kind=OrgKind.DEPARTMENT)
    branch_run, _ = branches_counted(OrgKind.BRANCH)
    department_run, _ = branches_counted(OrgKind.DEPARTMENT)
    assert statements.aggregate(("branches", OrgKind.BRANCH), branch_run)["n"] == 2
    assert statements.aggregate(("branches", OrgKind.DEPARTMENT), department_run)["n"] == 1
    assert statements.aggregate(("branches", OrgKind.BRANCH), branch_run)["n"] == 2


def test_rows_come_back_as_the_orm_gives_them(django_assert_num_queries):
    term = CommitteeTermFactory(elected_on=datetime.date(2024, 6, 1))
    built = []

    def build():
        built.append(1)
        return CommitteeTerm.objects.filter(pk=term.pk).values_list("organisation__name", "elected_on", "expires_on")

    expected = list(build())
    first = statements.rows(("terms", term.pk), build)
    with django_assert_num_queries(1):
        again = statements.rows(("terms", term.pk), build)
    assert first == again == [tuple(row) for row in expected]
    assert isinstance(again[0][1], datetime.date)  # a date, on SQLite too (the ORM's converters applied)
    assert len(built) == 2  # the reference read above, then once for the key


def test_a_query_the_orm_answers_without_the_database_is_not_kept(django_assert_num_queries):
    built = []

    def build():
        built.append(1)
        return Organisation.objects.filter(pk__in=[]).values_list("pk")

    with django_assert_num_queries(0):
        assert statements.rows(("none",), build) == []
        assert statements.rows(("none",), build) == []
    assert len(built) == 2


def test_a_builder_running_more_than_one_query_is_run_again_each_time():
    OrganisationFactory()
    calls = []

    def run():
        calls.append(1)
        Organisation.objects.count()
        return Organisation.objects.aggregate(n=Count("pk"))

    assert statements.aggregate(("two",), run) == {"n": 1}
    assert statements.aggregate(("two",), run) == {"n": 1}
    assert len(calls) == 2


def test_the_number_of_statements_kept_is_bounded(monkeypatch):
    monkeypatch.setattr(statements, "MAX_STATEMENTS", 3)
    OrganisationFactory()
    for n in range(5):
        statements.rows(("bounded", n), lambda: Organisation.objects.values_list("pk"))
    assert len(statements._statements) == 3


def test_a_users_scope_follows_a_new_post_after_its_statement_is_kept(django_user_model):
    person = PersonFactory()
    branch, other = OrganisationFactory(), OrganisationFactory()
    PostFactory(person=person, organisation=branch)
    user = django_user_model.objects.get(pk=person.user_id)
    assert scope_for(user).org_ids == {branch.pk}
    PostFactory(person=person, organisation=other, kind=PostKind.MEMBER)
    user = django_user_model.objects.get(pk=person.user_id)  # the next request's user
    assert scope_for(user).org_ids == {branch.pk, other.pk}


def test_the_party_secretary_is_read_from_the_scope(django_user_model):
    top = OrganisationFactory(kind=OrgKind.PARTY_GROUP, parent=None)
    branch = OrganisationFactory(parent=top)
    secretary, branch_secretary = PersonFactory(), PersonFactory()
    PostFactory(person=secretary, organisation=top, kind=PostKind.SECRETARY)
    PostFactory(person=branch_secretary, organisation=branch, kind=PostKind.SECRETARY)
    deputy = PostFactory(organisation=top, kind=PostKind.DEPUTY_SECRETARY)
    users = {name: django_user_model.objects.get(pk=person.user_id) for name, person in
             (("secretary", secretary), ("branch", branch_secretary), ("deputy", deputy.person))}
    assert {name: is_party_secretary(user) for name, user in users.items()} == {
        "secretary": True, "branch": False, "deputy": False}
    Post.objects.filter(person=secretary).update(is_active=False)  # left office
    assert not is_party_secretary(django_user_model.objects.get(pk=secretary.user_id))
