"""Month names as each language writes them: 10月 in Chinese, October (or Oct in tight table headers) in English."""
from django import template
from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3

register = template.Library()


def _month(value):
    try:
        month = int(value)
    except (TypeError, ValueError):
        return None
    return month if 1 <= month <= 12 else None


@register.filter
def month_name(value) -> str:
    month = _month(value)
    if month is None:
        return str(value)
    if (translation.get_language() or "").startswith("zh"):
        return f"{month}月"
    return str(MONTHS[month])


@register.filter
def month_short(value) -> str:
    month = _month(value)
    if month is None:
        return str(value)
    if (translation.get_language() or "").startswith("zh"):
        return f"{month}月"
    return str(MONTHS_3[month]).capitalize()
