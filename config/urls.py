"""URL routes for the whole site."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from accounts import views as account_views
from notifications import calendar_views
from reports import views as report_views

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True))),
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("orgs/", include("branches.urls")),
    path("orglife/", include("orglife.urls")),
    path("lists/", include("responsibility.urls")),
    path("my/", report_views.my_responsibilities, name="my_responsibilities"),
    path("reports/year-end/", include("yearend.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("oversight.urls")),
    path("rectification/", include("rectification.urls")),
    path("notifications/", include("notifications.urls")),
    path("assessment/", include("assessment.urls")),
    path("todo/", include("notifications.todo_urls")),
    path("search/", include("search.urls")),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("accountability/", include("accountability.urls")),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
