"""Admin for reminder rules and group robots (staff), and the reminder log (read-only)."""
from django.contrib import admin

from common.admin import ReadOnlyAdmin

from .models import Delivery, Reminder, ReminderSettings, Webhook


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "is_active"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["channel", "status", "attempts", "sent_at", "error"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "level", "stage", "on_date", "read_at"]
    list_filter = ["level", "on_date"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__name", "recipient__username"]
    inlines = [DeliveryInline]
