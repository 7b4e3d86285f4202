"""Committee terms in the to-do inbox (terms to renew, for whoever runs the organisation and 党建 staff) and in the
calendar feed (term end dates in the user's scope)."""
from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from common.todo import Deadline, Todo

from .models import CommitteeTerm
from .scope import scope_for

RENEWAL_WINDOW_DAYS = 180  # as the home page's 换届提醒 and the first term reminder


def _to_renew(user, today: datetime.date):
    scope = scope_for(user)
    terms = CommitteeTerm.objects.expiring(today, within_days=RENEWAL_WINDOW_DAYS).filter(organisation__is_active=True)
    if scope.has_role(Role.STAFF) or user.is_superuser:
        return terms
    if not scope.led_org_ids:
        return CommitteeTerm.objects.none()
    return terms.filter(organisation__in=scope.led_org_ids)


def term_todos(user, today: datetime.date):
    for term in _to_renew(user, today).select_related("organisation"):
        left = term.days_left(today)
        ends = f"{term.ends_on:%Y-%m-%d}"
        note = (_("已于 %(date)s 届满") % {"date": ends} if left < 0
                else _("%(date)s 届满，还有 %(n)s 天") % {"date": ends, "n": left})
        yield Todo(_("需要换届的组织"), _("%(org)s委员会换届") % {"org": term.organisation.name}, reverse("branches:detail",
                   args=[term.organisation_id]), order=40, due_on=term.ends_on, overdue_days=max(0, -left), note=note)


def term_todo_count(user, today: datetime.date) -> int:
    return _to_renew(user, today).count()


def term_deadlines(user, start: datetime.date, end: datetime.date):
    terms = scope_for(user).filter_by_organisation(
        CommitteeTerm.objects.current().with_end().filter(ends__gte=start, ends__lte=end, organisation__is_active=True)
    ).select_related("organisation")
    for term in terms:
        yield Deadline(f"term-{term.pk}", f"{term.organisation.name}委员会任期届满", term.ends_on,
                       reverse("branches:detail", args=[term.organisation_id]))
