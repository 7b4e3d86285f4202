"""A user's scope is read from the part of the tree the user reaches: the same queries and the same answer
whether the agency has a few organisations or a few hundred more."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Organisation, OrgKind
from branches.scope import scope_for
from tests.factories import OrganisationFactory, PostFactory, SupervisionFactory

pytestmark = pytest.mark.django_db


def agency():
    """A general branch with two branches; one covers a department (with a section under it) that has a
    retired sub-unit; a 分管 leader supervises another department covered by the second branch."""
    general = OrganisationFactory(name="总支", kind=OrgKind.GENERAL_BRANCH)
    first = OrganisationFactory(name="一支部", parent=general)
    second = OrganisationFactory(name="二支部", parent=general)
    department = OrganisationFactory(name="办公室", kind=OrgKind.DEPARTMENT)
    section = OrganisationFactory(name="文秘组", kind=OrgKind.DEPARTMENT, parent=department)
    OrganisationFactory(name="撤销组", kind=OrgKind.DEPARTMENT, parent=department, is_active=False)
    supervised = OrganisationFactory(name="财务科", kind=OrgKind.DEPARTMENT)
    first.covers.add(department)
    second.covers.add(supervised)
    secretary = PostFactory(organisation=general).person.user
    leader = SupervisionFactory(organisation=supervised).leader.user
    return secretary, leader, {o.name: o.pk for o in (general, first, second, department, section, supervised)}


def grow(by):
    Organisation.objects.bulk_create([Organisation(name=f"其他支部{i}", kind=OrgKind.BRANCH, sort_order=1000 + i)
                                      for i in range(by)])
    others = list(Organisation.objects.filter(name__startswith="其他支部"))
    Organisation.objects.bulk_create([Organisation(name=f"其他科室{i}", kind=OrgKind.DEPARTMENT, parent=org)
                                      for i, org in enumerate(others)])


def measured(user):
    user = type(user).objects.get(pk=user.pk)  # a fresh request's user
    with CaptureQueriesContext(connection) as ctx:
        scope = scope_for(user)
    return scope, len(ctx.captured_queries)


def test_secretary_and_leader_scopes_cost_the_same_in_a_larger_agency():
    secretary, leader, ids = agency()
    small = [measured(secretary), measured(leader)]
    grow(300)
    large = [measured(secretary), measured(leader)]
    assert [queries for _scope, queries in small] == [queries for _scope, queries in large]
    assert [scope for scope, _queries in small] == [scope for scope, _queries in large]

    (secretary_scope, _), (leader_scope, _) = large
    assert secretary_scope.org_ids == {ids[name] for name in ("总支", "一支部", "二支部", "办公室", "文秘组", "财务科")}
    assert secretary_scope.led_org_ids == {ids["总支"]}
    assert leader_scope.supervised_reach_ids == {ids["财务科"], ids["二支部"]}
    assert leader_scope.org_ids == {ids["财务科"], ids["二支部"]}
