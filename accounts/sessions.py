"""Session limits: a session ends after SESSION_IDLE_MINUTES without a request (sliding) and SESSION_ABSOLUTE_HOURS
after login whatever the activity; the user lands on the login page told why.

Django's own expiry would simply forget the session, leaving nothing to say why the user is at the login page, so
the cookie lives as long as the absolute limit and the two times are checked here."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

LOGIN_AT = "_zl_login_at"
SEEN_AT = "_zl_seen_at"
# Activity is written back at most this often, so that not every page view rewrites the session row.
SEEN_RESOLUTION_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="accounts.sessions.mark_login")
def mark_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


def session_end_reason(session, now: float) -> str | None:
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT, login_at)
    if login_at is not None and now - login_at >= settings.SESSION_ABSOLUTE_HOURS * 3600:
        return _("登录已超过 %(hours)d 小时，为保护账号安全已自动退出，请重新登录。") % {
            "hours": settings.SESSION_ABSOLUTE_HOURS}
    if seen_at is not None and now - seen_at >= settings.SESSION_IDLE_MINUTES * 60:
        return _("您已 %(minutes)d 分钟未操作，为保护账号安全已自动退出，请重新登录。") % {
            "minutes": settings.SESSION_IDLE_MINUTES}
    return None


class SessionTimeoutMiddleware:
    """Ends an idle or too old session; LoginRequiredMiddleware then sends the visitor to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session, now = request.session, time.time()
            reason = session_end_reason(session, now)
            if reason:
                logout(request)
                messages.warning(request, reason)
            else:
                if LOGIN_AT not in session:  # a session from before these limits: count from now
                    session[LOGIN_AT] = now
                if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION_SECONDS:
                    session[SEEN_AT] = now
        return self.get_response(request)
