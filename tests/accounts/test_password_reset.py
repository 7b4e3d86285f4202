"""三员分立 without back doors: a password the system administrator sets is changed at the next login, is in the
audit log with the administrator as actor and is told to the user; demo accounts keep demo1234 only in demo mode."""
import pytest
from auditlog.models import LogEntry
from django.contrib.auth import SESSION_KEY

from accounts.services import user_password_reset
from branches.demo import DEMO_PASSWORD
from notifications.models import Reminder

pytestmark = pytest.mark.django_db

NEW = "Chuzhi-2026-reset"
CHANGE_URL = "/accounts/password/"


def _reset_through_admin(client, demo, target):
    demo.client_for(client, "sysadmin")
    return client.post(f"/admin/accounts/user/{target.pk}/password/",
                       {"password1": NEW, "password2": NEW, "usable_password": "true"})


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sysadmin_reset_forces_a_change_at_next_login(client, demo):
    zhengwei = demo.user("zhengwei")

    response = _reset_through_admin(client, demo, zhengwei)

    assert response.status_code == 302
    zhengwei.refresh_from_db()
    assert zhengwei.check_password(NEW)
    assert zhengwei.must_change_password
    client.post("/accounts/logout/")
    assert _login(client, "zhengwei", NEW)["Location"] == "/"
    assert client.get("/")["Location"] == CHANGE_URL
    assert client.get("/reports/")["Location"] == CHANGE_URL


def test_after_the_forced_change_the_administrators_password_no_longer_works(client, demo):
    zhengwei = demo.user("zhengwei")
    _reset_through_admin(client, demo, zhengwei)
    client.post("/accounts/logout/")
    _login(client, "zhengwei", NEW)

    changed = client.post(CHANGE_URL, {"old_password": NEW, "new_password1": "Hongqi-own-2026",
                                       "new_password2": "Hongqi-own-2026"})

    assert changed["Location"] == "/accounts/password/done/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert _login(client, "zhengwei", NEW).status_code == 200
    assert SESSION_KEY not in client.session


def test_reset_is_in_the_audit_log_with_the_sysadmin_as_actor(client, demo):
    zhengwei = demo.user("zhengwei")
    last = LogEntry.objects.latest("pk").pk

    _reset_through_admin(client, demo, zhengwei)

    entry = LogEntry.objects.get(pk__gt=last, content_type__model="user", object_pk=str(zhengwei.pk))
    assert entry.actor == demo.user("sysadmin")
    assert set(entry.changes_dict) == {"password", "password_changed_at", "must_change_password", "is_demo_account"}
    assert NEW not in str(entry.changes)  # the password field is masked
    assert entry.changes_dict["must_change_password"] == ["False", "True"]


def test_reset_notifies_the_user_who_sees_it_in_the_notification_centre(client, demo):
    zhengwei = demo.user("zhengwei")

    _reset_through_admin(client, demo, zhengwei)

    notice = Reminder.objects.get(recipient=zhengwei, title__contains="密码")
    assert notice.title == "您的登录密码已由系统管理员重置"
    assert "下次登录后须先修改密码" in notice.body
    assert not Reminder.objects.filter(recipient=demo.user("sysadmin"), title__contains="密码").exists()


def test_reset_outside_a_request_records_the_actor_too(demo):
    zhengwei, sysadmin = demo.user("zhengwei"), demo.user("sysadmin")
    last = LogEntry.objects.latest("pk").pk

    user_password_reset(actor=sysadmin, user=zhengwei, password=NEW)

    assert LogEntry.objects.get(pk__gt=last, object_pk=str(zhengwei.pk), content_type__model="user").actor == sysadmin


def test_an_account_the_sysadmin_creates_must_change_its_first_password(client, demo):
    demo.client_for(client, "sysadmin")
    client.post("/admin/accounts/user/add/", {"username": "zhaoliu", "name": "赵六", "password1": NEW,
                                              "password2": NEW, "usable_password": "true", "_save": "保存"})
    client.post("/accounts/logout/")

    assert demo.user("zhaoliu").must_change_password
    assert _login(client, "zhaoliu", NEW).status_code == 302
    assert client.get("/")["Location"] == CHANGE_URL


def test_sysadmin_cannot_reset_the_security_or_audit_administrator(client, demo):
    secadmin = demo.user("secadmin")
    demo.client_for(client, "sysadmin")

    response = client.post(f"/admin/accounts/user/{secadmin.pk}/password/", {"password1": NEW, "password2": NEW})

    assert response.status_code == 403
    secadmin.refresh_from_db()
    assert secadmin.check_password(DEMO_PASSWORD)


def test_a_weak_reset_password_is_refused_and_changes_nothing(client, demo):
    zhengwei = demo.user("zhengwei")
    demo.client_for(client, "sysadmin")

    response = client.post(f"/admin/accounts/user/{zhengwei.pk}/password/",
                           {"password1": "abc12345", "password2": "abc12345", "usable_password": "true"})

    assert response.status_code == 200
    assert "密码太短，至少需要 10 个字符。" in response.content.decode()
    zhengwei.refresh_from_db()
    assert zhengwei.check_password(DEMO_PASSWORD)
    assert not zhengwei.must_change_password


# --- demo mode ------------------------------------------------------------------------------------------


def test_seed_demo_marks_the_demo_accounts(demo):
    assert demo.user("zhengwei").is_demo_account
    assert demo.user("sysadmin").is_demo_account


def test_demo_accounts_keep_the_public_password_in_demo_mode(client, demo, settings):
    settings.DEMO_MODE = True

    login_page = client.get("/accounts/login/").content.decode()
    response = _login(client, "zhengwei", DEMO_PASSWORD)

    assert "这是演示环境：演示账号的密码公开（均为 demo1234），数据均为虚构，请勿录入真实信息。" in login_page
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_outside_demo_mode_a_demo_account_must_change_its_password(client, demo, settings):
    settings.DEMO_MODE = False

    login_page = client.get("/accounts/login/").content.decode()
    _login(client, "zhengwei", DEMO_PASSWORD)
    home = client.get("/")
    page = client.get(CHANGE_URL).content.decode()
    client.post(CHANGE_URL, {"old_password": DEMO_PASSWORD, "new_password1": "Hongqi-own-2026",
                             "new_password2": "Hongqi-own-2026"})

    assert "演示环境" not in login_page
    assert home["Location"] == CHANGE_URL
    assert "这是演示账号，其密码是公开的；当前不是演示环境，请先修改密码。" in page
    assert client.get("/").status_code == 200


def test_a_demo_user_who_chose_a_password_is_no_longer_a_demo_account(demo):
    zhengwei = demo.user("zhengwei")
    zhengwei.set_password("Hongqi-own-2026")
    zhengwei.save()

    from branches.demo import seed_demo
    seed_demo(today=demo.today)

    zhengwei.refresh_from_db()
    assert not zhengwei.is_demo_account


def test_seed_demo_flags_an_older_demo_account_that_still_has_the_public_password(demo):
    type(demo.user("zhengwei")).objects.filter(username="zhengwei").update(is_demo_account=False)

    from branches.demo import seed_demo
    seed_demo(today=demo.today)

    assert demo.user("zhengwei").is_demo_account
