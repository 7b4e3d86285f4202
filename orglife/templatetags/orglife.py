"""Organisational-life cards for pages of other apps: the secretary's open gaps on home and organisation pages."""
from django import template
from django.utils import timezone

from branches.scope import scope_for

from .. import selectors

register = template.Library()


@register.inclusion_tag("orglife/_my_gaps.html", takes_context=True)
def orglife_my_gaps(context):
    """Home: what the organisations the user runs still have to hold this month, quarter and year."""
    user = context["request"].user
    return {"results": selectors.my_gaps(user=user, today=timezone.localdate())}


@register.inclusion_tag("orglife/_organisation_card.html", takes_context=True)
def orglife_organisation_card(context, organisation):
    """Organisation page: a link to its records for everyone who sees it; the open gaps for whoever runs it
    (read only for them, so the page costs others no query)."""
    user = context["request"].user
    results = []
    if organisation.is_party_organisation and organisation.pk in scope_for(user).led_org_ids:
        today = timezone.localdate()
        results = [r for r in selectors.current_gaps(organisations=[organisation], today=today) if r.open_gaps]
    return {"organisation": organisation, "results": results, "shown": organisation.is_party_organisation}


@register.filter
def gap_message(check, today):
    """A check's sentence as of today: "本季度还需召开支部党员大会1次", "2026年1月少召开支委会1次（…）"."""
    return check.message(today)


@register.filter
def cell_title(cell, today):
    return cell.title(today) if cell else ""


@register.filter
def requirement_text(requirement):
    """每季度至少1次."""
    from ..periods import PeriodKind

    return f"{PeriodKind(requirement.period).label}至少{requirement.count}次"
