"""Admin for 问责: read-only views for the discipline side; the read log for the audit administrator."""
from django.contrib import admin

from .models import AccessLog, Instruction, Recipient, SpotCheck, TalkRecord


class ReadOnly(admin.ModelAdmin):
    """The workflow moves only through the pages (services record every transition)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    fields = ["organisation", "state", "ack_due_on", "acknowledged_at", "replied_at", "closed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Instruction)
class InstructionAdmin(ReadOnly):
    list_display = ["code", "title", "issuing_org", "due_on", "status"]
    list_filter = ["kind", "year", "status"]
    search_fields = ["title"]
    inlines = [RecipientInline]


@admin.register(TalkRecord)
class TalkRecordAdmin(ReadOnly):
    list_display = ["held_on", "kind", "organisation", "follow_up_on", "followed_up_at"]
    list_filter = ["kind"]


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnly):
    list_display = ["title", "population", "sample_size", "population_size", "seed", "created_by", "created_at"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnly):
    """Every read of a 问责 record, for the 审计管理员 (who sees who read what, not the records)."""

    list_display = ["at", "user", "action", "record_id", "detail", "remote_addr"]
    list_filter = ["action"]
    search_fields = ["user__username", "user__name", "detail"]
    date_hierarchy = "at"

# 问责 records themselves are not in the admin: they are read only through the audited pages.
