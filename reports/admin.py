"""Admin for monthly reports: read-only; reports change only through the report pages and their services."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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
    # Not the file field itself: evidence has no public URL, so it is downloaded through the report's own view,
    # which checks the reader's scope.
    fields = ["line", "original_name", "size", "uploaded_by", "uploaded_at", "download"]
    readonly_fields = fields

    @admin.display(description=_("下载"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("reports:evidence", args=[obj.pk]), obj.original_name)
