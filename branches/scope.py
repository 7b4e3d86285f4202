"""Who sees what: the one place that decides which organisations a user may see, and in which role.

- 书记/副书记 of a party organisation: that organisation, its subtree, and the 科室/单位 it covers.
- 科室负责人/负责人 of a unit: that unit and its subtree.
- 分管领导: the units they supervise with their subtrees, and the party organisations covering those units.
- any other post: the organisation it is held in.
- 党务工作人员 and 纪检监察人员: every organisation.
- 系统/安全/审计管理员: no business data at all (三员分立); they work in the admin site.
Querysets elsewhere derive from `ScopedQuerySet` and call `visible_to(user)`, which goes through
`Scope.filter_by_organisation`, so an object outside the scope is simply not found (404); organisations themselves
are read through `visible_organisations(user)`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet, Value
from django.utils.translation import gettext_lazy as _

from accounts.models import ADMIN_ROLES, Role
from common import statements

from .models import LEADING_POSTS, UNIT_KINDS, Organisation, Post, Supervision


class DerivedRole:
    SECRETARY = "secretary"  # 书记 / 副书记 of a party organisation
    DEPARTMENT_HEAD = "department_head"  # 科室负责人 / 单位负责人
    LEADER = "leader"  # 分管领导


ROLE_LABELS = {
    DerivedRole.SECRETARY: _("书记"),
    DerivedRole.DEPARTMENT_HEAD: _("科室负责人"),
    DerivedRole.LEADER: _("分管领导"),
    **dict(Role.choices),
}


WHOLE_AGENCY_ROLES = frozenset({Role.STAFF, Role.INSPECTOR})


@dataclass(frozen=True)
class Scope:
    sees_all: bool = False
    org_ids: frozenset[int] = frozenset()
    # Organisations the user runs (reports are filled in for these).
    led_org_ids: frozenset[int] = frozenset()
    supervised_org_ids: frozenset[int] = frozenset()
    # What 分管 brings into view: supervised units, their subtrees and the party organisations covering them.
    supervised_reach_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = field(default_factory=frozenset)
    # The current posts held, in active organisations: (organisation, post kind, organisation kind, at the top of
    # the tree).
    posts: tuple[tuple[int, str, str, bool], ...] = ()

    @property
    def key(self) -> tuple:
        """What `filter_by_organisation` depends on: part of a compiled statement's key (common.statements)."""
        return (self.sees_all, None if self.sees_all else self.org_ids)

    def can_see(self, org_id: int | None) -> bool:
        return org_id is not None and (self.sees_all or org_id in self.org_ids)

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[role] for role in ROLE_LABELS if role in self.roles]

    def filter_organisations(self, queryset: QuerySet) -> QuerySet:
        return queryset if self.sees_all else queryset.filter(pk__in=self.org_ids)

    def filter_by_organisation(self, queryset: QuerySet, field_name: str = "organisation") -> QuerySet:
        """Restrict any queryset whose rows belong to an organisation through `field_name`."""
        return queryset if self.sees_all else queryset.filter(**{f"{field_name}__in": self.org_ids})


EMPTY_SCOPE = Scope()


class ScopedQuerySet(QuerySet):
    """A queryset whose rows belong to an organisation: `visible_to(user)` keeps the rows in the user's scope.

    A model's queryset declares the path from its rows to their organisation in `scope_path`; querysets with a
    wider rule (lists, items, measures) override `visible_to` and still decide through `scope_for`."""

    scope_path = "organisation"

    def visible_to(self, user):
        return scope_for(user).filter_by_organisation(self, self.scope_path)


@dataclass(frozen=True)
class Subtree:
    """The organisations a dashboard or a year-end export covers: the user's scope, narrowed to a chosen
    organisation's subtree."""

    root: Organisation | None
    org_ids: frozenset[int] | None  # None: every organisation (whole-agency viewers with no root chosen)

    def filter(self, queryset: QuerySet, field_name: str = "organisation") -> QuerySet:
        return queryset if self.org_ids is None else queryset.filter(**{f"{field_name}__in": self.org_ids})


def subtree_for(*, user, root: Organisation | None) -> Subtree:
    """What `user` may see of root's subtree (a branch's subtree includes the 科室 it covers); root None: all
    they may see."""
    scope = scope_for(user)
    if root is None:
        return Subtree(None, None if scope.sees_all else scope.org_ids)
    ids = OrgTree.load().reach(root.pk)
    if not scope.sees_all:
        ids &= scope.org_ids
    return Subtree(root, frozenset(ids))


def subtree_of(root: Organisation | None) -> Subtree:
    """Root's whole subtree regardless of any user (management commands); root None: every organisation."""
    return Subtree(root, None if root is None else frozenset(OrgTree.load().reach(root.pk)))


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (that is, once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_scope_cache", None)
    if cached is None:
        cached = _compute_scope(user)
        user._scope_cache = cached
    return cached


def visible_organisations(user) -> QuerySet:
    """The organisations the user may see (active or not)."""
    return scope_for(user).filter_organisations(Organisation.objects.all())


def _compute_scope(user) -> Scope:
    admin_roles = frozenset(user.granted_roles & ADMIN_ROLES)
    if admin_roles and not user.is_superuser:
        return Scope(roles=admin_roles)  # 三员分立: administrators never read business data
    roles = set(user.granted_roles)
    sees_all = user.is_superuser or bool(roles & WHOLE_AGENCY_ROLES)

    # The user's posts and the units they supervise, in one query: every page of every user reads them (its
    # statement depends on the user only, so it is compiled once per user, common.statements).
    def build():
        held = Post.objects.current().filter(person__user=user, organisation__is_active=True).values_list(
            "organisation_id", "kind", "organisation__kind", "organisation__parent_id", Value(False)).order_by()
        supervising = Supervision.objects.filter(
            leader__user=user, leader__is_active=True, organisation__is_active=True).values_list(
            "organisation_id", Value(""), Value(""), "organisation__parent_id", Value(True)).order_by()
        return held.union(supervising, all=True)

    rows = statements.rows(("scope", user.pk), build)
    posts = tuple((org_id, kind, org_kind, parent_id is None)
                  for org_id, kind, org_kind, parent_id, supervision in rows if not supervision)
    supervised = {org_id for org_id, _kind, _org_kind, _parent_id, supervision in rows if supervision}
    led = {org_id for org_id, kind, _org_kind, _top in posts if kind in LEADING_POSTS}
    for _org_id, kind, org_kind, _top in posts:
        if kind in LEADING_POSTS:
            roles.add(DerivedRole.DEPARTMENT_HEAD if org_kind in UNIT_KINDS else DerivedRole.SECRETARY)
    if supervised:
        roles.add(DerivedRole.LEADER)

    reach = frozenset()
    if supervised:
        # a supervised unit's subtree and the party organisations covering the unit with theirs
        covering = _covering({*supervised})
        reach = frozenset(_Subtrees.load(supervised | covering).active)
    if sees_all:
        return Scope(True, frozenset(), frozenset(led), frozenset(supervised), reach, frozenset(roles), posts)
    if not posts and not supervised:
        return Scope(roles=frozenset(roles))

    visible = {post[0] for post in posts} | reach
    if led:
        # what a leading post runs: its subtree and the 科室/单位 anything in it covers, with their subtrees
        visible |= _Subtrees.load(led, with_covered=True).active
    return Scope(False, frozenset(visible), frozenset(led), frozenset(supervised), reach, frozenset(roles), posts)


# The scope reads only the part of the tree the user reaches (a recursive query from the user's organisations),
# so a secretary's page costs the same in an agency of 600 organisations as in one of 6,000.
_SUBTREES_SQL = """
WITH RECURSIVE own(id) AS (
    SELECT id FROM {org} WHERE id IN ({roots})
    UNION
    SELECT child.id FROM {org} child JOIN own ON child.parent_id = own.id
){covered}
SELECT DISTINCT reached.id, o.is_active FROM {reached} reached JOIN {org} o ON o.id = reached.id
"""
# the 科室/单位 that anything in the subtrees covers, with their own subtrees
_COVERED_SQL = """, covered(id) AS (
    SELECT pair.to_organisation_id FROM {covers} pair JOIN own ON pair.from_organisation_id = own.id
    UNION
    SELECT child.id FROM {org} child JOIN covered ON child.parent_id = covered.id
), reached(id) AS (SELECT id FROM own UNION SELECT id FROM covered)"""


class _Subtrees:
    """Some organisations with everything below them (and what they cover), and which of those are active."""

    def __init__(self, rows):
        self.ids = {pk for pk, _active in rows}
        self.active = {pk for pk, active in rows if active}

    @classmethod
    def load(cls, roots, with_covered: bool = False) -> _Subtrees:
        roots = sorted(roots)
        if not roots:
            return cls([])
        qn = connection.ops.quote_name
        names = {"org": qn(Organisation._meta.db_table), "covers": qn(Organisation.covers.through._meta.db_table)}
        sql = _SUBTREES_SQL.format(roots=", ".join(["%s"] * len(roots)), reached="reached" if with_covered else "own",
                                   covered=_COVERED_SQL.format(**names) if with_covered else "", **names)
        with connection.cursor() as cursor:
            cursor.execute(sql, roots)
            return cls(cursor.fetchall())


def _covering(unit_ids) -> set[int]:
    """The party organisations covering any of these units."""
    return set(Organisation.covers.through.objects.filter(to_organisation_id__in=unit_ids).values_list("from_organisation_id", flat=True))


class OrgTree:
    """The whole tree as id maps, read in two queries, for work over the whole agency (reminders, compliance)."""

    def __init__(self, rows, cover_pairs):
        self.children: dict[int, list[int]] = defaultdict(list)
        self.parent: dict[int, int | None] = {}
        self.active: set[int] = set()
        for pk, parent_id, is_active in rows:
            self.parent[pk] = parent_id
            if parent_id is not None:
                self.children[parent_id].append(pk)
            if is_active:
                self.active.add(pk)
        self.covers: dict[int, set[int]] = defaultdict(set)
        self.covered_by: dict[int, set[int]] = defaultdict(set)
        for branch, unit in cover_pairs:
            self.covers[branch].add(unit)
            self.covered_by[unit].add(branch)

    @classmethod
    def load(cls) -> OrgTree:
        rows = Organisation.objects.values_list("pk", "parent_id", "is_active")
        pairs = Organisation.covers.through.objects.values_list("from_organisation_id", "to_organisation_id")
        return cls(rows, pairs)

    def reach(self, root: int) -> set[int]:
        """An organisation's subtree and the 科室/单位 that any organisation in it covers (with their subtrees)."""
        found = self.subtree(root)
        for node in list(found):
            for unit in self.covers.get(node, ()):
                found |= self.subtree(unit)
        return found

    def subtree(self, root: int) -> set[int]:
        found, stack = set(), [root]
        while stack:
            node = stack.pop()
            if node not in found:
                found.add(node)
                stack.extend(self.children.get(node, ()))
        return found
