"""Who receives a reminder: the people running an organisation, its 分管 leaders, staff and reviewers."""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from django.contrib.auth import get_user_model

from accounts.models import Role
from branches.models import LEADING_POSTS, Post, Supervision
from branches.scope import OrgTree


class Directory:
    """Loaded once per scan: every lookup afterwards is in memory, whatever the number of organisations."""

    @cached_property
    def tree(self) -> OrgTree:
        return OrgTree.load()

    def _users(self, ids) -> dict[int, object]:
        return {user.pk: user for user in get_user_model().objects.filter(pk__in=set(ids))}

    @cached_property
    def _leaders(self) -> dict[int, list]:
        # Pairs of ids, then each user once: no post or person objects for thousands of posts.
        pairs = list(Post.objects.current().filter(kind__in=LEADING_POSTS, person__user__is_active=True)
                     .order_by("sort_order", "id").values_list("organisation_id", "person__user_id"))
        users = self._users(user_id for _org_id, user_id in pairs)
        found = defaultdict(list)
        for org_id, user_id in pairs:
            if users[user_id] not in found[org_id]:
                found[org_id].append(users[user_id])
        return found

    @cached_property
    def _supervisors(self) -> dict[int, list]:
        # As in branches.scope: a leader no longer in post (人员 not 在职) supervises nothing.
        pairs = list(Supervision.objects.filter(leader__is_active=True, leader__user__is_active=True)
                     .values_list("organisation_id", "leader__user_id"))
        users = self._users(user_id for _org_id, user_id in pairs)
        found = defaultdict(list)
        for org_id, user_id in pairs:
            found[org_id].append(users[user_id])
        return found

    def _with_role(self, role) -> list:
        return list(get_user_model().objects.filter(is_active=True, role_grants__role=role).order_by("pk"))

    @cached_property
    def inspectors(self) -> list:
        return self._with_role(Role.INSPECTOR)

    @cached_property
    def staff(self) -> list:
        return self._with_role(Role.STAFF)

    def leaders(self, org_id: int) -> list:
        """书记 / 负责人 of the organisation."""
        return list(self._leaders.get(org_id, []))

    def supervisors(self, org_id: int) -> list:
        """分管 leaders of the organisation, of the units it covers, or of any organisation above it."""
        found: list = []
        node = org_id
        while node is not None:
            for unit in {node} | self.tree.covers.get(node, set()):
                for user in self._supervisors.get(unit, []):
                    if user not in found:
                        found.append(user)
            node = self.tree.parent.get(node)
        return found

    def party_heads(self, org_id: int) -> list:
        """The secretaries of the party organisations covering a unit (for a 科室: its branch's 书记)."""
        found: list = []
        for branch in self.tree.covered_by.get(org_id, set()):
            for user in self.leaders(branch):
                if user not in found:
                    found.append(user)
        return found
