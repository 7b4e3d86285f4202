"""What administrators do to accounts: one function per action, recorded by the audit log."""
from auditlog.context import auditlog_value, set_actor
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.events import notify

from .models import RoleGrant


@transaction.atomic
def role_grant(*, actor, user, role) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, granted_by=actor)
    grant.full_clean()
    grant.save()
    return grant


def _save_as(actor, obj):
    """Save with `actor` on the audit entry, from a request or a command alike. auditlog's context does not nest
    (leaving it would blank the request's own), so the request's context is put back afterwards."""
    try:
        previous = auditlog_value.get()
    except LookupError:
        previous = None
    try:
        with set_actor(actor, remote_addr=(previous or {}).get("remote_addr")):
            obj.save()
    finally:
        if previous is not None:
            auditlog_value.set(previous)


@transaction.atomic
def user_password_reset(*, actor, user, password: str):
    """A password set by the system administrator for someone else.

    It cannot become a quiet way into a business account: the user must change it at the next login (so the
    administrator's password stops working the moment it is used), the audit log records the change with the
    administrator as actor, and the user is told in the notification centre."""
    user.set_password(password)
    user.must_change_password = True
    _save_as(actor, user)
    when = timezone.localtime(user.password_changed_at)
    notify(subject=user, key=f"password-reset:{when:%Y%m%d%H%M%S%f}", recipients=[user], actor=actor,
           title=_("您的登录密码已由%(actor)s重置") % {"actor": actor},
           body=_("%(actor)s于%(time)s重置了您的登录密码，下次登录后须先修改密码。如非本人申请，请联系安全管理员。")
           % {"actor": actor, "time": f"{when:%Y-%m-%d %H:%M}"},
           link=reverse("password_change"))
    return user
