"""Organisational life in the to-do inbox: the meetings the organisations the user runs must still hold this period,
and for a 班子成员 the talks still due this year with the heads of the units they supervise.

Both are decided in Python (the rulebook's overrides and periods, the heads on record), so their counts are the
length of the same lists, not SQL counts; that work is bounded by what the user runs or supervises (a handful of
organisations), at a fixed number of queries."""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.scope import scope_for
from common.todo import Todo

from .compliance import Status, leader_talks
from .selectors import my_gaps


def _open_checks(user, today: datetime.date):
    return [(result.organisation, check) for result in my_gaps(user=user, today=today) for check in result.open_gaps]


def orglife_todos(user, today: datetime.date):
    for organisation, check in _open_checks(user, today):
        yield Todo(_("本期还需召开的组织生活"), organisation.name + _("：") + check.message(today),
                   reverse("orglife:organisation", args=[organisation.pk]), order=45, due_on=check.period.end,
                   note=_("应%(required)s次，已记录%(held)s次") % {"required": check.required, "held": check.held})


def orglife_todo_count(user, today: datetime.date) -> int:
    return len(_open_checks(user, today))


def _open_talks(user, today: datetime.date):
    """A 分管 leader's open talk pairs this year (three queries, only for people who supervise a unit)."""
    person = getattr(user, "person", None) if scope_for(user).supervised_org_ids else None
    if person is None:
        return []
    return [pair for row in leader_talks(year=today.year, today=today, leader=person) for pair in row.pairs
            if pair.status == Status.OPEN]


def leader_talk_todos(user, today: datetime.date):
    link = reverse("orglife:talks")
    for pair in _open_talks(user, today):
        yield Todo(_("本年度还需开展的谈心谈话"), _("与%(unit)s负责人%(head)s谈话") % {
            "unit": pair.unit.name, "head": pair.head.name}, link, order=46, due_on=datetime.date(today.year, 12, 31),
            note=_("已谈 %(held)s 次，每年至少 %(required)s 次") % {"held": pair.held, "required": pair.required})


def leader_talk_todo_count(user, today: datetime.date) -> int:
    return len(_open_talks(user, today))
