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

    @cached_property
    def _leaders(self) -> dict[int, list]:
        found = defaultdict(list)
        posts = (Post.objects.current().filter(kind__in=LEADING_POSTS, person__user__is_active=True)
                 .select_related("person__user").order_by("sort_order", "id"))
        for post in posts:
            if post.person.user not in found[post.organisation_id]:
                found[post.organisation_id].append(post.person.user)
        return found

    @cached_property
    def _supervisors(self) -> dict[int, list]:
        found = defaultdict(list)
        # As in branches.scope: a leader no longer in post (人员 not 在职) supervises nothing.
        supervisions = Supervision.objects.filter(leader__is_active=True, leader__user__is_active=True)
        for sup in supervisions.select_related("leader__user"):
            found[sup.organisation_id].append(sup.leader.user)
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
