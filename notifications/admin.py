from django.contrib import admin

from .models import DigestMail, Notification, NotificationMail, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "actor"]
    search_fields = ["recipient__email", "event_key"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(NotificationMail)
class NotificationMailAdmin(admin.ModelAdmin):
    list_display = ["notification", "due_at", "sent_at", "skipped_at", "failed_at", "attempts"]
    raw_id_fields = ["notification"]


@admin.register(DigestMail)
class DigestMailAdmin(admin.ModelAdmin):
    list_display = ["recipient", "period", "period_start", "sent_at", "skipped_at", "failed_at"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
