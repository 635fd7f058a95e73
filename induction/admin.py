"""Repairs only: mentor assignments and the check-in schedule. The notes of
check-ins are left out on purpose: they are the starter's and the mentor's alone,
the network admin included (see ``permissions.py``)."""

from django.contrib import admin

from network_sessions.admin import MailAdmin

from .models import CheckIn, CheckInReminder, InductionPlan, MentorAssignment


class MentorAssignmentInline(admin.TabularInline):
    model = MentorAssignment
    extra = 0
    fields = ["mentor", "assigned_from", "assigned_until", "assigned_by"]
    raw_id_fields = ["mentor", "assigned_by"]


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    fields = ["due_on", "held_on"]  # never the notes


@admin.register(InductionPlan)
class InductionPlanAdmin(admin.ModelAdmin):
    list_display = ["membership", "cadence_weeks", "starts_on"]
    list_select_related = [
        "membership__user",
        "membership__school",
        "membership__school_year",
        "membership__institution",
    ]
    search_fields = ["membership__user__full_name", "membership__school__name"]
    raw_id_fields = ["membership"]
    inlines = [MentorAssignmentInline, CheckInInline]


@admin.register(CheckInReminder)
class CheckInReminderAdmin(MailAdmin):
    list_display = ["check_in", "recipient", "due_on", "sent_at", "skipped_at", "attempts"]
    list_select_related = [
        "recipient",
        "check_in__plan__membership__user",
        "check_in__plan__membership__school",
        "check_in__plan__membership__school_year",
        "check_in__plan__membership__institution",
    ]
    exclude = ["check_in"]
