"""Admin for the ledger: staff correct texts, people and departments; the workflow moves only through the pages."""
from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Batch, Evidence, Measure, MeasureEvent, MeasureState, MeasureUnit, Problem


def _struck_off(obj) -> bool:
    measure = obj if isinstance(obj, Measure) else getattr(obj, "measure", None)
    return measure is not None and measure.state == MeasureState.CLOSED


class FinalOnceStruckOff:
    """A struck-off (销号) measure is final: its text, people, departments and evidence stay as reviewed."""

    def has_change_permission(self, request, obj=None):
        return not _struck_off(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _struck_off(obj) and super().has_delete_permission(request, obj)

WORKFLOW_FIELDS = ["state", "closure_requested_by", "closure_requested_at", "closed_by", "closed_at",
                   "last_reviewed_on", "source_row"]


class ProblemInline(admin.TabularInline):
    model = Problem
    extra = 0
    can_delete = False
    fields = ["position", "seq", "category", "description"]


class MeasureUnitInline(FinalOnceStruckOff, admin.TabularInline):
    model = MeasureUnit
    extra = 0
    autocomplete_fields = ["organisation"]


class MeasureEventInline(admin.TabularInline):
    model = MeasureEvent
    extra = 0
    fields = ["happened_on", "kind", "actor", "comment", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # the timeline is written by the services only


class NoDeleteOnceReviewed:
    """Batches and problems carry timelines and struck-off measures: they are corrected, never deleted here."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Batch)
class BatchAdmin(NoDeleteOnceReviewed, admin.ModelAdmin):
    list_display = ["title", "source", "issuing_body", "feedback_on", "report_due_on", "created_at"]
    list_filter = ["source"]
    search_fields = ["title", "issuing_body"]
    readonly_fields = ["source_file", "created_by", "created_at"]
    inlines = [ProblemInline]


@admin.register(Problem)
class ProblemAdmin(NoDeleteOnceReviewed, admin.ModelAdmin):
    list_display = ["__str__", "batch", "category"]
    list_filter = ["batch"]
    list_select_related = ["batch"]
    search_fields = ["description", "category"]
    readonly_fields = ["source_row"]


@admin.register(Measure)
class MeasureAdmin(FinalOnceStruckOff, admin.ModelAdmin):
    list_display = ["__str__", "problem", "kind", "deadline_text", "due_on", "state"]
    list_filter = ["state", "kind", "problem__batch"]
    list_select_related = ["problem"]
    search_fields = ["text", "problem__description", "units_text", "person_text"]
    autocomplete_fields = ["leader", "person"]
    readonly_fields = WORKFLOW_FIELDS
    inlines = [MeasureUnitInline, MeasureEventInline]


@admin.register(MeasureEvent)
class MeasureEventAdmin(ReadOnlyAdmin):
    list_display = ["measure", "kind", "actor", "happened_on", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["measure", "actor"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["name", "measure", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["measure", "uploaded_by"]
    search_fields = ["name"]
    fields = ["measure", "event", "name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields  # files arrive with progress reports, and are downloaded through the measure page

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # evidence is what a 销号 rests on
