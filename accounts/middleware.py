"""Language: Chinese unless the user picked English with the header switch (the browser's language is ignored);
a required password change before anything else."""
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .models import ADMIN_ROLES
from .passwords import password_change_reason


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class PasswordChangeRequiredMiddleware:
    """Until a required password change is made, every page leads to the change-password page.

    Logging out, the change page itself, language switching, static files and the health check stay open."""

    OPEN_NAMES = ("password_change", "password_change_done", "logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def _is_open(self, path: str) -> bool:
        if path.startswith(f"/{settings.STATIC_URL.lstrip('/')}") or path == "/favicon.ico":
            return True
        return path in {reverse(name) for name in self.OPEN_NAMES}

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not self._is_open(request.path_info) and password_change_reason(user):
            return redirect("password_change")
        return self.get_response(request)


# The business pages one reaches from the menu, the header or the home page: 三员 have nothing to do there (their
# scope is empty, so they would see empty dashboards and export buttons), so they go to the admin site instead.
# Object pages, and a landing page asked for one organisation (?org=), keep answering 404 outside the scope, as for
# everyone; the year-end page already refuses them (403).
BUSINESS_LANDINGS = {
    ("", "home"), ("", "my_responsibilities"), ("reports", "pending"), ("reports", "queue"),
    ("responsibility", "index"), ("rectification", "ledger"), ("rectification", "export"), ("orglife", "index"),
    ("orglife", "compliance"), ("orglife", "talks"), ("assessment", "index"), ("branches", "list"),
    ("accountability", "overview"), ("search", "search"), ("todo", "list"), ("notifications", "list"),
}
BUSINESS_NAMESPACES = {"dashboard"}


def is_administrator_only(user) -> bool:
    """A 系统/安全/审计管理员 (三员分立 grants them no business role alongside); superusers are break-glass."""
    return user.is_authenticated and not user.is_superuser and bool(ADMIN_ROLES & set(user.granted_roles))


class AdministratorsToAdminMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "org" in request.GET or not is_administrator_only(request.user):
            return None
        if match.namespace in BUSINESS_NAMESPACES or (match.namespace, match.url_name) in BUSINESS_LANDINGS:
            return redirect("admin:index")
        return None
