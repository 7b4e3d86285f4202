"""What users read of their year-end exports: only their own, while the organisation is still in their scope."""
from __future__ import annotations

from django.http import Http404

from branches.scope import scope_for

from .models import YearEndExport


def year_end_export_get(*, user, pk) -> YearEndExport:
    """The user's own export, while its organisation is still in their scope; anything else is a 404."""
    try:
        export = YearEndExport.objects.select_related("organisation").get(pk=pk, requested_by=user)
    except (YearEndExport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if export.organisation_id is not None and not scope_for(user).can_see(export.organisation_id):
        raise Http404
    return export


def year_end_exports_recent(*, user, limit: int = 10) -> list[YearEndExport]:
    return list(YearEndExport.objects.filter(requested_by=user).select_related("organisation")[:limit])
