"""The objects the permission matrix opens: the demo agency, the few rows its seed leaves out, and for every kind
of object one row inside and one outside each user's scope."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import QuerySet

from accountability.models import (AccountabilityRecord, Instruction, InstructionAttachment, Recipient,
                                   RecordAttachment, SpotCheck, SpotCheckItem, TalkRecord)
from accountability.spotchecks import spot_check_draw
from assessment.models import Objection, Result, Scheme, Score
from branches.models import Organisation
from common.imports import background
from branches.scope import scope_for, visible_organisations
from notifications.calendar import calendar_feed_renew
from notifications.models import CalendarFeed, Level, Reminder
from ops.models import ImportJob
from orglife.models import Attachment, Record, RecordType
from rectification.models import Evidence as MeasureEvidence
from rectification.models import Measure
from reports.models import Evidence as ReportEvidence
from reports.models import MonthlyReport, ReportLine
from responsibility.models import Item, ResponsibilityList
from yearend.models import YearEndExport

# The import flows whose large uploads have a job page: matrix kind import_job_<app>.
IMPORT_FLOWS = {"responsibility": "responsibility.views.ListImport", "rectification": "rectification.views.LedgerImport",
                "orglife": "orglife.views.RecordImport"}

# Two units far apart in the tree: the first under 机关第一党支部 (zhengwei), the second under 执法一支部 (tangliang).
NEAR, FAR = "机关第一党支部", "执法一支部"
BUSINESS_USERS = ("zhengwei", "tangliang", "liming", "zhangjianguo", "wumin", "sunli", "chengang", "liuyang",
                  "zhoutao")


def _file(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4 matrix\n", name=name)


def seed_missing_rows(*, today: datetime.date, users: dict) -> None:
    """Rows the demo seed does not make, one per side of the tree, so that every URL has something to open."""
    staff, inspector = users["wumin"], users["chengang"]
    for org_name, author in ((NEAR, users["zhengwei"]), (FAR, users["tangliang"])):
        org = Organisation.objects.get(name=org_name)
        record = Record.objects.create(organisation=org, date=today - datetime.timedelta(days=3), topic="支部党员大会",
                                       created_by=author)
        record.types.add(RecordType.objects.first())
        attachment = Attachment(record=record, original_name="纪要.pdf", size=16, uploaded_by=author)
        attachment.file.save("纪要.pdf", _file("纪要.pdf"))
        line = ReportLine.objects.filter(report__organisation=org).first()
        if line is not None:
            evidence = ReportEvidence(line=line, original_name="佐证.pdf", size=16, uploaded_by=author)
            evidence.file.save("佐证.pdf", _file("佐证.pdf"))
        other = users["tangliang" if author.username == "zhengwei" else "zhengwei"]
        measure = Measure.objects.visible_to(author).exclude(pk__in=Measure.objects.visible_to(other)).first()
        if measure is not None:
            MeasureEvidence.objects.create(measure=measure, file=_file("整改.pdf"), name="整改.pdf", size=16,
                                           uploaded_by=author)
        YearEndExport.objects.create(requested_by=author, year=today.year, organisation=org, status="done",
                                     workbook=_file("台账.xlsx"), draft=_file("初稿.docx"))
    for flow in IMPORT_FLOWS.values():  # a large upload waiting for its job: the uploader's and someone else's
        for uploader in (staff, users["zhengwei"]):
            ImportJob.objects.create(flow=flow, uploaded_by=uploader, token="0" * 32, file_name="表.xlsx", rows=2000,
                                     data=background.dumps({}))
        result = Result.objects.filter(organisation=org).first()
        if result is not None:
            Objection.objects.create(result=result, text="得分有误", raised_by=author)
    report_type = ContentType.objects.get_for_model(MonthlyReport)
    for n, username in enumerate(BUSINESS_USERS + ("sysadmin",)):
        Reminder.objects.create(content_type=report_type, object_id=10_000 + n, stage="matrix",
                                recipient=users[username], level=Level.GREEN, title="矩阵提醒", on_date=today,
                                run=f"00000000-0000-0000-0000-{n:012d}")
        calendar_feed_renew(user=users[username])
    for instruction in Instruction.objects.all()[:2]:
        InstructionAttachment.objects.create(instruction=instruction, file=_file("督办.pdf"), name="督办.pdf",
                                             uploaded_by=staff)
    for record in AccountabilityRecord.objects.all():
        RecordAttachment.objects.create(record=record, file=_file("决定.pdf"), name="决定.pdf", uploaded_by=inspector)
    _seed_admin_rows(users)
    spot_check_draw(actor=inspector, kind="report_lines", date_from=datetime.date(today.year - 1, 1, 1),
                    date_to=today, size=30, seed=7)


def _seed_admin_rows(users: dict) -> None:
    """One row of each admin model the demo leaves empty, so that its change, delete and history pages open a row."""
    from auditlog.models import LogEntry as AuditEntry  # noqa: F401  (filled by the seed itself)
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group

    from accountability.models import AccessLog as RecordReadLog
    from notifications.models import ReminderSettings, Webhook
    from orglife.models import RecordEvent, RequirementOverride

    org = Organisation.objects.get(name=NEAR)
    Group.objects.create(name="矩阵")
    # A name nobody signs in with: a successful login clears that user's attempts.
    AccessAttempt.objects.create(username="nobody", ip_address="10.0.0.1", user_agent="matrix", failures_since_start=1)
    AccessLog.objects.create(username="zhengwei", ip_address="10.0.0.1", user_agent="matrix")
    AccessFailureLog.objects.create(username="zhengwei", ip_address="10.0.0.1", user_agent="matrix")
    LogEntry.objects.log_actions(user_id=users["wumin"].pk, queryset=[org], action_flag=ADDITION)
    RequirementOverride.objects.create(record_type=RecordType.objects.first(), organisation=org, period="year",
                                       required_count=1)
    RecordEvent.objects.create(record=Record.objects.first(), action=RecordEvent._meta.get_field("action").choices[0][0],
                               actor=users["zhengwei"])
    ReminderSettings.objects.get_or_create(pk=1)
    Webhook.objects.create(organisation=org, kind=Webhook.Kind.choices[0][0], url="https://robot.invalid/hook")
    RecordReadLog.objects.create(record=AccountabilityRecord.objects.first(), user=users["chengang"], action="view")


# ---------------------------------------------------------------- which row is inside and outside a scope

@dataclass(frozen=True)
class Kind:
    """A kind of object a URL opens: all its rows, and the rows a user may see (the design, not the view)."""

    name: str
    rows: Callable[[], QuerySet]
    visible: Callable[[object], QuerySet]
    key: str = "pk"
    arg: str = "pk"
    # A credential in the URL (a calendar token) opens its own row for anyone: "outside" is a token nobody holds.
    forged: str | None = None

    def inside(self, user):
        return self.visible(user).order_by("pk").first()

    def outside(self, user):
        if self.forged is not None:
            return SimpleNamespace(**{self.key: self.forged})
        visible = self.visible(user).values("pk")
        return self.rows().exclude(pk__in=visible).order_by("pk").first()

    def value(self, row):
        return getattr(row, self.key)


def _orgs(user):
    return scope_for(user).filter_organisations(Organisation.objects.all())


def _by_org(model_rows, path="organisation"):
    return lambda user: scope_for(user).filter_by_organisation(model_rows(), path)


# 问责 records are read by the discipline roles and the party secretary (党组书记) only, whatever their scope.
DISCIPLINE_READERS = frozenset({"chengang", "liuyang", "zhoutao", "zhangjianguo"})
SPOT_CHECKERS = frozenset({"chengang", "liuyang", "zhoutao"})


def _discipline(user) -> bool:
    return user.username in DISCIPLINE_READERS


KINDS = {kind.name: kind for kind in [
    Kind("organisation", Organisation.objects.all, lambda u: visible_organisations(u)),
    Kind("orglife_record", Record.objects.all, lambda u: Record.objects.visible_to(u)),
    Kind("orglife_attachment", Attachment.objects.all,
         lambda u: Attachment.objects.filter(record__in=Record.objects.visible_to(u))),
    Kind("list", ResponsibilityList.objects.all, lambda u: ResponsibilityList.objects.visible_to(u)),
    Kind("item", Item.objects.all, lambda u: Item.objects.visible_to(u)),
    *(Kind(f"import_job_{app}", lambda flow=flow: ImportJob.objects.filter(flow=flow),
           lambda u, flow=flow: ImportJob.objects.filter(flow=flow, uploaded_by=u))
      for app, flow in IMPORT_FLOWS.items()),
    Kind("yearend_export", YearEndExport.objects.all,
         lambda u: YearEndExport.objects.filter(requested_by=u, organisation__in=_orgs(u))),
    Kind("report", MonthlyReport.objects.all, lambda u: MonthlyReport.objects.visible_to(u)),
    Kind("report_evidence", ReportEvidence.objects.all,
         lambda u: ReportEvidence.objects.filter(line__report__in=MonthlyReport.objects.visible_to(u))),
    Kind("measure", Measure.objects.all, lambda u: Measure.objects.visible_to(u)),
    Kind("measure_evidence", MeasureEvidence.objects.all,
         lambda u: MeasureEvidence.objects.filter(measure__in=Measure.objects.visible_to(u))),
    Kind("notification", Reminder.objects.all, lambda u: Reminder.objects.filter(recipient_id=u.pk)),
    Kind("calendar", CalendarFeed.objects.all, lambda u: CalendarFeed.objects.filter(user_id=u.pk), key="token",
         arg="token", forged="x" * 43),
    Kind("scheme", Scheme.objects.all, lambda u: Scheme.objects.visible_to(u) if u.is_authenticated
         else Scheme.objects.none(), key="year", arg="year"),
    Kind("result", Result.objects.all, lambda u: Result.objects.visible_to(u).filter(is_active=True)),
    Kind("score", Score.objects.all,
         lambda u: Score.objects.filter(result__in=Result.objects.visible_to(u).filter(is_active=True))),
    Kind("objection", Objection.objects.all,
         lambda u: Objection.objects.filter(result__in=Result.objects.visible_to(u))),
    Kind("instruction", Instruction.objects.all, lambda u: Instruction.objects.visible_to(u)),
    Kind("recipient", Recipient.objects.all, _by_org(Recipient.objects.all)),
    Kind("instruction_attachment", InstructionAttachment.objects.all,
         lambda u: InstructionAttachment.objects.filter(instruction__in=Instruction.objects.visible_to(u))),
    Kind("talk", TalkRecord.objects.all, lambda u: TalkRecord.objects.visible_to(u)),
    Kind("accountability_record", AccountabilityRecord.objects.all,
         lambda u: AccountabilityRecord.objects.all() if _discipline(u) else AccountabilityRecord.objects.none()),
    Kind("accountability_record_attachment", RecordAttachment.objects.all,
         lambda u: RecordAttachment.objects.all() if _discipline(u) else RecordAttachment.objects.none()),
    Kind("spot_check", SpotCheck.objects.all,
         lambda u: SpotCheck.objects.all() if _inspector(u) else SpotCheck.objects.none()),
    Kind("spot_item", SpotCheckItem.objects.all,
         lambda u: SpotCheckItem.objects.all() if _inspector(u) else SpotCheckItem.objects.none()),
]}


def _inspector(user) -> bool:
    return user.username in SPOT_CHECKERS
