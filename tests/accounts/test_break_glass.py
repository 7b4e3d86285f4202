"""createsuperuser is a break-glass tool: refused unless ALLOW_BREAK_GLASS_SUPERUSER is on, and each use is in the
audit log with the operating-system user and host that ran it."""
import getpass
import socket

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

pytestmark = pytest.mark.django_db


def _create(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Yingji-2026-glass")
    call_command("createsuperuser", "--no-input", "--username", "yingji", "--email", "yingji@example.gov.cn")


def test_createsuperuser_is_refused_by_default(monkeypatch, settings):
    assert settings.ALLOW_BREAK_GLASS_SUPERUSER is False

    with translation.override("zh-hans"), pytest.raises(CommandError) as raised:  # as run from a shell
        _create(monkeypatch)

    assert "已禁止创建超级管理员（三员分立）" in str(raised.value)
    assert "ALLOW_BREAK_GLASS_SUPERUSER=true" in str(raised.value)
    assert not get_user_model().objects.filter(username="yingji").exists()


def test_break_glass_creates_the_superuser_and_audits_the_operator(monkeypatch, settings):
    settings.ALLOW_BREAK_GLASS_SUPERUSER = True
    monkeypatch.setattr(getpass, "getuser", lambda: "zhangsan")

    _create(monkeypatch)

    user = get_user_model().objects.get(username="yingji")
    assert user.is_superuser
    entry = LogEntry.objects.get(object_pk=str(user.pk), content_type__model="user", action=LogEntry.Action.ACCESS)
    assert entry.additional_data == {"break_glass_superuser": True, "os_user": "zhangsan",
                                     "host": socket.gethostname()}
    assert entry.actor is None


def test_break_glass_superuser_must_change_nothing_but_is_recorded_once(monkeypatch, settings):
    settings.ALLOW_BREAK_GLASS_SUPERUSER = True
    get_user_model().objects.create_superuser("existing", password="Yuanyou-2026-su")

    _create(monkeypatch)

    marked = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__break_glass_superuser=True)
    assert [e.object_repr for e in marked] == ["yingji"]
