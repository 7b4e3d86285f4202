"""The year's 督办/约谈/问责 figures for the overview, the 纪检 dashboards and the year-end workbook.

Each figure is the count of one row set defined here, and its drill-down lists that same row set, so a figure and
the rows behind it always agree. `org_ids` is the organisations covered (already narrowed to what the reader may
see; None: the whole agency)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from branches.models import Post
from common import statements

from .models import (AccountabilityForm, AccountabilityRecord, Instruction, InstructionKind, Recipient, SubjectKind,
                     TalkRecord)
from .models.instructions import OPEN_STATES

# The recipient rows (承办家次) behind each instruction figure.
RECIPIENT_SETS = ("all", "acked_on_time", "replied_on_time", "overdue")


def recipients_in(*, year: int, org_ids=None):
    """Every recipient row of the year's instructions still in force (a withdrawn instruction counts nowhere)."""
    rows = Recipient.objects.filter(instruction__year=year).exclude(instruction__status="withdrawn")
    return rows if org_ids is None else rows.filter(organisation__in=org_ids)


def recipient_set(which: str, *, year: int, today: datetime.date, org_ids=None):
    rows = recipients_in(year=year, org_ids=org_ids).with_timeliness()
    condition = {
        "acked_on_time": Q(acked_on_time=True),
        "replied_on_time": Q(replied_on_time=True),
        "overdue": Q(state__in=OPEN_STATES, instruction__due_on__lt=today),
    }.get(which)
    return rows if condition is None else rows.filter(condition)


def instructions_in(*, year: int, org_ids=None, kind: str = ""):
    """The year's instructions addressed to at least one organisation covered."""
    found = Instruction.objects.filter(pk__in=recipients_in(year=year, org_ids=org_ids).values("instruction_id"))
    return found.filter(kind=kind) if kind else found


def talks_in(*, year: int, org_ids=None, user=None):
    """The year's talks with a unit covered, or with someone holding a post in one; only those `user` may read."""
    talks = TalkRecord.objects.filter(held_on__year=year)
    if user is not None:
        talks = talks.filter(pk__in=TalkRecord.objects.visible_to(user).values("pk"))
    if org_ids is not None:
        people = Post.objects.current().filter(organisation__in=org_ids).values("person")
        covered = TalkRecord.objects.filter(Q(organisation__in=org_ids) | Q(interviewees__in=people)).values("pk")
        talks = talks.filter(pk__in=covered)
    return talks


def talk_counts(talks) -> tuple[int, int]:
    """(talks, 人次): each person talked to; a talk with a unit's leadership and nobody named counts one."""
    counted = list(TalkRecord.objects.filter(pk__in=talks.values("pk")).annotate(n=Count("interviewees"))
                   .values_list("n", flat=True))
    return len(counted), sum(n or 1 for n in counted)


def records_in(*, year: int, org_ids=None, form: str = ""):
    """The year's 问责 records (by decision date) of the organisations covered. Callers check who may read them."""
    records = AccountabilityRecord.objects.filter(decided_on__year=year)
    if org_ids is not None:
        records = records.filter(organisation__in=org_ids)
    return records.filter(form=form) if form else records


@dataclass
class Figures:
    year: int
    supervise: int
    assign: int
    recipients: int
    acked_on_time: int
    replied_on_time: int
    overdue: int
    talks: int
    talk_people: int
    records: int
    by_form: dict[str, int]
    people_held: int = 0  # 问责 records naming a person (the rest name a unit)
    with_records: bool = True

    @property
    def issued(self) -> int:
        return self.supervise + self.assign

    @property
    def units_held(self) -> int:
        return self.records - self.people_held


def figures(*, year: int, today: datetime.date, org_ids=None, with_records: bool = True, user=None) -> Figures:
    """The year's counts within `org_ids`; 问责 only when `with_records` (the reader may see 问责 records); talks
    only those `user` may read when a user is given."""
    # These statements depend on the year, day and organisations only: compiled once per distinct inputs.
    covered = None if org_ids is None else frozenset(org_ids)
    kinds = dict(statements.rows(("duban.kinds", year, covered), lambda: instructions_in(
        year=year, org_ids=org_ids).values_list("kind").annotate(n=Count("pk")).order_by()))
    counts = statements.aggregate(("duban.recipients", year, today, covered), lambda: recipient_set(
        "all", year=year, today=today, org_ids=org_ids).aggregate(
        total=Count("pk"), acked=Count("pk", filter=Q(acked_on_time=True)),
        replied=Count("pk", filter=Q(replied_on_time=True)),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES, instruction__due_on__lt=today))))
    talks, people = talk_counts(talks_in(year=year, org_ids=org_ids, user=user))
    by_form = {form.value: 0 for form in AccountabilityForm}
    people_held = 0
    if with_records:
        counted = dict(statements.aggregate(("duban.records", year, covered), lambda: records_in(
            year=year, org_ids=org_ids).aggregate(
            people=Count("pk", filter=Q(subject_kind=SubjectKind.PERSON)),
            **{form.value: Count("pk", filter=Q(form=form.value)) for form in AccountabilityForm})))
        people_held = counted.pop("people")
        by_form.update(counted)
    return Figures(year=year, supervise=kinds.get(InstructionKind.SUPERVISE, 0),
                   assign=kinds.get(InstructionKind.ASSIGN, 0), recipients=counts["total"],
                   acked_on_time=counts["acked"], replied_on_time=counts["replied"], overdue=counts["overdue"],
                   talks=talks, talk_people=people, records=sum(by_form.values()),
                   by_form=by_form, people_held=people_held, with_records=with_records)
