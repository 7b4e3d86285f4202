"""What users read about responsibility lists, always through their scope."""
from django.db.models import Count, Prefetch
from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches.models import Organisation, Person
from branches.scope import scope_for

from .models import Assignment, Item, ItemUnit, ListStatus, ResponsibilityList


def list_index(*, user, year: int | None = None):
    lists = ResponsibilityList.objects.visible_to(user)
    years = sorted(set(lists.values_list("year", flat=True)), reverse=True)
    if year:
        lists = lists.filter(year=year)
    rows = (ResponsibilityList.objects.filter(pk__in=lists.values("pk"))
            .annotate(item_count=Count("items", distinct=True))
            .select_related("owner_organisation", "owner_person", "published_by"))
    return years, list(rows)


def list_get(*, user, pk) -> ResponsibilityList:
    try:
        return ResponsibilityList.objects.visible_to(user).select_related(
            "owner_organisation", "owner_person", "previous", "created_by", "published_by").get(pk=pk)
    except (ResponsibilityList.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _items(user):
    return (Item.objects.visible_to(user)
            .select_related("lead_leader", "person", "department_head", "responsibility_list")
            .prefetch_related(Prefetch("units", queryset=ItemUnit.objects.select_related("organisation"))))


def list_items(*, user, rlist, organisation=None, category=None, frequency=None, leader=None) -> list[Item]:
    items = _items(user).filter(responsibility_list=rlist)
    if organisation:
        items = items.filter(units__organisation=organisation)
    if category:
        items = items.filter(category=category)
    if frequency:
        items = items.filter(frequency=frequency)
    if leader:
        items = items.filter(lead_leader=leader)
    return list(items.order_by("position").distinct())


def list_filter_choices(*, user, rlist):
    """Organisations, categories and leaders that occur in the part of the list the user may see."""
    items = Item.objects.visible_to(user).filter(responsibility_list=rlist)
    categories = list(dict.fromkeys(items.order_by("position").values_list("category", flat=True)))
    orgs = Organisation.objects.filter(pk__in=ItemUnit.objects.filter(item__in=items).values("organisation"))
    orgs = scope_for(user).filter_organisations(orgs).order_by("sort_order")
    leaders = Person.objects.filter(pk__in=items.values("lead_leader")).order_by("name")
    return list(orgs), [c for c in categories if c], list(leaders)


def item_get(*, user, pk) -> Item:
    """One item the user may read, with `visible_assignments`: the organisations it is assigned to that they see."""
    try:
        item = _items(user).prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.visible_to(user).select_related("organisation", "person"),
                     to_attr="visible_assignments")
        ).get(pk=pk)
    except (Item.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return item


def list_get_whole(*, user, pk) -> ResponsibilityList:
    """A list with every organisation's items (its export): only for those who see the whole agency."""
    rlist = list_get(user=user, pk=pk)
    if not scope_for(user).sees_all:
        raise PermissionDenied
    return rlist


def my_assignments(*, user):
    """Live assignments of the organisations the user runs (书记 / 科室负责人), by organisation."""
    scope = scope_for(user)
    return list(
        Assignment.objects.live().filter(organisation__in=scope.led_org_ids)
        .select_related("organisation", "item", "item__responsibility_list", "item__lead_leader", "person")
        .order_by("organisation__sort_order", "item__responsibility_list__year", "item__position")
    )


def led_items(*, user):
    """一岗双责: published items the user leads as 牵头领导."""
    return list(
        Item.objects.filter(lead_leader__user=user, responsibility_list__status=ListStatus.PUBLISHED)
        .select_related("responsibility_list").prefetch_related(
            Prefetch("units", queryset=ItemUnit.objects.select_related("organisation")))
        .order_by("-responsibility_list__year", "responsibility_list", "position")
    )


def supervised_assignments(*, user):
    """Live assignments of the units a leader supervises and the branches covering them."""
    scope = scope_for(user)
    if not scope.supervised_reach_ids:
        return []
    return list(
        Assignment.objects.live().filter(organisation__in=scope.supervised_reach_ids)
        .select_related("organisation", "item", "item__responsibility_list")
        .order_by("organisation__sort_order", "item__position")
    )
