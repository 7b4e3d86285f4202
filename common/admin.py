"""Admin pieces every app shares."""
from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from .importexport import EXPORT_FORMATS, IMPORT_FORMATS


class ReadOnlyMixin:
    """Rows that change only through the site's pages and their services: the admin reads them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class ImportExportAdmin(ImportExportModelAdmin):
    """The admin import/export pages with formula-safe CSV and Excel (common.importexport)."""

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
