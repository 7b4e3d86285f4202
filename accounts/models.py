"""Accounts: the custom user, the roles granted to it, and the admin roles kept apart (三员分立)."""
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles granted explicitly. 书记/科室负责人/分管领导 follow from posts and 分管 (branches)."""

    STAFF = "staff", _("党务工作人员")
    INSPECTOR = "inspector", _("纪检监察人员")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITADMIN = "auditadmin", _("审计管理员")


# 三员分立: one person holds at most one of these, and none of them together with a business role.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})


class User(AbstractUser):
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    receive_email = models.BooleanField(_("接收邮件提醒"), default=True)
    # Counted from when this field arrived for accounts that existed before it (accounts/passwords.py).
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now, editable=False)
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"), default=False, editable=False,
        help_text=_("管理员设置或重置的密码，用户登录后须先修改。"))
    # Set only by seed_demo: these accounts' passwords are public, tolerated only while DEMO_MODE is on.
    is_demo_account = models.BooleanField(_("演示账号"), default=False, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or super().get_full_name()

    @cached_property
    def granted_roles(self) -> frozenset[str]:
        if not self.is_active or not self.pk:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return any(role in self.granted_roles for role in roles)

    def set_password(self, raw_password):
        # Whoever sets a password here has chosen it (an administrator's reset, and seed_demo for the public demo
        # password, set their flag again afterwards); the history row is written once the user is saved
        # (accounts.passwords.PasswordHistoryValidator). A rehash at login saves the password field only.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False
        self.is_demo_account = False


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that none of the last PASSWORD_HISTORY is chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history",
                             verbose_name=_("用户"))
    password = models.CharField(_("密码（哈希）"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("授权人")
    )
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    @staticmethod
    def _holds_post(user_id) -> bool:
        """Linked to a serving person who holds a current post (as `Post.objects.current()` counts them)."""
        return User.objects.filter(pk=user_id, person__is_active=True, person__posts__is_active=True).exists()

    def clean(self):
        if not self.user_id or not self.role:
            return
        others = set(RoleGrant.objects.filter(user_id=self.user_id).exclude(pk=self.pk).values_list("role", flat=True))
        if self.role in ADMIN_ROLES and others:
            raise ValidationError(
                _("三员分立：%(role)s 不能与该用户已有的其他角色同时授予。") % {"role": self.get_role_display()}
            )
        if others & ADMIN_ROLES:
            raise ValidationError(_("三员分立：该用户已是管理员，不能再授予其他角色。"))
        if self.role in ADMIN_ROLES and RoleGrant._holds_post(self.user_id):
            raise ValidationError(_("三员分立：管理员应使用专用账号，该账号已关联在职人员。"))
        if self.granted_by_id and self.granted_by_id == self.user_id:
            raise ValidationError(_("不能给自己授予角色。"))
