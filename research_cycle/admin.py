from django.contrib import admin
from django.db.models import Count

from config.forms import BOUNDED_MANY_TO_MANY

from .models import ChecklistItem, CycleStage, ResearchTeam, TeamMembership


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1


@admin.register(CycleStage)
class CycleStageAdmin(admin.ModelAdmin):
    list_display = ("order", "name_nl", "name_en", "checklist_count")
    list_display_links = ("name_nl",)
    inlines = [ChecklistItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(checklist_count=Count("checklist_items"))

    @admin.display(description="#", ordering="checklist_count")
    def checklist_count(self, obj):
        return obj.checklist_count


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 1
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(ResearchTeam)
class ResearchTeamAdmin(admin.ModelAdmin):
    list_display = ("theme", "school", "school_year", "member_count")
    list_filter = ("school_year", "school__level")
    search_fields = ("theme", "school__name", "school__city")
    list_select_related = ("school", "school_year")
    autocomplete_fields = ("school",)
    filter_horizontal = ("themes",)
    formfield_overrides = BOUNDED_MANY_TO_MANY
    inlines = [TeamMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description="#", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count
