from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Instrument, Item, Round, ScaleLabel, Subscale


class ScaleLabelInline(admin.TabularInline):
    model = ScaleLabel
    extra = 0


class SubscaleInline(admin.TabularInline):
    model = Subscale
    extra = 0


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["order", "subscale", "text_nl", "text_en", "reverse_scored"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "scale_min", "scale_max", "is_active"]
    inlines = [ScaleLabelInline, SubscaleInline, ItemInline]
    fieldsets = [
        (
            None,
            {
                "fields": ["name_nl", "name_en", "introduction_nl", "introduction_en", "source"],
                "description": _(
                    "A questionnaire answered anonymously by the teachers of a school. "
                    "The demo instrument was written for Leerbrug to show how it works; a "
                    "network loads its own validated scale (for example Goddard's short form "
                    "of the collective efficacy scale) under that scale's own terms. Save the "
                    "subscales first, then give every item its subscale."
                ),
            },
        ),
        (_("Response scale"), {"fields": ["scale_min", "scale_max", "is_active"]}),
    ]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """Rounds are opened by school leaders and bridge-builders in the app; here an
    admin can correct a closing date. Invitations and answers are not shown."""

    list_display = ["school", "school_year", "moment", "instrument", "closes_on", "response_count"]
    list_filter = ["school_year", "moment"]
    list_select_related = ["school", "school_year", "instrument"]
    fields = ["school", "school_year", "instrument", "moment", "closes_on", "response_count"]
    readonly_fields = ["school", "school_year", "instrument", "moment", "response_count"]

    def has_add_permission(self, request):
        return False
