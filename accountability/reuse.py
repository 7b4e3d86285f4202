"""Signs of 纸上整改: the same evidence file (by SHA-256 of its content) attached to different months, units or
measures, and progress text copied between units with only the name changed.

Fingerprints are computed incrementally (`fingerprints_refresh`, hourly and before the list page is shown) so
the flags are plain indexed queries."""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organisation
from rectification.models import Evidence as MeasureEvidence
from rectification.models import EventKind, MeasureEvent, MeasureUnit
from reports.models import EDITABLE, ReportLine
from reports.models import Evidence as ReportEvidence

from .models import EvidenceFingerprint, InstructionAttachment, TextFingerprint

MIN_TEXT = 20  # normalised characters: shorter texts ("已完成。") are alike by nature
BATCH = 500
_NOISE = re.compile(r"[\W\d_a-zA-Z]+", re.UNICODE)


def file_digest(field_file) -> str | None:
    try:
        with field_file.open("rb") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
    except (FileNotFoundError, ValueError, OSError):
        return None
    return digest.hexdigest()


class TextNormaliser:
    """Removes every organisation name, alias, digit, Latin letter, space and punctuation mark."""

    def __init__(self):
        names = set()
        for name, short, aliases in Organisation.objects.values_list("name", "short_name", "aliases"):
            names |= {name, short, *re.split(r"[\n\r,，、;；/|]+", aliases or "")}
        names = sorted((n.strip() for n in names if n and len(n.strip()) >= 2), key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names))) if names else None

    def digest(self, text: str) -> str | None:
        text = self.pattern.sub("", text or "") if self.pattern else (text or "")
        text = _NOISE.sub("", text)
        return hashlib.sha256(text.encode()).hexdigest() if len(text) >= MIN_TEXT else None


def _new(model, queryset):
    done = model.objects.filter(content_type=ContentType.objects.get_for_model(queryset.model)).values("object_id")
    return queryset.exclude(pk__in=done)


def _lead_units(measure_ids) -> dict[int, int]:
    lead = {}
    for measure_id, org_id in (MeasureUnit.objects.filter(measure__in=measure_ids)
                               .order_by("measure", "-is_lead", "position").values_list("measure_id",
                                                                                        "organisation_id")):
        lead.setdefault(measure_id, org_id)
    return lead


def _only(queryset, field: str, ids):
    """All rows, or (a review page refreshing what it shows) only those of `ids`."""
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def _evidence_prints(limit: int, lines=None, measures=None) -> int:
    rows = []  # written in one statement each, so a review page costs the same whatever its number of files
    ct = ContentType.objects.get_for_model(ReportEvidence)
    for ev in _new(EvidenceFingerprint, _only(ReportEvidence.objects, "line", lines).select_related(
            "line__report__organisation", "line__assignment__item"))[:limit]:
        sha = file_digest(ev.file)
        if sha:
            report = ev.line.report
            rows.append(EvidenceFingerprint(
                content_type=ct, object_id=ev.pk, sha256=sha, name=ev.original_name[:255],
                organisation_id=report.organisation_id, period=report.period, holder=f"reports.reportline:{ev.line_id}",
                holder_label=f"{report.organisation.name} {report.year}年{report.month}月 · "
                             f"{ev.line.assignment.item.content[:40]}"[:300],
                link=reverse("reports:detail", args=[report.pk])))
    ct = ContentType.objects.get_for_model(MeasureEvidence)
    pending = list(_new(EvidenceFingerprint, _only(MeasureEvidence.objects, "measure", measures)
                        .select_related("measure"))[:limit])
    lead = _lead_units([e.measure_id for e in pending]) if pending else {}
    for ev in pending:
        sha = file_digest(ev.file)
        if sha:
            rows.append(EvidenceFingerprint(
                content_type=ct, object_id=ev.pk, sha256=sha, name=ev.name[:255],
                organisation_id=lead.get(ev.measure_id), period=f"{ev.uploaded_at:%Y-%m}",
                holder=f"rectification.measure:{ev.measure_id}",
                holder_label=("整改措施 · " + ev.measure.text[:60])[:300],
                link=reverse("rectification:measure", args=[ev.measure_id])))
    if rows:
        EvidenceFingerprint.objects.bulk_create(rows, ignore_conflicts=True)  # a concurrent refresh may add one too
    made = len(rows)
    if lines is not None or measures is not None:
        return made  # replies to instructions are not under review; the hourly refresh takes them
    ct = ContentType.objects.get_for_model(InstructionAttachment)
    for att in _new(EvidenceFingerprint, InstructionAttachment.objects.filter(recipient__isnull=False)
                    .select_related("instruction", "recipient__organisation"))[:limit]:
        EvidenceFingerprint.objects.create(
            content_type=ct, object_id=att.pk, sha256=att.sha256 or file_digest(att.file) or "", name=att.name,
            organisation_id=att.recipient.organisation_id, period=f"{att.uploaded_at:%Y-%m}",
            holder=f"accountability.recipient:{att.recipient_id}",
            holder_label=f"{att.instruction.code} · {att.recipient.organisation.name}"[:300],
            link=reverse("accountability:instruction", args=[att.instruction_id]))
        made += 1
    return made


def _text_prints(limit: int, only_lines=None, measures=None) -> int:
    normaliser, made = None, 0
    ct = ContentType.objects.get_for_model(ReportLine)
    # A returned report may be rewritten: its lines are fingerprinted again when it is sent back in.
    TextFingerprint.objects.filter(content_type=ct, object_id__in=_only(ReportLine.objects, "pk", only_lines).filter(
        report__status__in=EDITABLE).values("pk")).delete()
    lines = _new(TextFingerprint, _only(ReportLine.objects, "pk", only_lines).exclude(report__status__in=EDITABLE).exclude(done_text="")
                 .select_related("report__organisation", "assignment__item"))[:limit]
    rows = []
    for line in lines:
        normaliser = normaliser or TextNormaliser()
        digest = normaliser.digest(line.done_text)
        report = line.report
        rows.append(TextFingerprint(
            content_type=ct, object_id=line.pk, digest=digest or "", excerpt=line.done_text[:200],
            organisation_id=report.organisation_id, period=report.period, holder=f"reports.reportline:{line.pk}",
            holder_label=f"{report.organisation.name} {report.year}年{report.month}月 · "
                         f"{line.assignment.item.content[:40]}"[:300],
            link=reverse("reports:detail", args=[report.pk])))
    ct = ContentType.objects.get_for_model(MeasureEvent)
    progress = _only(MeasureEvent.objects, "measure", measures).filter(kind=EventKind.PROGRESS).exclude(comment="")
    events = list(_new(TextFingerprint, progress.select_related("measure"))[:limit])
    lead = _lead_units([e.measure_id for e in events]) if events else {}
    for event in events:
        normaliser = normaliser or TextNormaliser()
        rows.append(TextFingerprint(
            content_type=ct, object_id=event.pk, digest=normaliser.digest(event.comment) or "",
            excerpt=event.comment[:200], organisation_id=lead.get(event.measure_id),
            period=f"{event.happened_on:%Y-%m}", holder=f"rectification.measure:{event.measure_id}",
            holder_label=("整改措施 · " + event.measure.text[:60])[:300],
            link=reverse("rectification:measure", args=[event.measure_id])))
    if rows:
        TextFingerprint.objects.bulk_create(rows, ignore_conflicts=True)
    made += len(rows)
    return made


def fingerprints_refresh(*, limit: int = BATCH) -> int:
    """Fingerprint up to `limit` new files and texts of each kind; returns how many were added."""
    stale_files = [(ContentType.objects.get_for_model(m), m) for m in (ReportEvidence, MeasureEvidence,
                                                                       InstructionAttachment)]
    for ct, model in stale_files:  # evidence deleted from a draft leaves no flag behind
        EvidenceFingerprint.objects.filter(content_type=ct).exclude(
            object_id__in=model.objects.values("pk")).delete()
    return _evidence_prints(limit) + _text_prints(limit)


def fingerprints_refresh_for(holders: list[str]) -> int:
    """Fingerprint what a review page shows ("reports.reportline:12", "rectification.measure:7") right away, so a
    report submitted a minute ago is compared with everything already fingerprinted."""
    ids = defaultdict(list)
    for holder in holders:
        kind, _sep, pk = holder.partition(":")
        if pk.isdigit():
            ids[kind].append(int(pk))
    lines, measures = ids.get("reports.reportline", []), ids.get("rectification.measure", [])
    return (_evidence_prints(BATCH, lines=lines, measures=measures)
            + _text_prints(BATCH, only_lines=lines, measures=measures))


@dataclass
class ReuseGroup:
    key: str
    rows: list

    @property
    def units(self) -> int:
        return len({r.organisation_id for r in self.rows})

    @property
    def holders(self) -> int:
        return len({r.holder for r in self.rows})


def reused_files(*, org_ids=None) -> list[ReuseGroup]:
    """Files whose content appears under more than one report line, measure or reply."""
    shared = (EvidenceFingerprint.objects.exclude(sha256="").values("sha256")
              .annotate(n=Count("holder", distinct=True)).filter(n__gt=1).values("sha256"))
    return _groups(EvidenceFingerprint.objects.filter(sha256__in=shared), "sha256", org_ids)


def copied_texts(*, org_ids=None) -> list[ReuseGroup]:
    """Progress texts identical once unit names are removed, written by more than one unit."""
    shared = (TextFingerprint.objects.exclude(digest="").values("digest")
              .annotate(n=Count("organisation", distinct=True)).filter(n__gt=1).values("digest"))
    return _groups(TextFingerprint.objects.filter(digest__in=shared), "digest", org_ids)


def _groups(queryset, key: str, org_ids) -> list[ReuseGroup]:
    grouped = defaultdict(list)
    for row in queryset.select_related("organisation").order_by(key, "period", "id"):
        grouped[getattr(row, key)].append(row)
    groups = [ReuseGroup(k, rows) for k, rows in grouped.items()
              if org_ids is None or any(r.organisation_id in org_ids for r in rows)]
    return sorted(groups, key=lambda g: (-g.units, -len(g.rows), g.key))


def flags_for(holders: list[str]) -> dict[str, list[str]]:
    """Warnings for the report lines or measures named ("reports.reportline:12"), for the review pages."""
    flags: dict[str, list[str]] = defaultdict(list)
    mine = list(EvidenceFingerprint.objects.filter(holder__in=holders).exclude(sha256="")
                .values_list("holder", "sha256", "name"))
    others = defaultdict(set)
    for sha, holder, label in EvidenceFingerprint.objects.filter(sha256__in={m[1] for m in mine}).values_list(
            "sha256", "holder", "holder_label"):
        others[sha].add((holder, label))
    for holder, sha, name in mine:
        elsewhere = sorted(label for h, label in others[sha] if h != holder)
        if elsewhere:
            flags[holder].append(_("佐证材料“%(name)s”与其他%(n)s处相同：%(where)s") % {
                "name": name, "n": len(elsewhere), "where": "；".join(elsewhere[:3])})
    texts = list(TextFingerprint.objects.filter(holder__in=holders).exclude(digest="")
                 .values_list("holder", "digest", "organisation_id"))
    same = defaultdict(set)
    for digest, org_id, label in TextFingerprint.objects.filter(digest__in={t[1] for t in texts}).values_list(
            "digest", "organisation_id", "holder_label"):
        same[digest].add((org_id, label))
    for holder, digest, org_id in texts:
        elsewhere = sorted(label for o, label in same[digest] if o != org_id)
        if elsewhere:
            flags[holder].append(_("进展文字与其他单位雷同（仅单位名称不同）：%(where)s") % {
                "where": "；".join(elsewhere[:3])})
    return dict(flags)
