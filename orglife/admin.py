"""Admin: staff edit the record types and their requirements; records are read here and changed on the site."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin

from .models import PARTY_KIND_CHOICES, Attachment, Record, RecordEvent, RecordType, RequirementOverride


class RecordTypeForm(forms.ModelForm):
    applies_to = forms.MultipleChoiceField(label=_("适用组织类别"), choices=PARTY_KIND_CHOICES, required=False,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = RecordType
        fields = "__all__"


class OverrideInline(admin.TabularInline):
    model = RequirementOverride
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(RecordType)
class RecordTypeAdmin(admin.ModelAdmin):
    form = RecordTypeForm
    list_display = ["name", "code", "group", "period", "required_count", "kinds", "is_talk", "sort_order", "is_active"]
    list_editable = ["period", "required_count", "sort_order", "is_active"]
    list_filter = ["group", "period", "is_active"]
    search_fields = ["name", "aliases", "code"]
    inlines = [OverrideInline]

    @admin.display(description=_("适用组织类别"))
    def kinds(self, obj):
        labels = dict(PARTY_KIND_CHOICES)
        return "、".join(str(labels.get(kind, kind)) for kind in obj.applies_to or [])

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []  # the code is part of reminder keys

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.records.exists():
            return False  # deactivate a type in use instead
        return super().has_delete_permission(request, obj)


@admin.register(RequirementOverride)
class RequirementOverrideAdmin(admin.ModelAdmin):
    list_display = ["record_type", "org_kind", "organisation", "period", "required_count", "note"]
    list_filter = ["record_type", "org_kind"]
    list_select_related = ["record_type", "organisation"]
    autocomplete_fields = ["organisation"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # files come with the record on the site


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    """Read-only: entries and corrections go through the site, where the rules are checked."""

    list_display = ["date", "organisation", "type_names", "topic", "status", "created_by"]
    list_filter = ["status", "types", "organisation__kind"]
    list_select_related = ["organisation", "created_by"]
    search_fields = ["topic", "organisation__name", "host_name"]
    date_hierarchy = "date"
    inlines = [AttachmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("types")

    @admin.display(description=_("类型"))
    def type_names(self, obj):
        return "、".join(t.name for t in obj.types.all())


@admin.register(RecordEvent)
class RecordEventAdmin(ReadOnlyAdmin):
    list_display = ["record", "action", "actor", "at", "comment"]
    list_filter = ["action"]
    list_select_related = ["record__organisation", "actor"]
