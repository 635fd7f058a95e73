from django.contrib import admin
from django.db.models import Count

from .models import RoleMembership, School, SchoolPublicity


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    extra = 1
    autocomplete_fields = ("school", "institution")
    fields = ("role", "school_year", "school", "institution", "started_teaching_in")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school", "institution", "school_year")


class SchoolRoleInline(RoleMembershipInline):
    autocomplete_fields = ("user", "institution")
    fields = ("user", "role", "school_year", "institution", "started_teaching_in")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "institution_number",
        "level",
        "city",
        "partnership",
        "is_active",
        "people",
    )
    list_filter = ("level", "is_active", "partnership", "city")
    search_fields = ("name", "city", "institution_number")
    list_select_related = ("partnership",)
    inlines = [SchoolRoleInline]
    readonly_fields = ("slug",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(people_count=Count("role_memberships__user", distinct=True))
        )

    @admin.display(description="#", ordering="people_count")
    def people(self, obj):
        return obj.people_count


@admin.register(RoleMembership)
class RoleMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "school", "institution", "school_year")
    list_filter = ("role", "school_year")
    search_fields = ("user__full_name", "user__email", "school__name")
    list_select_related = ("user", "school", "institution", "school_year")
    autocomplete_fields = ("user", "school", "institution")


@admin.register(SchoolPublicity)
class SchoolPublicityAdmin(admin.ModelAdmin):
    list_display = ("school", "show_studies", "show_current_theme", "updated_at")
    list_select_related = ("school",)
    autocomplete_fields = ("school",)
