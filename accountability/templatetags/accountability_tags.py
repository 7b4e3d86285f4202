"""Template tags: the 问责 sub-navigation, and the 纸上整改 flags shown on the review pages of other apps."""
from django import template

from accounts.models import Role
from branches.scope import scope_for

from ..permissions import can_spot_check, reads_records
from ..reuse import flags_for

register = template.Library()


@register.inclusion_tag("accountability/_nav.html", takes_context=True)
def accountability_nav(context, tab: str):
    user = context["request"].user
    return {"tab": tab, "reads_records": reads_records(user), "can_spot_check": can_spot_check(user)}


@register.simple_tag(takes_context=True)
def reuse_flags(context, holders):
    """{holder: [warning, …]} for "reports.reportline:12"-style holders; only the discipline side and reviewers
    see these signs, so the tag returns nothing for anyone else."""
    user = context["request"].user
    if not (user.is_superuser or scope_for(user).has_role(Role.STAFF, Role.INSPECTOR)):
        return {}
    return flags_for(list(holders))


@register.filter
def lookup(mapping, key):
    return (mapping or {}).get(key, [])
