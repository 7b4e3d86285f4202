"""Model permissions that follow from granted roles, so each administrator can do only their own part."""
from django.contrib.auth.backends import BaseBackend

from .models import Role


def _crud(app_model: str, *actions: str) -> set[str]:
    app, model = app_model.split(".")
    return {f"{app}.{action}_{model}" for action in actions}


ALL = ("add", "change", "delete", "view")
BRANCH_MODELS = ("branches.organisation", "branches.person", "branches.post", "branches.supervision",
                 "branches.committeeterm")
NOTIFICATION_MODELS = ("notifications.remindersettings", "notifications.webhook")
REPORT_MODELS = ("reports.monthlyreport", "reports.reportevent", "reports.evidence")
LIST_MODELS = ("responsibility.responsibilitylist", "responsibility.item", "responsibility.itemunit",
               "responsibility.assignment")
ORGLIFE_MODELS = ("orglife.recordtype", "orglife.requirementoverride", "orglife.record", "orglife.attachment",
                  "orglife.recordevent")
RECTIFICATION_MODELS = ("rectification.batch", "rectification.problem", "rectification.measure",
                        "rectification.measureunit", "rectification.measureevent", "rectification.evidence")
ASSESSMENT_MODELS = ("assessment.scheme", "assessment.indicator", "assessment.vote")
ASSESSMENT_READ = ("assessment.result", "assessment.score", "assessment.scorechange", "assessment.objection")
ACCOUNTABILITY_MODELS = ("accountability.instruction", "accountability.talkrecord", "accountability.spotcheck")

ROLE_PERMISSIONS: dict[str, set[str]] = {
    # 党建办 / 机关党委: the organisation tree, people, posts, 分管, terms and the responsibility lists.
    # The rectification ledger too (its timeline rows stay read-only in the admin whatever the permission).
    Role.STAFF: set().union(*(_crud(m, *ALL) for m in BRANCH_MODELS + LIST_MODELS + NOTIFICATION_MODELS
                              + RECTIFICATION_MODELS + ORGLIFE_MODELS + ASSESSMENT_MODELS),
                            *(_crud(m, "view") for m in REPORT_MODELS + ASSESSMENT_READ + ACCOUNTABILITY_MODELS
                              + ("notifications.reminder",))),
    # 纪检: read everything in the business data.
    Role.INSPECTOR: set().union(*(_crud(m, "view") for m in BRANCH_MODELS + LIST_MODELS + REPORT_MODELS
                                  + RECTIFICATION_MODELS + ORGLIFE_MODELS + ASSESSMENT_MODELS
                                  + ASSESSMENT_READ + ACCOUNTABILITY_MODELS)),
    # 系统管理员: accounts (not roles, not the audit log, not the person register or any business data).
    Role.SYSADMIN: _crud("accounts.user", "add", "change", "view"),
    # 安全管理员: who holds which role, and unlocking locked-out logins.
    Role.SECADMIN: _crud("accounts.user", "view") | _crud("accounts.rolegrant", "add", "delete", "view")
    | _crud("axes.accessattempt", "view", "delete"),
    # 审计管理员: reads the audit trail, changes nothing.
    Role.AUDITADMIN: _crud("auditlog.logentry", "view") | _crud("accountability.accesslog", "view")
    | _crud("admin.logentry", "view") | _crud("axes.accesslog", "view")
    | _crud("axes.accessattempt", "view") | _crud("axes.accessfailurelog", "view"),
}


def permissions_for_roles(roles) -> set[str]:
    return set().union(*(ROLE_PERMISSIONS.get(role, set()) for role in roles))


class RolePermissionBackend(BaseBackend):
    """Grants model permissions from RoleGrant rows; authenticates nobody."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return permissions_for_roles(user_obj.granted_roles)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))


def can_use_admin(user) -> bool:
    return user.is_active and (user.is_superuser or bool(permissions_for_roles(user.granted_roles)))
