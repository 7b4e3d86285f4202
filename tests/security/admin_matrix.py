"""The permission matrix of the admin site: for every registered model, which roles view, add, change and delete it
(三员分立: each administrator only their own part; business roles without a model permission never get in)."""
from __future__ import annotations

from .rules import ANON, INSPECTORS, ROLES, STAFF

AUDIT, SEC, SYS = frozenset({"auditadmin"}), frozenset({"secadmin"}), frozenset({"sysadmin"})
READ = STAFF | INSPECTORS
# Every business role must be turned away at the admin's login page, the administrators get their own part. What the
# admin allows follows from the granted roles alone (accounts.permissions), so it runs for one user of each set of
# granted roles: sunli holds what wumin holds, liuyang what chengang holds (checked by the test).
ADMIN_STAND_INS = {"sunli": "wumin", "liuyang": "chengang"}
ADMIN_ROLES = tuple(role for role in ROLES if role not in ADMIN_STAND_INS)
ADMIN_USERS = STAFF | INSPECTORS | AUDIT | SEC | SYS  # roles with a model permission


def crud(view=frozenset(), add=frozenset(), change=frozenset(), delete=frozenset()) -> dict:
    return {"view": frozenset(view), "add": frozenset(add), "change": frozenset(change), "delete": frozenset(delete)}


def maintained_by_staff() -> dict:
    return crud(view=STAFF | INSPECTORS, add=STAFF, change=STAFF, delete=STAFF)


def read_only(readers) -> dict:
    return crud(view=readers)


ADMIN_MODELS: dict[str, dict] = {
    "auth.group": crud(),  # roles are granted, not groups: nobody but an emergency superuser
    "auditlog.logentry": read_only(AUDIT),
    "axes.accessattempt": crud(view=AUDIT | SEC, delete=SEC),  # 安全管理员 unlocks a locked-out login
    "axes.accesslog": read_only(AUDIT),
    "axes.accessfailurelog": read_only(AUDIT),
    "accounts.user": crud(view=SYS | SEC, add=SYS, change=SYS),
    "accounts.rolegrant": crud(view=SEC, add=SEC, delete=SEC),  # given or withdrawn, never edited
    "admin.logentry": read_only(AUDIT),
    "branches.organisation": maintained_by_staff(),
    "branches.person": maintained_by_staff(),  # not the system administrator: no person register for them
    "branches.post": maintained_by_staff(),
    "branches.supervision": maintained_by_staff(),
    "branches.committeeterm": maintained_by_staff(),
    "orglife.recordtype": maintained_by_staff(),  # (a type in use cannot be deleted; the newest demo type is unused)
    "orglife.requirementoverride": maintained_by_staff(),
    # Records, lists, measures and evidence change through the site's workflows; the admin reads them.
    "orglife.record": read_only(READ),
    "orglife.recordevent": read_only(READ),
    "responsibility.responsibilitylist": read_only(READ),
    "responsibility.item": crud(view=READ, add=STAFF),
    "responsibility.assignment": crud(view=READ, change=STAFF),
    "rectification.batch": crud(view=READ, add=STAFF, change=STAFF),
    "rectification.problem": crud(view=READ, add=STAFF, change=STAFF),
    "rectification.measure": crud(view=READ, add=STAFF),
    "rectification.measureevent": read_only(READ),
    "rectification.evidence": crud(view=READ, change=STAFF),
    "reports.monthlyreport": read_only(READ),
    "reports.reportevent": read_only(READ),
    "reports.evidence": read_only(READ),
    "notifications.remindersettings": crud(view=STAFF, change=STAFF),  # one row of settings, edited in place
    "notifications.webhook": crud(view=STAFF, add=STAFF, change=STAFF, delete=STAFF),
    "notifications.reminder": read_only(STAFF),
    "assessment.scheme": crud(view=READ, add=STAFF, change=STAFF),
    "assessment.result": read_only(READ),
    "assessment.score": read_only(READ),
    "assessment.objection": read_only(READ),
    "accountability.instruction": read_only(READ),
    "accountability.talkrecord": read_only(READ),
    "accountability.spotcheck": read_only(READ),
    "accountability.accesslog": read_only(AUDIT),
}

# The row whose pages are opened: the newest, or the newest matching these filters.
ADMIN_ROWS = {
    # A business user's account: the system administrator may not change another administrator's (三员分立).
    "accounts.user": {"role_grants__isnull": True},
}

# The admin's own pages and the extra pages some models add: who gets in (admin users outside it get 403).
ANY_ADMIN = ADMIN_USERS
ADMIN_PAGES: dict[str, tuple[frozenset, str]] = {
    # name: (who gets `ok`, what other administrators get)
    "admin:index": (ANY_ADMIN, "403"),
    "admin:jsi18n": (ANY_ADMIN, "403"),
    "admin:autocomplete": (frozenset(), "403"),  # without its query it names no field anyone may search
    "admin:view_on_site": (frozenset(), "404"),  # no model here has a page of its own on the site
    "admin:app_list": (READ, "404"),  # the branches app
    "admin/(?P<url>.*)$": (frozenset(), "404"),
    "admin:branches_organisation_import": (STAFF, "403"),
    "admin:branches_organisation_process_import": (frozenset(), "405"),  # POST only
    "admin:branches_organisation_export": (READ, "403"),
    "admin:branches_post_import": (STAFF, "403"),
    "admin:branches_post_process_import": (frozenset(), "405"),
    "admin:branches_post_export": (READ, "403"),
    "admin:responsibility_item_import": (STAFF, "403"),
    "admin:responsibility_item_process_import": (frozenset(), "405"),
    "admin:responsibility_item_export": (READ, "403"),
    "admin:auth_user_password_change": (SYS, "403"),
    "admin:password_change": (ANY_ADMIN, "403"),
    "admin:password_change_done": (ANY_ADMIN, "403"),
}
# Open to anyone: the admin's login page (a signed-in administrator is sent on to the index), and its logout (POST),
# which ends the session and sends everyone to the login page (a business user by way of the admin index).
ADMIN_PUBLIC = {"admin:login": "get", "admin:logout": "post"}


def admin_public_expect(name: str, role: str) -> str:
    if name == "admin:login":
        return "admin" if role in ADMIN_USERS else "ok"
    return "login" if role == ANON or role in ADMIN_USERS else "admin"


MODEL_ACTIONS = ("changelist", "add", "change", "delete", "history")


def admin_expect(role: str, allowed: bool, denied: str = "403") -> str:
    if role == ANON or role not in ADMIN_USERS:
        return "login"  # the admin sends business roles to its login page, which says they may not enter
    return "ok" if allowed else denied


def model_allows(perms: dict, action: str, method: str, role: str) -> bool:
    can = {name: role in roles for name, roles in perms.items()}
    if action in ("changelist", "history", "redirect"):
        return can["view"] or can["change"] or action == "redirect"
    if action == "change":
        return can["change"] if method == "post" else (can["view"] or can["change"])
    return can[action]
