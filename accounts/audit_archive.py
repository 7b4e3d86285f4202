"""Retention of the audit trail: entries older than AUDIT_RETENTION_DAYS go to signed, chained archive files, and
only then leave the database; `audit_verify` proves no archive was altered, replaced or removed from the chain.

Each run writes two files to AUDIT_ARCHIVE_DIR (private: 0700/0600): `audit-000007.jsonl.gz`, one JSON object a row
(model, primary key, fields), and `audit-000007.json`, its manifest: sequence number, row counts, cut-off, the
SHA-256 of the .gz file, the previous archive's SHA-256 (a chain), and an HMAC-SHA256 of all of these under
AUDIT_ARCHIVE_KEY (derived from SECRET_KEY when unset). Changing a row changes the hash; forging a manifest needs
the key; removing or replacing an archive breaks the next one's link and the numbering."""
from __future__ import annotations

import datetime
import gzip
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.locks import AUDIT_ARCHIVE, job_lock

# What the audit trail is made of: (model, its time field).
ARCHIVED = [
    ("auditlog.LogEntry", "timestamp"),        # data changes, workflow transitions
    ("admin.LogEntry", "action_time"),         # actions in the admin site
    ("axes.AccessFailureLog", "attempt_time"),  # failed logins
    ("axes.AccessLog", "attempt_time"),        # logins and logouts
    ("accountability.AccessLog", "at"),        # reads of 问责 records
]
BATCH = 2000


def archive_dir() -> Path:
    folder = Path(settings.AUDIT_ARCHIVE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def _key() -> bytes:
    key = settings.AUDIT_ARCHIVE_KEY or hashlib.sha256(
        ("zerenlian-audit-archive:" + settings.SECRET_KEY).encode()).hexdigest()
    return key.encode()


def _signature(manifest: dict) -> str:
    signed = {k: v for k, v in manifest.items() if k != "hmac"}
    message = json.dumps(signed, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifests(folder: Path) -> list[tuple[Path, dict | None]]:
    found = []
    for path in sorted(folder.glob("audit-*.json")):
        try:
            found.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            found.append((path, None))
    return found


@dataclass
class ArchiveResult:
    name: str = ""
    rows: dict = field(default_factory=dict)  # model label → rows archived

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _write(path: Path, chosen: dict, written: list) -> dict[str, list]:
    """Write the rows, one JSON object a line, and sync the file; returns the primary keys written per model."""
    pks: dict[str, list] = {}
    with path.open("xb") as raw:  # never over another run's archive
        written.append(path)
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            for label, queryset in chosen.items():
                pks[label] = []
                for obj in queryset.iterator(chunk_size=BATCH):
                    row = serializers.serialize("python", [obj])[0]
                    out.write((json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
                               + "\n").encode("utf-8"))
                    pks[label].append(obj.pk)
        raw.flush()
        os.fsync(raw.fileno())
    os.chmod(path, 0o600)
    return pks


class ArchiveBusy(Exception):
    """Another run is archiving right now."""


def audit_archive(*, today: datetime.date | None = None) -> ArchiveResult:
    """Write every audit row older than the retention period to the next archive, then delete those rows.

    Nothing is deleted unless the archive file and its manifest are written and synced first; a failure removes the
    half-written files and keeps every row. One run at a time (a PostgreSQL advisory lock; elsewhere the files'
    exclusive creation refuses a second run's archive of the same number)."""
    with job_lock(AUDIT_ARCHIVE, 0) as held:
        if not held:
            raise ArchiveBusy(_("另一个审计归档正在进行，请稍后再试。"))
        return _archive(today=today)


def _archive(*, today: datetime.date | None) -> ArchiveResult:
    days = settings.AUDIT_RETENTION_DAYS
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time()))
    folder = archive_dir()
    previous = _manifests(folder)
    last = previous[-1][1] if previous else None
    seq = (last or {}).get("seq", len(previous)) + 1
    data_path, manifest_path = folder / f"audit-{seq:06d}.jsonl.gz", folder / f"audit-{seq:06d}.json"
    result = ArchiveResult(name=data_path.name)
    chosen = {label: apps.get_model(label)._default_manager.filter(**{f"{time_field}__lt": cutoff}).order_by("pk")
              for label, time_field in ARCHIVED}
    written = []
    try:
        with transaction.atomic():
            if not any(qs.exists() for qs in chosen.values()):
                return ArchiveResult()
            result.rows = _write(data_path, chosen, written)
            manifest = {"seq": seq, "file": data_path.name, "sha256": _sha256(data_path),
                        "previous": (last or {}).get("sha256", ""), "cutoff": cutoff.isoformat(),
                        "created_at": timezone.now().isoformat(),
                        "rows": {label: len(ids) for label, ids in result.rows.items() if ids}}
            manifest["hmac"] = _signature(manifest)
            with manifest_path.open("x", encoding="utf-8") as handle:
                written.append(manifest_path)
                json.dump(manifest, handle, ensure_ascii=False, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(manifest_path, 0o600)
            for label, ids in result.rows.items():
                manager = apps.get_model(label)._default_manager
                for start in range(0, len(ids), BATCH):
                    manager.filter(pk__in=ids[start:start + BATCH]).delete()
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    result.rows = {label: len(ids) for label, ids in result.rows.items() if ids}
    return result


def audit_verify() -> tuple[int, list[str]]:
    """Check every archive's content hash, signature, numbering and link to the one before; (archives, problems)."""
    folder = archive_dir()
    problems: list[str] = []
    previous_sha = ""
    manifests = _manifests(folder)
    for expected_seq, (path, manifest) in enumerate(manifests, start=1):
        if manifest is None:
            problems.append(_("%(file)s：清单无法读取") % {"file": path.name})
            previous_sha = ""
            continue
        name = manifest.get("file", "")
        if manifest.get("seq") != expected_seq:
            problems.append(_("%(file)s：编号为 %(seq)s，应为 %(expected)s（中间的归档缺失）")
                            % {"file": path.name, "seq": manifest.get("seq"), "expected": expected_seq})
        if manifest.get("hmac") != _signature(manifest):
            problems.append(_("%(file)s：签名不符，清单被修改或不是用本系统的密钥生成") % {"file": path.name})
        data_path = folder / name
        if not name or not data_path.exists():
            problems.append(_("%(file)s：归档文件 %(data)s 不存在") % {"file": path.name, "data": name or "—"})
        elif _sha256(data_path) != manifest.get("sha256"):
            problems.append(_("%(data)s：内容被修改（SHA-256 与清单不符）") % {"data": name})
        if manifest.get("previous", "") != previous_sha:
            problems.append(_("%(file)s：与上一个归档不衔接（有归档被删除、替换或插入）") % {"file": path.name})
        previous_sha = manifest.get("sha256", "")
    known = {m.get("file") for _p, m in manifests if m}
    for stray in sorted(folder.glob("audit-*.jsonl.gz")):
        if stray.name not in known:
            problems.append(_("%(data)s：没有对应的清单") % {"data": stray.name})
    return len(manifests), problems
