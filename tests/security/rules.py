"""What the permission matrix expects: roles, and rules naming the answer each role gets (see README.md)."""
from __future__ import annotations

from dataclasses import dataclass

ANON = "anonymous"
SECRETARIES = frozenset({"zhengwei", "tangliang"})  # 书记 of a branch, covering their departments
LEADER = frozenset({"liming"})  # 党组成员、分管领导
PARTY_SECRETARY = frozenset({"zhangjianguo"})  # 党组书记
STAFF = frozenset({"wumin", "sunli"})  # 党务工作人员
INSPECTORS = frozenset({"chengang", "liuyang", "zhoutao"})  # 纪检监察人员
ADMINS = frozenset({"sysadmin", "secadmin", "auditadmin"})  # 三员: no business data
BUSINESS = SECRETARIES | LEADER | PARTY_SECRETARY | STAFF | INSPECTORS
USERS = BUSINESS | ADMINS
NOBODY = frozenset()
# The roles the matrix runs for: every demo user but zhoutao, who holds what chengang holds (纪检 and 书记 of a
# discipline body) and sees the whole agency as he does (tests/security/test_permission_matrix.py checks it).
ROLES = (ANON, "zhengwei", "tangliang", "liming", "zhangjianguo", "wumin", "sunli", "chengang", "liuyang", "sysadmin",
         "secadmin", "auditadmin")
STAND_INS = {"zhoutao": "chengang"}


@dataclass(frozen=True)
class Rule:
    """The answer a role gets from one URL and method.

    `who` get `granted` (ok: 200, or a redirect that is not to a login page or the admin index; or a status such as 400
    for an empty form);
    other signed-in roles get `denied`; an object outside the role's scope gets `out` (always 404 for a scoped URL);
    anonymous users get `anon`. Only `writers` (default: `who`) may change data; everyone else must change nothing."""

    who: frozenset = USERS
    granted: str = "ok"
    denied: str = "403"
    out: str = "404"
    anon: str = "login"
    writers: frozenset | None = None
    admins: str | None = None  # what the 三员 get instead, if not `denied` (sent to the admin site: "admin")

    def expect(self, role: str, place: str) -> str:
        if role == ANON:
            return self.anon
        if place == "out":
            return self.out
        if role in ADMINS and self.admins:
            return self.admins
        return self.granted if role in self.who else self.denied

    def may_write(self, role: str) -> bool:
        return role in (self.who if self.writers is None else self.writers)


def page(who=USERS, denied="403", **kwargs) -> Rule:
    """A page signed-in users open; objects outside their scope are 404."""
    return Rule(who=frozenset(who), denied=denied, **kwargs)


PUBLIC = Rule(who=USERS, anon="ok", out="ok")
# A view that takes POST only: GET is refused before anything is read.
POST_ONLY = Rule(who=NOBODY, denied="405", out="405")
# A view that takes GET only.
GET_ONLY = Rule(who=NOBODY, denied="405", out="405")
