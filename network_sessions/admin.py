from django.contrib import admin

from config.forms import BOUNDED_MANY_TO_MANY

from .models import AudienceRole, Delivery, DigestDelivery, NetworkSession, Participation


class AudienceRoleInline(admin.TabularInline):
    model = AudienceRole
    extra = 0


@admin.register(NetworkSession)
class NetworkSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "organiser"]
    list_filter = ["kind", "status", "school_year"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [AudienceRoleInline]
    filter_horizontal = [
        "audience_communities",
        "audience_schools",
        "audience_people",
        "stages",
        "themes",
    ]
    formfield_overrides = BOUNDED_MANY_TO_MANY
    readonly_fields = ["sequence", "uid"]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "response", "attended"]
    list_filter = ["response", "attended"]
    list_select_related = ["session", "user"]


class MailAdmin(admin.ModelAdmin):
    """Read-only: what the platform sent, skipped or gave up on (for support)."""

    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(MailAdmin):
    list_display = ["session", "recipient", "kind", "offset_days", "sent_at", "attempts"]
    list_filter = ["kind"]
    list_select_related = ["session", "recipient"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(MailAdmin):
    list_display = ["recipient", "week_of", "sent_at", "skipped_at", "attempts"]
