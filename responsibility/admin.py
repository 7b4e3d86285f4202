"""Admin for lists and items: drafts are edited here; published lists are read-only."""
from django.contrib import admin

from common.admin import ImportExportAdmin

from .models import Assignment, Item, ItemUnit, ListStatus, ResponsibilityList
from .resources import ItemResource


class LockedWhenPublished:
    def has_change_permission(self, request, obj=None):
        rlist = getattr(obj, "responsibility_list", obj)
        if rlist is not None and getattr(rlist, "status", ListStatus.DRAFT) != ListStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        rlist = getattr(obj, "responsibility_list", obj)
        if rlist is not None and getattr(rlist, "status", ListStatus.DRAFT) != ListStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


class ItemUnitInline(admin.TabularInline):
    model = ItemUnit
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(ResponsibilityList)
class ResponsibilityListAdmin(LockedWhenPublished, admin.ModelAdmin):
    list_display = ["title", "year", "kind", "revision", "status", "published_at"]
    list_filter = ["year", "kind", "status"]
    search_fields = ["title"]
    readonly_fields = ["status", "revision", "previous", "created_by", "created_at", "published_by", "published_at"]
    autocomplete_fields = ["owner_organisation", "owner_person"]

    def has_add_permission(self, request):
        return False  # lists arrive by import (or as a revision), never empty from here


@admin.register(Item)
class ItemAdmin(LockedWhenPublished, ImportExportAdmin):
    resource_classes = [ItemResource]
    list_display = ["__str__", "responsibility_list", "category", "frequency", "deadline_text"]
    list_filter = ["responsibility_list__year", "responsibility_list", "frequency"]
    list_select_related = ["responsibility_list"]
    search_fields = ["content", "tasks", "category"]
    autocomplete_fields = ["lead_leader", "person", "department_head"]
    readonly_fields = ["frequency", "due_dates", "final_due_on", "source_row"]
    inlines = [ItemUnitInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["item", "organisation", "person", "is_lead", "is_active"]
    list_filter = ["is_active", "is_lead", "item__responsibility_list"]
    list_select_related = ["item", "organisation", "person"]
    search_fields = ["item__content", "organisation__name"]
    autocomplete_fields = ["person"]
    readonly_fields = ["item", "organisation", "is_lead", "is_active"]

    def has_add_permission(self, request):
        return False  # created by publishing a list

    def has_delete_permission(self, request, obj=None):
        return False  # monthly report lines hang off assignments; a revision replaces them
