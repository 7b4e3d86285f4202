"""Admin for the scheme: staff keep the year's indicators (checked to add up to the total) and enter votes.

Scores, results and objections move only through the assessment pages; here they are read-only."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from common.admin import ReadOnlyAdmin

from .computing import scheme_check
from .models import Indicator, Objection, Result, Scheme, SchemeStatus, Score, Vote

EDITABLE = (SchemeStatus.DRAFT, SchemeStatus.COMPUTED)


def _locked(obj) -> bool:
    scheme = obj if isinstance(obj, Scheme) else getattr(obj, "scheme", None)
    return scheme is not None and scheme.status not in EDITABLE


class IndicatorFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f.instance for f in self.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.instance.points is not None]
        scheme = self.instance
        try:
            scheme_check(scheme, kept)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class IndicatorInline(admin.TabularInline):
    model = Indicator
    formset = IndicatorFormSet
    extra = 0
    fields = ["position", "category", "name", "content", "points", "rule", "deduction", "cap_grade"]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    fields = ["organisation", "voters", "good", "fairly_good", "average", "poor", "source"]
    autocomplete_fields = ["organisation"]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "total_points", "units_text", "status"]
    readonly_fields = ["status", "computed_at", "as_of", "published_at", "objection_until", "finalised_at",
                       "finalised_by", "progress", "stage"]
    exclude = ["created_by"]
    inlines = [IndicatorInline, VoteInline]
    fieldsets = [
        (None, {"fields": ["year", "title", "total_points", "units_text", "objection_days"]}),
        ("等次", {"fields": ["excellent_min", "good_min", "fair_min", "excellent_share", "bonus_cap"]}),
        ("述职评议折算分", {"fields": ["weight_good", "weight_fairly_good", "weight_average", "weight_poor"]}),
        ("进度", {"fields": ["status", "computed_at", "as_of", "published_at", "objection_until", "finalised_at",
                           "finalised_by", "progress", "stage"]}),
    ]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == SchemeStatus.DRAFT) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "organisation", "total", "rank", "grade"]
    list_filter = ["scheme", "grade"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["result", "indicator", "computed", "entered", "points"]
    list_filter = ["result__scheme"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["result", "raised_by", "raised_at", "answered_at"]
