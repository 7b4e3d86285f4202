"""Retention: old audit rows go to signed, chained archives before they leave the database; verify finds tampering."""
import datetime
import gzip
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from axes.models import AccessFailureLog
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.audit_archive import audit_archive, audit_verify
from config.celery import app
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def archive_dir(settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    settings.AUDIT_RETENTION_DAYS = 180
    return settings.AUDIT_ARCHIVE_DIR


def _on(day):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), SHANGHAI), tick=False)


def _entries_on(day, *names):
    """One organisation created (one audit entry each) and one failed login, on `day`."""
    with _on(day):
        for name in names:
            OrganisationFactory(name=name)
        AccessFailureLog.objects.create(username="zhengwei", ip_address="10.0.0.9", user_agent="浏览器",
                                        http_accept="*/*", path_info="/accounts/login/")


def _rows(path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_archive_exports_only_rows_past_retention_then_prunes_them_and_verifies(archive_dir, capsys):
    _entries_on(datetime.date(2026, 1, 10), "旧支部一", "旧支部二")  # 180 days before 2026-07-09: archived
    _entries_on(datetime.date(2026, 1, 12), "新支部")  # 178 days old: kept
    with _on(datetime.date(2026, 7, 11)):
        call_command("audit_archive")
    assert capsys.readouterr().out == (
        "已归档 3 条审计记录到 audit-000001.jsonl.gz（审计记录 2 条，登录失败记录 1 条），并从数据库中删除。\n")

    rows = _rows(archive_dir / "audit-000001.jsonl.gz")
    assert len(rows) == 3
    assert {r["model"] for r in rows} == {"auditlog.logentry", "axes.accessfailurelog"}
    assert sorted(r["fields"]["object_repr"] for r in rows if r["model"] == "auditlog.logentry") == ["旧支部一", "旧支部二"]
    assert [r["fields"]["username"] for r in rows if r["model"] == "axes.accessfailurelog"] == ["zhengwei"]
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == ["新支部"]
    assert AccessFailureLog.objects.count() == 1
    manifest = json.loads((archive_dir / "audit-000001.json").read_text())
    assert manifest["rows"] == {"auditlog.LogEntry": 2, "axes.AccessFailureLog": 1} and manifest["previous"] == ""
    assert oct(archive_dir.stat().st_mode & 0o777) == "0o700"

    call_command("audit_verify")
    assert "审计归档校验通过：共 1 个归档" in capsys.readouterr().out


def test_nothing_past_retention_writes_no_archive(archive_dir):
    _entries_on(datetime.date(2026, 6, 1), "新支部")
    with _on(datetime.date(2026, 7, 11)):
        assert audit_archive().total == 0
    assert list(archive_dir.iterdir()) == []
    assert LogEntry.objects.count() == 1


def _three_archives():
    for month in (1, 2, 3):
        _entries_on(datetime.date(2025, month, 5), f"支部{month}")
        with _on(datetime.date(2025, month, 5) + datetime.timedelta(days=200)):
            audit_archive()


def test_each_archive_links_to_the_one_before(archive_dir):
    _three_archives()
    manifests = [json.loads((archive_dir / f"audit-00000{n}.json").read_text()) for n in (1, 2, 3)]
    assert [m["previous"] for m in manifests] == ["", manifests[0]["sha256"], manifests[1]["sha256"]]
    assert audit_verify() == (3, [])


def test_a_changed_archive_fails_verification(archive_dir):
    _three_archives()
    path = archive_dir / "audit-000002.jsonl.gz"
    rows = _rows(path)
    rows[0]["fields"]["object_repr"] = "改过的支部"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    with pytest.raises(CommandError, match="审计归档校验未通过：1 处问题"):
        call_command("audit_verify")
    assert audit_verify()[1] == ["audit-000002.jsonl.gz：内容被修改（SHA-256 与清单不符）"]


def test_a_manifest_rewritten_to_match_a_changed_archive_fails_on_its_signature_and_the_chain(archive_dir):
    _three_archives()
    manifest_path = archive_dir / "audit-000002.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["sha256"] = "0" * 64  # as if recomputed for a forged file, without the key
    manifest_path.write_text(json.dumps(manifest))
    problems = audit_verify()[1]
    assert "audit-000002.json：签名不符，清单被修改或不是用本系统的密钥生成" in problems
    assert "audit-000003.json：与上一个归档不衔接（有归档被删除、替换或插入）" in problems


def test_a_removed_archive_breaks_the_chain(archive_dir):
    _three_archives()
    (archive_dir / "audit-000002.jsonl.gz").unlink()
    (archive_dir / "audit-000002.json").unlink()
    assert audit_verify()[1] == ["audit-000003.json：编号为 3，应为 2（中间的归档缺失）",
                                 "audit-000003.json：与上一个归档不衔接（有归档被删除、替换或插入）"]


def test_archives_signed_with_another_key_fail(archive_dir, settings):
    _three_archives()
    settings.AUDIT_ARCHIVE_KEY = "another-key"
    assert len(audit_verify()[1]) == 3


def test_beat_archives_monthly():
    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["archive-audit-trail"]
    assert entry["task"] == "accounts.audit_archive" and entry["task"] in app.tasks
    assert (entry["schedule"].day_of_month, entry["schedule"].hour, entry["schedule"].minute) == ({2}, {3}, {30})


def test_a_run_that_cannot_write_its_archive_deletes_nothing_and_leaves_the_other_file_alone(archive_dir):
    _entries_on(datetime.date(2025, 1, 5), "支部一")
    archive_dir.mkdir(parents=True, exist_ok=True)
    other = archive_dir / "audit-000001.jsonl.gz"  # as if another run were writing archive 1 at this moment
    other.write_bytes(b"another run")
    with _on(datetime.date(2025, 9, 1)), pytest.raises(FileExistsError):
        audit_archive()
    assert other.read_bytes() == b"another run"
    assert not (archive_dir / "audit-000001.json").exists()
    assert LogEntry.objects.filter(object_repr="支部一").count() == 1
    assert AccessFailureLog.objects.count() == 1
