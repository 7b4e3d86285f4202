"""Password policy (等保 三级): letters, digits and a symbol; none of the last PASSWORD_HISTORY passwords again;
expiry after PASSWORD_MAX_AGE_DAYS; a password an administrator set is changed at the next login.

The two validators sit in AUTH_PASSWORD_VALIDATORS beside Django's own (length, similarity to the user name,
common passwords), so every form that sets a password applies the whole policy."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Why a signed-in user is sent to the change-password page (accounts/middleware.py).
REASON_SET_BY_ADMIN = "set_by_admin"
REASON_EXPIRED = "expired"
REASON_PUBLIC_DEMO = "public_demo"
REASON_TEXT = {
    REASON_SET_BY_ADMIN: gettext_lazy("您的密码由管理员设置或重置，请先修改为只有您自己知道的密码。"),
    REASON_EXPIRED: gettext_lazy("您的密码已超过 %(days)d 天未修改，请修改后继续使用。"),
    REASON_PUBLIC_DEMO: gettext_lazy("这是演示账号，其密码是公开的；当前不是演示环境，请先修改密码。"),
}


class LengthValidator(MinimumLengthValidator):
    """Django's length rule with its message in Chinese (Django's own catalogue leaves this one in English)."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class UserNameValidator:
    """Not containing the user name or the person's name: Django's similarity check misses "lihua-2026!"."""

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.casefold()
        for value in (user.get_username(), getattr(user, "name", "")):
            if value and len(value) >= 2 and value.casefold() in lowered:
                raise ValidationError(_("密码不能包含用户名或姓名。"), code="password_contains_user_name")

    def get_help_text(self):
        return _("密码不能包含用户名或姓名。")


class CharacterClassValidator:
    """Letters, digits and at least one symbol (any character that is neither a letter nor a digit)."""

    def validate(self, password, user=None):
        missing = []
        if not any(ch.isalpha() for ch in password):
            missing.append(_("字母"))
        if not any(ch.isdigit() for ch in password):
            missing.append(_("数字"))
        if all(ch.isalnum() for ch in password):
            missing.append(_("符号"))
        if missing:
            raise ValidationError(
                _("密码须同时包含字母、数字和符号（如 - _ ! @ #），还缺少：%(missing)s。"),
                code="password_missing_character_class", params={"missing": _("、").join(missing)})

    def get_help_text(self):
        return _("密码须同时包含字母、数字和符号。")


class PasswordHistoryValidator:
    """None of the user's last PASSWORD_HISTORY passwords, compared against stored hashes only."""

    def _recent_hashes(self, user) -> list[str]:
        count = settings.PASSWORD_HISTORY
        if count <= 0:
            return []
        # The current password counts even for an account whose history began after it was set.
        hashes = [user.password] if user.password else []
        hashes += [h for h in user.password_history.values_list("password", flat=True)[:count] if h not in hashes]
        return hashes[:count]

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(_("新密码不能与最近 %(count)d 次使用过的密码相同。"),
                                  code="password_reused", params={"count": settings.PASSWORD_HISTORY})

    def password_changed(self, password, user=None):
        """Called by Django once a user with a new password is saved: keep its hash, drop the oldest."""
        from .models import PasswordHistory

        if user is None or not user.pk or not user.password:
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = list(user.password_history.values_list("pk", flat=True)[max(settings.PASSWORD_HISTORY, 1):])
        if stale:
            PasswordHistory.objects.filter(pk__in=stale).delete()

    def get_help_text(self):
        return _("不能与最近 %(count)d 次使用过的密码相同。") % {"count": settings.PASSWORD_HISTORY}


def password_expires_at(user) -> datetime.datetime | None:
    if settings.PASSWORD_MAX_AGE_DAYS <= 0 or user.password_changed_at is None:
        return None
    return user.password_changed_at + datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def password_change_reason(user) -> str | None:
    """Why `user` must change their password before doing anything else, or None."""
    if user.must_change_password:
        return REASON_SET_BY_ADMIN
    if user.is_demo_account:
        # Demo accounts keep their public password only in demo mode; outside it that password is a back door.
        return None if settings.DEMO_MODE else REASON_PUBLIC_DEMO
    expires = password_expires_at(user)
    if expires is not None and timezone.now() >= expires:
        return REASON_EXPIRED
    return None


def reason_text(reason: str) -> str:
    return str(REASON_TEXT[reason]) % {"days": settings.PASSWORD_MAX_AGE_DAYS}
