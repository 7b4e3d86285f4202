"""Organisational life in the to-do inbox: the meetings the organisations the user runs must still hold this period,
and for a 班子成员 the talks still due this year with the heads of the units they supervise."""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.scope import scope_for
from common.todo import Todo

from .compliance import Status, leader_talks
from .selectors import my_gaps


def orglife_todos(user, today: datetime.date):
    for result in my_gaps(user=user, today=today):
        link = reverse("orglife:organisation", args=[result.organisation.pk])
        for check in result.open_gaps:
            yield Todo(_("本期还需召开的组织生活"), result.organisation.name + _("：") + check.message(today), link, order=45,
                       due_on=check.period.end, note=_("应%(required)s次，已记录%(held)s次") % {
                           "required": check.required, "held": check.held})


def leader_talk_todos(user, today: datetime.date):
    """A 分管 leader's open talk pairs this year (three queries, only for people who supervise a unit)."""
    person = getattr(user, "person", None) if scope_for(user).supervised_org_ids else None
    if person is None:
        return
    link = reverse("orglife:talks")
    for row in leader_talks(year=today.year, today=today):
        if row.leader.pk != person.pk:
            continue
        for pair in row.pairs:
            if pair.status == Status.OPEN:
                yield Todo(_("本年度还需开展的谈心谈话"), _("与%(unit)s负责人%(head)s谈话") % {
                    "unit": pair.unit.name, "head": pair.head.name}, link, order=46,
                    due_on=datetime.date(today.year, 12, 31),
                    note=_("已谈 %(held)s 次，每年至少 %(required)s 次") % {"held": pair.held, "required": pair.required})
