"""The 纸上整改 signs offered to the review pages of monthly reports and measure closure (common.review_hints)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from common.review_hints import ReviewHints

from .permissions import reads_reuse_flags
from .reuse import fingerprints_refresh_for, flags_for


def reuse_hints(user, holders: list[str]) -> ReviewHints | None:
    """Reused evidence and copied text among what is under review, linking to the full list."""
    if not reads_reuse_flags(user):
        return None
    try:
        fingerprints_refresh_for(holders)
    except OSError:  # an unreadable file must not hide the flags already found
        pass
    return ReviewHints(flags_for(holders), reverse("accountability:reuse"), _("查看全部纸上整改线索"))
