"""Template tags: the 问责 sub-navigation (the review pages of other apps get 纸上整改 signs via common.review_hints)."""
from django import template

from ..permissions import can_spot_check, reads_records, reads_reuse_flags

register = template.Library()


@register.inclusion_tag("accountability/_nav.html", takes_context=True)
def accountability_nav(context, tab: str):
    user = context["request"].user
    return {"tab": tab, "reads_records": reads_records(user), "can_spot_check": can_spot_check(user),
            "reads_reuse": reads_reuse_flags(user)}
