"""Role grants (三员分立, no self-grant), User.granted_roles, and the permissions each role carries."""
import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import ValidationError

from accounts.models import ADMIN_ROLES, Role, RoleGrant
from accounts.permissions import ROLE_PERMISSIONS, RolePermissionBackend, can_use_admin, permissions_for_roles
from accounts.services import role_grant
from tests.factories import RoleGrantFactory, UserFactory

pytestmark = pytest.mark.django_db

SELF_GRANT = "不能给自己授予角色。"
ALREADY_ADMIN = "三员分立：该用户已是管理员，不能再授予其他角色。"


def _admin_with_other_roles(role_label):
    return f"三员分立：{role_label} 不能与该用户已有的其他角色同时授予。"


def _user_with(*roles, **kwargs):
    user = UserFactory(**kwargs)
    for role in roles:
        RoleGrantFactory(user=user, role=role)
    return user


@pytest.fixture
def secadmin():
    return _user_with(Role.SECADMIN, username="secadmin")


# --- role_grant ---------------------------------------------------------------------------------


def test_role_grant_records_who_granted_it(secadmin):
    user = UserFactory()

    grant = role_grant(actor=secadmin, user=user, role=Role.STAFF)

    grant.refresh_from_db()
    assert (grant.user, grant.role, grant.granted_by) == (user, Role.STAFF, secadmin)
    assert grant.granted_at is not None


def test_role_grant_allows_two_business_roles(secadmin):
    user = _user_with(Role.STAFF)

    role_grant(actor=secadmin, user=user, role=Role.INSPECTOR)

    assert set(user.role_grants.values_list("role", flat=True)) == {Role.STAFF, Role.INSPECTOR}


@pytest.mark.parametrize(("held", "granted", "message"), [
    (Role.SYSADMIN, Role.AUDITADMIN, _admin_with_other_roles("审计管理员")),
    (Role.SYSADMIN, Role.SECADMIN, _admin_with_other_roles("安全管理员")),
    (Role.AUDITADMIN, Role.SYSADMIN, _admin_with_other_roles("系统管理员")),
    (Role.STAFF, Role.SYSADMIN, _admin_with_other_roles("系统管理员")),
    (Role.INSPECTOR, Role.AUDITADMIN, _admin_with_other_roles("审计管理员")),
    (Role.SYSADMIN, Role.STAFF, ALREADY_ADMIN),
    (Role.SECADMIN, Role.INSPECTOR, ALREADY_ADMIN),
    (Role.AUDITADMIN, Role.STAFF, ALREADY_ADMIN),
])
def test_role_grant_keeps_admin_roles_apart(secadmin, held, granted, message):
    user = _user_with(held)

    with pytest.raises(ValidationError) as excinfo:
        role_grant(actor=secadmin, user=user, role=granted)

    assert excinfo.value.messages == [message]
    assert list(user.role_grants.values_list("role", flat=True)) == [held]


def test_role_grant_gives_an_admin_role_to_a_user_without_roles(secadmin):
    user = UserFactory()

    role_grant(actor=secadmin, user=user, role=Role.AUDITADMIN)

    assert list(user.role_grants.values_list("role", flat=True)) == [Role.AUDITADMIN]


def test_role_grant_refuses_self_grant():
    actor = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        role_grant(actor=actor, user=actor, role=Role.STAFF)

    assert excinfo.value.messages == [SELF_GRANT]
    assert not RoleGrant.objects.exists()


def test_role_grant_refuses_the_same_role_twice(secadmin):
    user = _user_with(Role.STAFF)

    with pytest.raises(ValidationError):
        role_grant(actor=secadmin, user=user, role=Role.STAFF)

    assert user.role_grants.count() == 1


def test_role_grant_refuses_unknown_role(secadmin):
    user = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        role_grant(actor=secadmin, user=user, role="superuser")

    assert set(excinfo.value.message_dict) == {"role"}
    assert not user.role_grants.exists()


def test_admin_roles_are_the_three_administrators():
    assert ADMIN_ROLES == {Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN}


# --- User.granted_roles -------------------------------------------------------------------------


def test_granted_roles_lists_the_users_roles():
    user = _user_with(Role.STAFF, Role.INSPECTOR)

    assert user.granted_roles == frozenset({Role.STAFF, Role.INSPECTOR})
    assert user.has_role(Role.INSPECTOR, Role.SYSADMIN)
    assert not user.has_role(Role.SYSADMIN)


def test_granted_roles_is_read_once_per_user_object(django_assert_num_queries):
    user = _user_with(Role.STAFF)

    with django_assert_num_queries(1):
        assert user.granted_roles == {Role.STAFF}
        assert user.granted_roles == {Role.STAFF}
        assert user.has_role(Role.STAFF)


def test_granted_roles_of_inactive_user_are_empty():
    user = _user_with(Role.STAFF, is_active=False)

    assert user.granted_roles == frozenset()
    assert not user.has_role(Role.STAFF)


def test_granted_roles_of_unsaved_user_are_empty(django_assert_num_queries):
    user = UserFactory.build()

    with django_assert_num_queries(0):
        assert user.granted_roles == frozenset()


# --- RolePermissionBackend ----------------------------------------------------------------------


def test_staff_maintains_the_organisation_tree():
    user = _user_with(Role.STAFF)

    for perm in ("branches.add_organisation", "branches.change_organisation", "branches.delete_organisation",
                 "branches.change_post", "branches.change_supervision", "branches.change_committeeterm",
                 "branches.change_person"):
        assert user.has_perm(perm), perm
    assert not user.has_perm("accounts.add_rolegrant")
    assert not user.has_perm("accounts.change_user")
    assert not user.has_perm("auditlog.view_logentry")
    assert user.has_module_perms("branches")
    assert not user.has_module_perms("accounts")


def test_inspector_only_views_the_organisation_tree():
    user = _user_with(Role.INSPECTOR)

    perms = user.get_all_permissions()

    assert {"branches.view_organisation", "branches.view_person", "branches.view_post",
            "branches.view_supervision", "branches.view_committeeterm"} <= perms
    assert {perm.split(".")[1].split("_")[0] for perm in perms} == {"view"}
    assert {perm.split(".")[0] for perm in perms} <= {"branches", "responsibility", "reports", "notifications",
                                                      "rectification", "orglife", "assessment", "accountability"}
    assert not user.has_perm("branches.change_organisation")


def test_auditadmin_only_views_the_audit_trail():
    user = _user_with(Role.AUDITADMIN)

    assert RolePermissionBackend().get_all_permissions(user) == {
        "auditlog.view_logentry", "admin.view_logentry", "axes.view_accessattempt", "axes.view_accesslog",
        "axes.view_accessfailurelog", "accountability.view_accesslog",
    }
    assert user.get_all_permissions() == RolePermissionBackend().get_all_permissions(user)
    assert not user.has_perm("branches.view_organisation")
    assert not user.has_module_perms("branches")


def test_sysadmin_manages_accounts_but_not_roles_or_audit():
    user = _user_with(Role.SYSADMIN)

    assert user.get_all_permissions() == {
        "accounts.add_user", "accounts.change_user", "accounts.view_user",
    }
    assert not user.has_perm("accounts.delete_user")


def test_secadmin_grants_roles_and_unlocks_logins():
    user = _user_with(Role.SECADMIN)

    assert user.get_all_permissions() == {
        "accounts.view_user", "accounts.add_rolegrant", "accounts.delete_rolegrant", "accounts.view_rolegrant",
        "axes.view_accessattempt", "axes.delete_accessattempt",
    }
    assert not user.has_perm("accounts.change_rolegrant")


def test_inactive_user_has_no_permissions():
    user = _user_with(Role.STAFF, is_active=False)

    assert RolePermissionBackend().get_all_permissions(user) == set()
    assert user.get_all_permissions() == set()
    assert not user.has_perm("branches.change_organisation")
    assert not can_use_admin(user)


def test_anonymous_user_has_no_permissions():
    assert RolePermissionBackend().get_all_permissions(AnonymousUser()) == set()
    assert not AnonymousUser().has_perm("branches.view_organisation")


def test_user_without_roles_has_no_permissions_and_no_admin():
    user = UserFactory()

    assert user.get_all_permissions() == set()
    assert not can_use_admin(user)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_use_the_admin(role):
    assert can_use_admin(_user_with(role))


def test_superuser_may_use_the_admin_without_roles():
    assert can_use_admin(UserFactory(is_superuser=True))


def test_permissions_of_several_roles_add_up():
    assert permissions_for_roles([Role.STAFF, Role.INSPECTOR]) == ROLE_PERMISSIONS[Role.STAFF]
    assert permissions_for_roles([]) == set()
    assert permissions_for_roles(["unknown"]) == set()


def test_every_role_permission_exists():
    existing = {f"{app}.{codename}" for app, codename in
                Permission.objects.values_list("content_type__app_label", "codename")}

    for role, perms in ROLE_PERMISSIONS.items():
        assert perms <= existing, (role, perms - existing)
