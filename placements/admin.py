"""Periods are planned here; offers, requests and placements change only through
their pages (the services keep the places and the states right), so the admin
shows them read-only."""

from django.contrib import admin

from config.forms import BOUNDED_MANY_TO_MANY

from .models import (
    HostingCapacity,
    HostingOffer,
    Placement,
    PlacementMail,
    PlacementPeriod,
    PlacementRequest,
    Preference,
)


@admin.register(PlacementPeriod)
class PlacementPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "school_year", "starts_on", "ends_on"]
    list_filter = ["school_year", "institution"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CapacityInline(ReadOnlyInline):
    model = HostingCapacity
    fields = ["period", "level", "subject", "places"]


@admin.register(HostingOffer)
class HostingOfferAdmin(ReadOnlyAdmin):
    list_display = ["school", "institution", "school_year", "answered_at"]
    list_filter = ["school_year", "institution"]
    list_select_related = ["school", "institution", "school_year"]
    search_fields = ["school__name"]
    inlines = [CapacityInline]
    formfield_overrides = BOUNDED_MANY_TO_MANY


class PreferenceInline(ReadOnlyInline):
    model = Preference
    fields = ["rank", "capacity"]


@admin.register(PlacementRequest)
class PlacementRequestAdmin(ReadOnlyAdmin):
    list_display = ["student", "period", "wants_research_team", "submitted_at"]
    list_filter = ["period__school_year", "wants_research_team"]
    list_select_related = ["student", "period"]
    search_fields = ["student__full_name", "student__email"]
    inlines = [PreferenceInline]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["student", "school", "period", "state", "mentor", "bridge_builder"]
    list_filter = ["state", "school_year", "institution"]
    list_select_related = ["student", "school", "period", "mentor", "bridge_builder"]
    search_fields = ["student__full_name", "student__email", "school__name"]


@admin.register(PlacementMail)
class PlacementMailAdmin(ReadOnlyAdmin):
    list_display = ["kind", "recipient", "due_at", "sent_at", "skipped_at", "failed_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
