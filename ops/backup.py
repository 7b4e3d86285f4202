"""Backup and restore: one .tar holding the database dump (pg_dump, or a consistent SQLite copy), the private files
(evidence, exports, staged imports under MEDIA_ROOT) and a manifest with the SHA-256 of each and every table's row
count; a restore checks every hash, refuses a database that already has tables, and checks the row counts after."""
from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, in Chinese, for the operator."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    environ = dict(os.environ)
    if db.get("PASSWORD"):
        environ["PGPASSWORD"] = db["PASSWORD"]
    return args, environ


def _run(command: list[str], environ: dict) -> None:
    done = subprocess.run(command, env=environ, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 执行失败：{done.stderr.strip()[:2000]}")


def _connection(alias):
    """A connection alias, or a DatabaseWrapper made for a database outside settings (a restore target)."""
    return connections[alias] if isinstance(alias, str) else alias


def table_counts(alias="default") -> dict[str, int]:
    connection = _connection(alias)
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def backup_create(*, output_dir: Path, alias="default", now: datetime.datetime | None = None) -> Path:
    """Write zerenlian-backup-<time>.tar into output_dir and return its path."""
    db = _connection(alias).settings_dict
    media_root = Path(settings.MEDIA_ROOT)
    now = now or timezone.now()
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"zerenlian-backup-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar"
    with tempfile.TemporaryDirectory() as tmp:
        if db["ENGINE"] == "django.db.backends.postgresql":
            dump = Path(tmp) / "database.dump"
            args, environ = _pg_args(db)
            _run(["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges", "-f", str(dump), db["NAME"]],
                 environ)
        elif db["ENGINE"] == "django.db.backends.sqlite3":
            dump = Path(tmp) / "database.sqlite3"
            source, target = sqlite3.connect(db["NAME"]), sqlite3.connect(dump)
            try:
                source.backup(target)  # a consistent copy while the web and the worker keep writing
            finally:
                source.close()
                target.close()
        else:
            raise BackupError(f"不支持的数据库：{db['ENGINE']}")
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT, "created_at": now.isoformat(), "engine": db["ENGINE"].rsplit(".", 1)[-1],
            "database": {"name": dump.name, "sha256": _sha256(dump), "size": dump.stat().st_size},
            "tables": table_counts(alias),
            "files": [{"path": p.relative_to(media_root).as_posix(), "sha256": _sha256(p), "size": p.stat().st_size}
                      for p in files],
        }
        partial = archive.with_suffix(".tar.part")
        with tarfile.open(partial, "w") as tar:
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(body), int(now.timestamp())
            tar.addfile(info, io.BytesIO(body))
            tar.add(dump, arcname=dump.name)
            for path in files:
                tar.add(path, arcname=f"{FILES}/{path.relative_to(media_root).as_posix()}")
        partial.replace(archive)  # a half-written archive never carries the final name
    return archive


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, AttributeError, ValueError):
        raise BackupError("备份文件缺少有效的 manifest.json。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    return manifest


def _check(path: Path, expected: str, label: str) -> None:
    if not path.is_file() or _sha256(path) != expected:
        raise BackupError(f"备份中的{label}已损坏（SHA-256 不符）。")


def _extract(tar: tarfile.TarFile, folder: str) -> None:
    """Unpack only plain files and folders that stay inside `folder`. Python before 3.11.4 (Debian 12 ships 3.11.2)
    has no extraction filters, so every member is checked here first; newer Pythons apply the "data" filter too."""
    for member in tar.getmembers():
        if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in Path(member.name).parts:
            raise BackupError(f"备份中有不安全的条目 {member.name}（链接、设备文件或目录之外的路径），已拒绝恢复。")
    if hasattr(tarfile, "data_filter"):
        tar.extractall(folder, filter="data")
    else:
        tar.extractall(folder)


def backup_restore(*, archive: Path, alias="default") -> dict:
    """Put a backup back onto an empty database and an empty MEDIA_ROOT; returns the manifest."""
    connection = _connection(alias)
    db = connection.settings_dict
    media_root = Path(settings.MEDIA_ROOT)
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError("目标数据库不是空库：请新建一个空数据库后再恢复（不会覆盖现有数据）。")
    if _media_files(media_root):
        raise BackupError(f"文件目录 {media_root} 不是空的：请换一个空目录或先移走其中的文件。")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive, "r") as tar:
        manifest = _read_manifest(tar)
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if manifest["engine"] != engine:
            raise BackupError(f"备份来自 {manifest['engine']}，目标数据库是 {engine}。")
        _extract(tar, tmp)
        work = Path(tmp)
        dump = work / manifest["database"]["name"]
        _check(dump, manifest["database"]["sha256"], "数据库")
        for entry in manifest["files"]:
            _check(work / FILES / entry["path"], entry["sha256"], f"文件 {entry['path']} ")
        if engine == "postgresql":
            args, environ = _pg_args(db)
            connection.close()
            _run(["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error", "-d", db["NAME"],
                  str(dump)], environ)
        else:
            connection.close()
            source, target = sqlite3.connect(dump), sqlite3.connect(db["NAME"])
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
        for entry in manifest["files"]:
            destination = media_root / entry["path"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(work / FILES / entry["path"], destination)
    restored = table_counts(alias)
    if restored != manifest["tables"]:
        wrong = sorted(t for t in set(restored) | set(manifest["tables"])
                       if restored.get(t) != manifest["tables"].get(t))
        raise BackupError(f"恢复后这些表的行数与备份不符：{', '.join(wrong)}")
    return manifest
