"""Navigation by role for the base layout."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from branches.scope import scope_for
from reports.services import reviews_reports

from .passwords import password_change_reason
from .middleware import is_administrator_only
from .permissions import can_use_admin


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if password_change_reason(user):
        return {"nav_items": [], "nav_current": ""}  # every link would lead back to the change-password page
    if is_administrator_only(user):  # 三员: the admin site is their whole application
        return {"nav_items": [(_("管理后台"), reverse("admin:index"), "admin")], "nav_current": "",
                "administrator_only": True}
    items = [(_("首页"), reverse("home"), "home")]
    scope = scope_for(user)
    if scope.led_org_ids:
        items.append((_("本月待报"), reverse("reports:pending"), "reports:pending"))
    if scope.led_org_ids or scope.supervised_org_ids:
        items.append((_("我的责任"), reverse("my_responsibilities"), "my_responsibilities"))
    if reviews_reports(user):
        items.append((_("审核队列"), reverse("reports:queue"), "reports:queue"))
    if scope.sees_all or scope.org_ids:
        items.append((_("监督看板"), reverse("dashboard:overview"), "dashboard"))
        items.append((_("年度台账"), reverse("yearend:index"), "yearend"))
        items.append((_("责任清单"), reverse("responsibility:index"), "responsibility"))
        items.append((_("整改台账"), reverse("rectification:ledger"), "rectification"))
        items.append((_("组织生活"), reverse("orglife:index"), "orglife"))
        items.append((_("年度考核"), reverse("assessment:index"), "assessment"))
        items.append((_("组织机构"), reverse("branches:list"), "branches"))
        items.append((_("督办问责"), reverse("accountability:overview"), "accountability"))
    if can_use_admin(user):
        items.append((_("管理后台"), reverse("admin:index"), "admin"))
    match = request.resolver_match
    current = ""
    if match:
        current = f"{match.namespace}:{match.url_name}" if match.namespace == "reports" else (
            match.namespace or match.url_name)
    return {"nav_items": items, "nav_current": current}
