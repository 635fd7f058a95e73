from django.contrib import admin

from network_sessions.admin import MailAdmin

from .models import Baseline, ConfirmationReminder, StaffConfirmation, StaffConfirmationEntry


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    """The reference figures shown beside the curves. A network replaces them with
    the figures (and the source) it trusts."""

    list_display = ["level", "share_leaving", "years", "source"]


class EntryInline(admin.TabularInline):
    model = StaffConfirmationEntry
    extra = 0
    raw_id_fields = ["person"]


@admin.register(StaffConfirmation)
class StaffConfirmationAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "confirmed_by", "confirmed_at"]
    list_filter = ["school_year"]
    list_select_related = ["school", "school_year", "confirmed_by"]
    search_fields = ["school__name"]
    raw_id_fields = ["confirmed_by"]
    inlines = [EntryInline]


@admin.register(ConfirmationReminder)
class ConfirmationReminderAdmin(MailAdmin):
    list_display = ["school", "school_year", "recipient", "sent_at", "skipped_at", "attempts"]
    list_select_related = ["school", "school_year", "recipient"]
