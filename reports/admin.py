"""Admin for monthly reports: read-only; reports change only through the report pages and their services."""
from django.contrib import admin

from common.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Evidence, MonthlyReport, ReportEvent, ReportLine


class ReportLineInline(ReadOnlyInline):
    model = ReportLine

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignment__item", "assignment__organisation")
    fields = ["assignment", "status", "done_text", "problems", "next_steps", "review_comment"]
    readonly_fields = fields


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "year", "month", "status", "due_on", "submitted_at", "days_late"]
    list_filter = ["year", "month", "status"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    inlines = [ReportLineInline]


@admin.register(ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "action", "actor", "at", "comment"]
    list_filter = ["action"]
    list_select_related = ["report__organisation", "actor"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "line", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["line__report__organisation", "line__assignment__item", "uploaded_by"]
