"""What users read about organisations, always through their scope."""
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404

from .models import CommitteeTerm, Organisation, Person, Post, Supervision
from .scope import scope_for, visible_organisations


def organisation_list(*, user):
    """Visible active organisations in tree order, each with its depth for indentation."""
    orgs = list(visible_organisations(user).active().only("pk", "name", "short_name", "kind", "parent_id",
                                                                      "sort_order"))
    by_parent: dict = {}
    ids = {o.pk for o in orgs}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        by_parent.setdefault(parent, []).append(org)
    ordered = []

    def walk(parent, depth):
        for org in by_parent.get(parent, []):
            org.depth = depth
            org.indent = "\u3000" * depth
            ordered.append(org)
            walk(org.pk, depth + 1)

    walk(None, 0)
    return ordered


SEARCH_LIMIT = 20


def organisation_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[Organisation]:
    """Active organisations the user may see whose name or short name contains `query`, in tree order, at most
    `limit`: what a scope picker offers while typing, so that no page lists a whole agency."""
    query = query.strip()
    if not query:
        return []
    return list(visible_organisations(user).active().filter(Q(name__icontains=query) | Q(short_name__icontains=query))
                .select_related("parent").only("pk", "name", "short_name", "parent__name")
                .order_by("sort_order", "pk")[:limit])


def organisation_get(*, user, pk) -> Organisation:
    """One organisation the user may see, or 404 whether it exists or not."""
    try:
        return (
            visible_organisations(user)
            .select_related("parent")
            .prefetch_related(
                Prefetch("posts", queryset=Post.objects.current().select_related("person")),
                Prefetch("covers", queryset=Organisation.objects.active()),
                Prefetch("covered_by", queryset=Organisation.objects.active()),
                Prefetch("supervisions", queryset=Supervision.objects.select_related("leader")),
                Prefetch("terms", queryset=CommitteeTerm.objects.order_by("-elected_on")),
            )
            .get(pk=pk)
        )
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def people_names(*, user, organisation) -> list[str]:
    """Names offered while typing people for `organisation`: the people of the organisations the user may see and
    the 分管 leaders of those organisations, never the whole agency's register."""
    scope = scope_for(user)
    people = Person.objects.filter(is_active=True)
    if not scope.sees_all:
        org_ids = scope.org_ids | {organisation.pk}
        people = people.filter(Q(posts__organisation__in=org_ids, posts__is_active=True)
                               | Q(supervisions__organisation__in=org_ids))
    return sorted(set(people.values_list("name", flat=True)))


def organisation_children(*, user, organisation):
    return list(visible_organisations(user).active().filter(parent=organisation))


@dataclass
class HomeSummary:
    posts: list
    supervised: list
    terms_due: list
    visible_count: int


def home_summary(*, user, today: datetime.date) -> HomeSummary:
    scope = scope_for(user)
    posts = list(Post.objects.current().filter(person__user=user).select_related("organisation"))
    supervised = list(
        Organisation.objects.filter(supervisions__leader__user=user).active().order_by("sort_order")
    )
    terms = scope.filter_by_organisation(
        CommitteeTerm.objects.expiring(today, within_days=180).select_related("organisation")
    ).filter(organisation__is_active=True)
    visible_count = visible_organisations(user).active().count()
    return HomeSummary(posts, supervised, list(terms), visible_count)
