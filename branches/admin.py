"""Admin for the organisation tree, people, posts, 分管 and terms, with Excel import/export."""
from django.contrib import admin

from common.admin import ImportExportAdmin

from .models import CommitteeTerm, Organisation, Person, Post, Supervision
from .resources import OrganisationResource, PostResource


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["person"]


class SupervisionInline(admin.TabularInline):
    model = Supervision
    extra = 0
    autocomplete_fields = ["organisation"]


class TermInline(admin.TabularInline):
    model = CommitteeTerm
    extra = 0
    readonly_fields = ["expires_on"]


@admin.register(Organisation)
class OrganisationAdmin(ImportExportAdmin):
    resource_classes = [OrganisationResource]
    list_display = ["name", "short_name", "kind", "parent", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "aliases"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["covers"]
    inlines = [PostInline, TermInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "phone", "user", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["user"]
    inlines = [SupervisionInline]


@admin.register(Post)
class PostAdmin(ImportExportAdmin):
    resource_classes = [PostResource]
    list_display = ["person", "organisation", "kind", "title", "is_active"]
    list_filter = ["kind", "is_active", "organisation__kind"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__name", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["leader", "organisation"]
    list_select_related = ["leader", "organisation"]
    autocomplete_fields = ["leader", "organisation"]


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(admin.ModelAdmin):
    list_display = ["organisation", "elected_on", "years", "expires_on", "postponed_to"]
    list_select_related = ["organisation"]
    readonly_fields = ["expires_on"]
    date_hierarchy = "expires_on"
    autocomplete_fields = ["organisation"]
