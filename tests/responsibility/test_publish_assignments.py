"""Publishing makes one assignment per responsible unit, with the item's 责任人 or the person who runs the unit,
in a number of queries that does not grow with the units."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import OrgKind, PostKind
from responsibility.models import Assignment, Item, ItemUnit, ResponsibilityList
from responsibility.services import responsibility_list_publish
from tests.factories import OrganisationFactory, PersonFactory, PostFactory, RoleGrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return RoleGrantFactory(role="staff").user


def draft_list(staff, units, named_person=None):
    rlist = ResponsibilityList.objects.create(year=2025, title="测试清单", created_by=staff)
    for position in (1, 2):
        item = Item.objects.create(responsibility_list=rlist, position=position, content=f"事项{position}",
                                   frequency="monthly", person=named_person if position == 2 else None)
        ItemUnit.objects.bulk_create([ItemUnit(item=item, organisation=org, is_lead=i == 0, position=i)
                                      for i, org in enumerate(units)])
    return rlist


def test_each_unit_gets_the_person_who_runs_it(staff):
    branch, department, deputy_only, nobody = (OrganisationFactory(), OrganisationFactory(kind=OrgKind.DEPARTMENT),
                                               OrganisationFactory(), OrganisationFactory())
    secretary = PostFactory(organisation=branch, kind=PostKind.SECRETARY, sort_order=5).person
    PostFactory(organisation=branch, kind=PostKind.DEPUTY_SECRETARY, sort_order=0)
    PostFactory(organisation=nobody, kind=PostKind.MEMBER, sort_order=0)  # not a leading post
    retired = PostFactory(organisation=department, kind=PostKind.DEPARTMENT_HEAD, sort_order=0, person__is_active=False)
    head = PostFactory(organisation=department, kind=PostKind.DEPARTMENT_HEAD, sort_order=1).person
    PostFactory(organisation=department, kind=PostKind.DEPUTY_SECRETARY, sort_order=0)
    deputy = PostFactory(organisation=deputy_only, kind=PostKind.DEPUTY_SECRETARY).person
    PostFactory(organisation=nobody, kind=PostKind.SECRETARY, is_active=False)
    named = PersonFactory()
    rlist = draft_list(staff, [branch, department, deputy_only, nobody], named_person=named)

    responsibility_list_publish(actor=staff, rlist=rlist)

    made = {(a.item.position, a.organisation_id): (a.person_id, a.is_lead, a.is_active)
            for a in Assignment.objects.filter(item__responsibility_list=rlist).select_related("item")}
    assert made == {
        (1, branch.pk): (secretary.pk, True, True), (1, department.pk): (head.pk, False, True),
        (1, deputy_only.pk): (deputy.pk, False, True), (1, nobody.pk): (None, False, True),
        (2, branch.pk): (named.pk, True, True), (2, department.pk): (named.pk, False, True),
        (2, deputy_only.pk): (named.pk, False, True), (2, nobody.pk): (named.pk, False, True),
    }
    assert retired.person_id not in {person for person, _lead, _active in made.values()}
    assert all(a.created_at is not None for a in Assignment.objects.all())


@pytest.mark.parametrize("organisations", [10, 100])
def test_publish_queries_do_not_grow_with_the_units(staff, organisations):
    units = [PostFactory().organisation for _ in range(organisations)]
    rlist = draft_list(staff, units)
    with CaptureQueriesContext(connection) as ctx:
        responsibility_list_publish(actor=staff, rlist=rlist)
    assert Assignment.objects.filter(item__responsibility_list=rlist).count() == 2 * organisations
    assert len(ctx.captured_queries) <= 8
