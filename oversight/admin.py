from django.contrib import admin

from .models import AgreementItem, PartnershipAgreement


class AgreementItemInline(admin.TabularInline):
    model = AgreementItem
    extra = 0


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "school_agreed_at", "institution_agreed_at"]
    list_filter = ["school_year"]
    list_select_related = ["school", "school_year"]
    search_fields = ["school__name"]
    autocomplete_fields = ["school"]
    # Agreeing goes through the agreement page, which records who and when.
    readonly_fields = [
        "school_agreed_by",
        "school_agreed_at",
        "institution_agreed_by",
        "institution_agreed_at",
    ]
    inlines = [AgreementItemInline]
