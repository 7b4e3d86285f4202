"""The home page, the login and change-password pages, and the health check."""
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import ADMIN_ROLES, Role
from accounts.passwords import password_change_reason, password_expires_at, reason_text
from branches.scope import scope_for
from branches.selectors import home_summary
from common.todo import todos_for
from ops.health import health_report


def home(request):
    if request.user.granted_roles & ADMIN_ROLES:
        # 三员 have no business to do: their home is their part of the admin site (business URLs show them nothing).
        return redirect("admin:index")
    today = timezone.localdate()
    groups = todos_for(request.user, today)
    return render(request, "home.html", {
        "groups": groups,
        "todo_count": sum(len(g.items) for g in groups),
        "summary": home_summary(user=request.user, today=today),
        "scope": scope_for(request.user),
        "today": today,
    })


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """ok/error for anyone (load balancers, monitoring); the checks themselves only for staff and administrators."""
    healthy, details = health_report()
    body = {"status": "ok" if healthy else "error"}
    user = request.user
    if user.is_authenticated and (user.is_superuser or user.is_staff or user.has_role(Role.SYSADMIN)):
        body.update(details)
    return JsonResponse(body, status=200 if healthy else 503)


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Read per request: the demo banner follows DEMO_MODE, not the value at import time.
        return super().get_context_data(**kwargs) | {"demo_mode": settings.DEMO_MODE}


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, telling the user why a change is required and what the policy asks for."""

    def get_context_data(self, **kwargs):
        user = self.request.user
        reason = password_change_reason(user)
        return super().get_context_data(**kwargs) | {
            "reason": reason_text(reason) if reason else "",
            "expires_at": password_expires_at(user),
        }
