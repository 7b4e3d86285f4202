"""Backup and restore: a round trip onto an empty database gives every table and every evidence file back identical;
a damaged archive, a database that is not empty and a folder that is not empty are refused."""
import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connections

from ops.backup import BackupError, backup_create, backup_restore, table_counts
from reports.models import Evidence, ReportLine


def _seed_with_evidence(count=3):
    from reports.services import monthly_reports_generate
    from tests.reports.helpers import seed_with_main_list

    seed_with_main_list()
    monthly_reports_generate(year=2022, month=6)
    lines = list(ReportLine.objects.order_by("pk")[:count])
    assert len(lines) == count
    user = _user()
    for n, line in enumerate(lines):
        evidence = Evidence(line=line, original_name=f"会议记录{n}.pdf", size=20, uploaded_by=user)
        evidence.file.save(f"e{n}.pdf", ContentFile(b"%PDF-1.4 evidence " + str(n).encode()), save=True)
    return lines


def _user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="zhengwei")


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _table_digests(alias) -> dict[str, str]:
    """Every row of every table, as text, hashed per table (PostgreSQL)."""
    connection = connections[alias] if isinstance(alias, str) else alias
    digests = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), \'\')) FROM "{table}" t')
            digests[table] = cursor.fetchone()[0]
    return digests


@pytest.fixture
def restore_alias():
    """A second, empty PostgreSQL database next to the test database, dropped afterwards."""
    source = connections["default"].settings_dict
    name = f"{source['NAME']}_restore"
    with connections["default"].cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    from django.db.backends.postgresql.base import DatabaseWrapper

    target = DatabaseWrapper({**source, "NAME": name}, alias="restore")
    yield target
    target.close()
    with connections["default"].cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_round_trip_on_postgresql_gives_every_table_and_file_back(settings, tmp_path, restore_alias):
    settings.MEDIA_ROOT = tmp_path / "files"
    _seed_with_evidence()
    originals = _files(settings.MEDIA_ROOT)
    assert len([p for p in originals if p.startswith("reports/")]) == 3
    before = _table_digests("default")
    counts = table_counts("default")

    archive = backup_create(output_dir=tmp_path / "backups")

    manifest = json.load(tarfile.open(archive).extractfile("manifest.json"))
    assert manifest["engine"] == "postgresql" and manifest["tables"] == counts
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == originals
    settings.MEDIA_ROOT = tmp_path / "restored-files"
    backup_restore(archive=archive, alias=restore_alias)

    assert _table_digests(restore_alias) == before
    assert _files(settings.MEDIA_ROOT) == originals
    assert table_counts(restore_alias)["reports_evidence"] == 3
    with pytest.raises(BackupError, match="不是空库"):  # a second restore onto the same database is refused
        backup_restore(archive=archive, alias=restore_alias)


@pytest.mark.django_db(transaction=True)
def test_backup_command_writes_a_manifest_with_every_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    _seed_with_evidence(2)
    call_command("backup", "--output", str(tmp_path / "out"))
    (archive,) = (tmp_path / "out").glob("zerenlian-backup-*.tar")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["tables"]["reports_evidence"] == 2
    assert {f"files/{f['path']}" for f in manifest["files"]} <= names
    assert manifest["database"]["name"] in names
    assert manifest["files"] and all(len(f["sha256"]) == 64 for f in manifest["files"])


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    _seed_with_evidence(1)
    archive = backup_create(output_dir=tmp_path)
    before = table_counts()
    with pytest.raises(CommandError, match="目标数据库不是空库"):
        call_command("restore", str(archive))
    assert table_counts() == before


def test_a_damaged_archive_is_refused_before_anything_is_written(tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "files"
    body = json.dumps({"format": 1, "engine": "sqlite3", "tables": {},
                       "database": {"name": "database.sqlite3", "sha256": "0" * 64, "size": 1}, "files": []}).encode()
    archive = tmp_path / "bad.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in (("manifest.json", body), ("database.sqlite3", b"not the database")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            import io

            tar.addfile(info, io.BytesIO(data))
    monkeypatch.setattr("ops.backup.table_counts", lambda alias="default": {})

    class Empty:
        settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "target.sqlite3")}
        introspection = type("I", (), {"table_names": staticmethod(lambda cursor: [])})

        def cursor(self):
            import contextlib

            return contextlib.nullcontext(None)

        def close(self):
            pass

    monkeypatch.setattr("ops.backup.connections", {"default": Empty()})
    with pytest.raises(BackupError, match="数据库已损坏"):
        backup_restore(archive=archive)
    assert not (tmp_path / "target.sqlite3").exists()


class _EmptySqlite:
    """An empty SQLite target database, without touching the test database."""

    def __init__(self, path: Path):
        self.settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
        self.introspection = type("I", (), {"table_names": staticmethod(lambda cursor: [])})

    def cursor(self):
        import contextlib

        return contextlib.nullcontext(None)

    def close(self):
        pass


def _archive(path: Path, members: dict[str, bytes], files: dict[str, bytes]) -> Path:
    """A backup archive: a manifest that names `files` with their hashes, the `members` as they are."""
    import io

    manifest = {"format": 1, "engine": "sqlite3", "tables": {},
                "database": {"name": "database.sqlite3", "sha256": hashlib.sha256(members["database.sqlite3"])
                             .hexdigest(), "size": len(members["database.sqlite3"])},
                "files": [{"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                          for name, data in files.items()]}
    entries = {"manifest.json": json.dumps(manifest).encode(), **members,
               **{f"files/{name}": data for name, data in files.items()}}
    with tarfile.open(path, "w") as tar:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _sqlite_bytes(tmp_path: Path) -> bytes:
    import sqlite3

    source = tmp_path / "source.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE t (x integer)")
    return source.read_bytes()


@pytest.mark.parametrize("python", ["with extraction filters", "3.11.2, without them"])
def test_restore_unpacks_the_archive_with_or_without_extraction_filters(tmp_path, settings, monkeypatch, python):
    if python != "with extraction filters":
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    settings.MEDIA_ROOT = tmp_path / "files"
    archive = _archive(tmp_path / "good.tar", {"database.sqlite3": _sqlite_bytes(tmp_path)},
                       {"2022/6/e0.pdf": b"%PDF-1.4 evidence 0"})
    monkeypatch.setattr("ops.backup.table_counts", lambda alias="default": {})
    monkeypatch.setattr("ops.backup.connections", {"default": _EmptySqlite(tmp_path / "target.sqlite3")})
    backup_restore(archive=archive)
    assert (tmp_path / "files" / "2022/6/e0.pdf").read_bytes() == b"%PDF-1.4 evidence 0"
    assert (tmp_path / "target.sqlite3").read_bytes()[:15] == b"SQLite format 3"


@pytest.mark.parametrize("python", ["with extraction filters", "3.11.2, without them"])
def test_an_archive_entry_outside_its_folder_is_refused_before_anything_is_written(tmp_path, settings, monkeypatch,
                                                                                   python):
    if python != "with extraction filters":
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    settings.MEDIA_ROOT = tmp_path / "files"
    archive = _archive(tmp_path / "evil.tar", {"database.sqlite3": _sqlite_bytes(tmp_path),
                                               "../../escaped.txt": b"outside"}, {})
    monkeypatch.setattr("ops.backup.table_counts", lambda alias="default": {})
    monkeypatch.setattr("ops.backup.connections", {"default": _EmptySqlite(tmp_path / "target.sqlite3")})
    with pytest.raises(BackupError, match="不安全的条目 ../../escaped.txt"):
        backup_restore(archive=archive)
    assert not (tmp_path / "target.sqlite3").exists()


def test_restore_command_names_a_missing_archive(tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "none.tar"))
