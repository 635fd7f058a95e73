from django.contrib import admin
from django.db.models import Count

from config.forms import BOUNDED_MANY_TO_MANY

from .models import Study, StudyAuthor, StudyEvent, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """The controlled vocabulary of themes, in Dutch and English."""

    list_display = ("name_nl", "name_en", "slug", "study_count")
    search_fields = ("name_nl", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_nl",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(study_count=Count("studies"))

    @admin.display(description="#", ordering="study_count")
    def study_count(self, obj):
        return obj.study_count


class StudyAuthorInline(admin.TabularInline):
    model = StudyAuthor
    extra = 0
    fields = ("name", "email", "language", "consent", "consented_at")
    readonly_fields = ("consent", "consented_at")


class StudyEventInline(admin.TabularInline):
    model = StudyEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "user", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    """For looking things up. The review itself happens on the staff pages, where
    the privacy checklist and author consent are enforced."""

    list_display = ("title", "school", "school_year", "status", "published_at")
    list_filter = ("status", "school_year", "themes")
    search_fields = ("title", "summary", "school__name")
    list_select_related = ("school", "school_year")
    readonly_fields = (
        "status",
        "slug",
        "published_at",
        "withdrawn_at",
        "privacy_confirmed_by",
        "privacy_confirmed_at",
        "created_by",
    )
    autocomplete_fields = ("school",)
    raw_id_fields = ("team", "cycle")
    filter_horizontal = ("themes",)
    formfield_overrides = BOUNDED_MANY_TO_MANY
    inlines = [StudyAuthorInline, StudyEventInline]
