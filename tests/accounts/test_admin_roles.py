"""三员分立 in the admin site: each administrator does only their own part; business roles keep theirs."""
import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import CheckboxInput
from django.test import Client
from django.urls import reverse

from accounts.models import Role, RoleGrant
from branches.models import Organisation

pytestmark = pytest.mark.django_db

ORG_NAME = "机关第一党支部"
ONLY_ONE_ADMIN_ROLE = "三员分立：审计管理员 不能与该用户已有的其他角色同时授予。"
ALREADY_ADMIN = "三员分立：该用户已是管理员，不能再授予其他角色。"


def _login(client, demo, username):
    return demo.client_for(client, username)


def _form_data(form):
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = "" if value is None else value
    return data


def _admin_change_data(response):
    """What the browser would send back for an unchanged admin change form, inlines included."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= _form_data(formset.management_form)
        for form in formset.forms:
            data |= _form_data(form)
    return data


def _org_change_url(org):
    return f"/admin/branches/organisation/{org.pk}/change/"


def _grant_form_errors(response):
    return [str(e) for e in response.context["adminform"].form.non_field_errors()]


# --- 审计管理员 -------------------------------------------------------------------------------------


def test_auditadmin_opens_admin_index_and_audit_log(client, demo):
    _login(client, demo, "auditadmin")

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/auditlog/logentry/").status_code == 200


def test_auditadmin_admin_index_lists_only_audit_models(client, demo):
    _login(client, demo, "auditadmin")

    response = client.get("/admin/")

    models = {(app["app_label"], model["object_name"]) for app in response.context["app_list"]
              for model in app["models"]}
    assert models == {("auditlog", "LogEntry"), ("admin", "LogEntry"), ("axes", "AccessAttempt"), ("axes", "AccessLog"),
                      ("axes", "AccessFailureLog"), ("accountability", "AccessLog")}


def test_auditadmin_cannot_change_or_add_organisations(client, demo):
    org = demo.org(ORG_NAME)
    _login(client, demo, "auditadmin")

    assert client.get(_org_change_url(org)).status_code == 403
    assert client.post(_org_change_url(org), {"name": "改名", "kind": "branch"}).status_code == 403
    assert client.get("/admin/branches/organisation/add/").status_code == 403
    assert client.post("/admin/branches/organisation/add/", {"name": "新支部", "kind": "branch"}).status_code == 403
    org.refresh_from_db()
    assert org.name == ORG_NAME
    assert not Organisation.objects.filter(name="新支部").exists()


def test_auditadmin_cannot_change_users(client, demo):
    zhengwei = demo.user("zhengwei")
    _login(client, demo, "auditadmin")

    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get(f"/admin/accounts/user/{zhengwei.pk}/change/").status_code == 403
    assert client.post(f"/admin/accounts/user/{zhengwei.pk}/change/",
                       {"username": "zhengwei", "is_active": ""}).status_code == 403
    zhengwei.refresh_from_db()
    assert zhengwei.is_active


def test_auditadmin_sees_staff_change_of_organisation_in_audit_log(client, demo):
    org = demo.org(ORG_NAME)
    wumin = demo.user("wumin")
    _login(client, demo, "wumin")
    form = client.get(_org_change_url(org))
    assert form.status_code == 200
    data = _admin_change_data(form) | {"short_name": "一支部", "_save": "保存"}
    last_entry = LogEntry.objects.latest("pk").pk

    response = client.post(_org_change_url(org), data)

    assert response.status_code == 302
    assert response["Location"] == "/admin/branches/organisation/"
    org.refresh_from_db()
    assert org.short_name == "一支部"
    entry = LogEntry.objects.get(pk__gt=last_entry)
    assert entry.action == LogEntry.Action.UPDATE
    assert (entry.content_type.model, entry.object_pk) == ("organisation", str(org.pk))
    assert entry.actor == wumin
    assert entry.changes_dict == {"short_name": ["机关一支部", "一支部"]}

    client.logout()
    _login(client, demo, "auditadmin")
    changelist = client.get("/admin/auditlog/logentry/")
    assert entry in changelist.context["cl"].result_list
    detail = client.get(f"/admin/auditlog/logentry/{entry.pk}/change/")
    assert detail.status_code == 200
    assert "吴敏" in detail.content.decode()


def test_auditadmin_cannot_delete_audit_entries(client, demo):
    entry = LogEntry.objects.first()
    _login(client, demo, "auditadmin")

    assert client.post(f"/admin/auditlog/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


# --- 系统管理员 -------------------------------------------------------------------------------------


def test_sysadmin_adds_a_user_through_the_admin_form(client, demo):
    _login(client, demo, "sysadmin")

    response = client.post("/admin/accounts/user/add/", {
        "username": "zhaoliu", "name": "赵六", "password1": "Hongqi-2026-x", "password2": "Hongqi-2026-x",
        "_save": "保存",
    })

    assert response.status_code == 302
    user = demo.user("zhaoliu")
    assert user.name == "赵六"
    assert user.check_password("Hongqi-2026-x")
    assert not user.is_superuser
    assert user.granted_roles == frozenset()


def test_sysadmin_cannot_open_role_grant_add_page(client, demo):
    _login(client, demo, "sysadmin")

    assert client.get("/admin/accounts/rolegrant/add/").status_code == 403
    before = RoleGrant.objects.count()
    response = client.post("/admin/accounts/rolegrant/add/",
                           {"user": demo.user("zhengwei").pk, "role": Role.STAFF})
    assert response.status_code == 403
    assert RoleGrant.objects.count() == before


def test_sysadmin_user_form_has_no_superuser_flag(client, demo):
    zhengwei = demo.user("zhengwei")
    _login(client, demo, "sysadmin")

    response = client.get(f"/admin/accounts/user/{zhengwei.pk}/change/")

    assert response.status_code == 200
    fields = set(response.context["adminform"].form.fields)
    assert "is_superuser" not in fields
    assert {"groups", "user_permissions", "is_staff"}.isdisjoint(fields)
    assert 'name="is_superuser"' not in response.content.decode()


def test_sysadmin_cannot_make_a_superuser_by_posting_the_flag(client, demo):
    zhengwei = demo.user("zhengwei")
    _login(client, demo, "sysadmin")
    data = _admin_change_data(client.get(f"/admin/accounts/user/{zhengwei.pk}/change/"))

    response = client.post(f"/admin/accounts/user/{zhengwei.pk}/change/", data | {"is_superuser": "on"})

    assert response.status_code == 302
    zhengwei.refresh_from_db()
    assert not zhengwei.is_superuser


def test_sysadmin_sees_no_business_data(client, demo):
    _login(client, demo, "sysadmin")

    assert client.get("/orgs/").url == reverse("admin:index")  # the organisation list is a business page
    for org in Organisation.objects.all():
        assert client.get(f"/orgs/{org.pk}/").status_code == 404


@pytest.mark.parametrize("username", ["secadmin", "auditadmin"])
def test_other_administrators_see_no_business_data(client, demo, username):
    _login(client, demo, username)

    assert client.get("/orgs/").url == reverse("admin:index")
    assert client.get(f"/orgs/{demo.org(ORG_NAME).pk}/").status_code == 404


# --- 安全管理员 -------------------------------------------------------------------------------------


def test_secadmin_grants_a_role_through_the_admin_form(client, demo):
    zhengwei = demo.user("zhengwei")
    secadmin = demo.user("secadmin")
    _login(client, demo, "secadmin")
    assert client.get("/admin/accounts/rolegrant/add/").status_code == 200

    response = client.post("/admin/accounts/rolegrant/add/",
                           {"user": zhengwei.pk, "role": Role.STAFF, "_save": "保存"})

    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=zhengwei)
    assert grant.role == Role.STAFF
    assert grant.granted_by == secadmin


def test_secadmin_cannot_grant_a_second_admin_role(client, demo):
    sysadmin = demo.user("sysadmin")
    _login(client, demo, "secadmin")

    response = client.post("/admin/accounts/rolegrant/add/",
                           {"user": sysadmin.pk, "role": Role.AUDITADMIN, "_save": "保存"})

    assert response.status_code == 200
    assert _grant_form_errors(response) == [ONLY_ONE_ADMIN_ROLE]
    assert ONLY_ONE_ADMIN_ROLE in response.content.decode()
    assert set(RoleGrant.objects.filter(user=sysadmin).values_list("role", flat=True)) == {Role.SYSADMIN}


@pytest.mark.parametrize("role", [Role.STAFF, Role.INSPECTOR])
def test_secadmin_cannot_grant_business_role_to_sysadmin(client, demo, role):
    sysadmin = demo.user("sysadmin")
    _login(client, demo, "secadmin")

    response = client.post("/admin/accounts/rolegrant/add/", {"user": sysadmin.pk, "role": role, "_save": "保存"})

    assert response.status_code == 200
    assert _grant_form_errors(response) == [ALREADY_ADMIN]
    assert set(RoleGrant.objects.filter(user=sysadmin).values_list("role", flat=True)) == {Role.SYSADMIN}


def test_secadmin_cannot_grant_admin_role_to_a_business_user(client, demo):
    wumin = demo.user("wumin")
    _login(client, demo, "secadmin")

    response = client.post("/admin/accounts/rolegrant/add/",
                           {"user": wumin.pk, "role": Role.SYSADMIN, "_save": "保存"})

    assert response.status_code == 200
    assert _grant_form_errors(response) == ["三员分立：系统管理员 不能与该用户已有的其他角色同时授予。"]
    assert set(RoleGrant.objects.filter(user=wumin).values_list("role", flat=True)) == {Role.STAFF}


def test_secadmin_cannot_grant_a_role_to_themselves(client, demo):
    secadmin = demo.user("secadmin")
    _login(client, demo, "secadmin")

    response = client.post("/admin/accounts/rolegrant/add/",
                           {"user": secadmin.pk, "role": Role.STAFF, "_save": "保存"})

    assert response.status_code == 200
    # The 三员分立 rule is checked first; 不能给自己授予角色 is covered at the service level.
    assert _grant_form_errors(response) == [ALREADY_ADMIN]
    assert set(RoleGrant.objects.filter(user=secadmin).values_list("role", flat=True)) == {Role.SECADMIN}


def test_secadmin_cannot_edit_a_grant(client, demo):
    grant = RoleGrant.objects.get(user=demo.user("wumin"))
    _login(client, demo, "secadmin")

    response = client.post(f"/admin/accounts/rolegrant/{grant.pk}/change/",
                           {"user": grant.user_id, "role": Role.INSPECTOR, "_save": "保存"})

    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.role == Role.STAFF


def test_secadmin_cannot_change_organisations_or_users(client, demo):
    _login(client, demo, "secadmin")

    assert client.get(_org_change_url(demo.org(ORG_NAME))).status_code == 403
    assert client.get("/admin/accounts/user/add/").status_code == 403


# --- business roles -----------------------------------------------------------------------------


def test_branch_secretary_is_sent_to_admin_login(client, demo):
    _login(client, demo, "zhengwei")

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"
    assert client.get(_org_change_url(demo.org(ORG_NAME)))["Location"].startswith("/admin/login/")


def test_staff_opens_organisation_changelist_and_import_page(client, demo):
    _login(client, demo, "wumin")

    changelist = client.get("/admin/branches/organisation/")
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == Organisation.objects.count()
    assert client.get("/admin/branches/organisation/import/").status_code == 200


def test_staff_cannot_manage_accounts_or_roles(client, demo):
    _login(client, demo, "wumin")

    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/accounts/rolegrant/add/").status_code == 403
    assert client.get("/admin/auditlog/logentry/").status_code == 403


def test_inspector_views_but_cannot_change_organisations(client, demo):
    org = demo.org(ORG_NAME)
    _login(client, demo, "chengang")

    assert client.get("/admin/branches/organisation/").status_code == 200
    view = client.get(_org_change_url(org))
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert 'name="_save"' not in view.content.decode()

    assert client.post(_org_change_url(org), {"name": "改名", "kind": "branch"}).status_code == 403
    assert client.get("/admin/branches/organisation/add/").status_code == 403
    org.refresh_from_db()
    assert org.name == ORG_NAME


# --- Excel import/export in the admin -----------------------------------------------------------

IMPORT_EXPORT_PAGES = ["/admin/branches/organisation/import/", "/admin/branches/organisation/export/",
                       "/admin/branches/post/import/", "/admin/branches/post/export/"]


@pytest.mark.parametrize(("username", "expected"), [
    ("wumin", [200, 200, 200, 200]),
    ("chengang", [403, 200, 403, 200]),
    ("sysadmin", [403, 403, 403, 403]),
    ("secadmin", [403, 403, 403, 403]),
    ("auditadmin", [403, 403, 403, 403]),
])
def test_only_roles_that_change_a_model_import_it_and_only_readers_export_it(client, demo, username, expected):
    _login(client, demo, username)

    assert [client.get(path).status_code for path in IMPORT_EXPORT_PAGES] == expected


def test_auditadmin_cannot_post_an_organisation_import(client, demo):
    _login(client, demo, "auditadmin")
    upload = SimpleUploadedFile("orgs.csv", "名称,组织类别\n新建党支部,党支部\n".encode(), content_type="text/csv")

    response = client.post("/admin/branches/organisation/import/", {"format": "0", "import_file": upload})

    assert response.status_code == 403
    assert not Organisation.objects.filter(name="新建党支部").exists()


def test_password_reset_by_sysadmin_is_in_the_audit_trail(client, demo):
    from auditlog.models import LogEntry

    target = demo.user("chengang")
    _login(client, demo, "sysadmin")
    response = client.post(f"/admin/accounts/user/{target.pk}/password/",
                           {"password1": "Nn-8842-quiet", "password2": "Nn-8842-quiet", "usable_password": "true"})
    assert response.status_code == 302
    entry = LogEntry.objects.filter(object_pk=str(target.pk), content_type__model="user").latest("timestamp")
    assert entry.actor == demo.user("sysadmin")
    assert "password" in entry.changes_dict
    assert "Nn-8842-quiet" not in str(entry.changes_dict)  # masked
    client.logout()
    _login(client, demo, "auditadmin")
    assert client.get("/admin/auditlog/logentry/").status_code == 200
    assert client.get("/admin/admin/logentry/").status_code == 200


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_land_on_their_admin_pages_instead_of_the_business_home(client, demo, username):
    _login(client, demo, username)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_business_users_keep_their_home_page(client, demo):
    _login(client, demo, "wumin")

    assert client.get("/").status_code == 200


def test_sysadmin_cannot_open_the_person_register(client, demo):
    _login(client, demo, "sysadmin")

    assert client.get("/admin/branches/person/").status_code == 403
    assert client.get(f"/admin/branches/person/{demo.user('zhengwei').person.pk}/change/").status_code == 403


def test_sysadmin_disables_an_account_and_its_session_ends(client, demo):
    zhengwei = demo.user("zhengwei")
    user_client = Client()
    demo.client_for(user_client, "zhengwei")
    assert user_client.get("/").status_code == 200
    _login(client, demo, "sysadmin")
    data = _admin_change_data(client.get(f"/admin/accounts/user/{zhengwei.pk}/change/"))
    data.pop("is_active", None)

    response = client.post(f"/admin/accounts/user/{zhengwei.pk}/change/", data | {"_save": "保存"})

    assert response.status_code == 302
    zhengwei.refresh_from_db()
    assert not zhengwei.is_active
    assert user_client.get("/")["Location"] == "/accounts/login/?next=/"
