from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Criterion, CriterionScore, Framework, SchoolNeeds, SelfAssessment


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 1


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    """Criteria are data: a network writes its own framework here, or loads a
    published one under that framework's own terms."""

    list_display = ("name_nl", "name_en", "is_active", "created_at")
    list_filter = ("is_active",)
    inlines = [CriterionInline]
    fieldsets = [
        (
            None,
            {
                "fields": ("name_nl", "name_en", "description_nl", "description_en", "is_active"),
                "description": _(
                    "The criteria the partnership's coordinators score in the yearly review, "
                    "on a scale from 1 to 4. A year that has scores keeps its framework; "
                    "change a framework in use by adding a new one."
                ),
            },
        )
    ]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    fields = ("criterion", "score", "comment", "scored_by", "updated_at")
    readonly_fields = ("scored_by", "updated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion", "scored_by")


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ("partnership", "school_year", "framework", "updated_at")
    list_filter = ("school_year",)
    list_select_related = ("partnership", "school_year", "framework")
    inlines = [CriterionScoreInline]


@admin.register(SchoolNeeds)
class SchoolNeedsAdmin(admin.ModelAdmin):
    list_display = ("school", "school_year", "filled_by", "updated_at")
    list_filter = ("school_year",)
    search_fields = ("school__name", "wishes")
    list_select_related = ("school", "school_year", "filled_by")
    autocomplete_fields = ("school",)
    readonly_fields = ("filled_by", "updated_at")
