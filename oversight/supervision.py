"""The dashboards' 督办/约谈/问责 figures for a year and subtree, and the rows behind each (accountability.figures
defines the row sets, so a figure and its list always agree). 问责 records only for the roles allowed to read them."""
from __future__ import annotations

import datetime

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accountability.figures import (RECIPIENT_SETS, Figures, figures, instructions_in, recipient_set, records_in,
                                    talks_in)
from accountability.models import AccountabilityForm, InstructionKind
from accountability.permissions import reads_records
from accountability.records import access_log, records_visible_to
from branches.scope import Subtree

RECIPIENT_LABELS = {"all": _("承办家次"), "acked_on_time": _("按时签收"), "replied_on_time": _("按时反馈"),
                    "overdue": _("逾期未反馈")}


def year_figures(*, user, year: int, subtree: Subtree, today: datetime.date) -> Figures:
    return figures(year=year, today=today, org_ids=subtree.org_ids, with_records=reads_records(user), user=user)


def instruction_list(*, year: int, subtree: Subtree, kind: str = ""):
    """The instructions behind 发出督办单/交办: those addressed to the subtree (each counted once)."""
    kind = kind if kind in InstructionKind.values else ""
    return list(instructions_in(year=year, org_ids=subtree.org_ids, kind=kind)
                .select_related("issuing_org").order_by("kind", "-number"))


def recipient_list(*, which: str, year: int, subtree: Subtree, today: datetime.date):
    which = which if which in RECIPIENT_SETS else "all"
    return list(recipient_set(which, year=year, today=today, org_ids=subtree.org_ids)
                .select_related("instruction", "organisation")
                .order_by("-instruction__number", "organisation__sort_order", "pk"))


def talk_list(*, user, year: int, subtree: Subtree):
    talks = talks_in(year=year, org_ids=subtree.org_ids, user=user)
    return list(talks.select_related("organisation").prefetch_related("interviewees").order_by("-held_on", "-pk"))


def record_list(*, user, year: int, subtree: Subtree, form: str = "", request=None):
    """The 问责 records behind a figure: a 404 for anyone who may not read them, and the read is logged."""
    if not reads_records(user):
        raise Http404
    form = form if form in AccountabilityForm.values else ""
    records = records_in(year=year, org_ids=subtree.org_ids, form=form) & records_visible_to(user)
    access_log(user=user, action="list", request=request,
               detail=f"监督看板 year={year}" + (f"，form={form}" if form else "")
               + (f"，org={subtree.root.pk}" if subtree.root else ""))
    return list(records.select_related("person", "organisation").order_by("-decided_on", "-pk"))
