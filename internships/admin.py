"""The institution edits its rubric here (criteria with their levels); admins can
correct log entries, evaluations and mentor training records."""

from django.contrib import admin

from .models import (
    Criterion,
    Evaluation,
    EvaluationResponse,
    Level,
    LogEntry,
    MentorTraining,
    Rubric,
    Score,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("order", "title_nl", "title_en")
    extra = 1
    show_change_link = True


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("name", "institution", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("institution",)
    inlines = [CriterionInline]


class LevelInline(admin.TabularInline):
    model = Level
    fields = ("rank", "label_nl", "label_en", "description_nl", "description_en")
    extra = 1


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("title_nl", "title_en", "rubric", "order")
    list_filter = ("rubric",)
    list_select_related = ("rubric",)
    inlines = [LevelInline]


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    list_display = ("placement", "span", "date", "hours", "confirmed_at")
    list_filter = ("span",)
    list_select_related = ("placement__student", "placement__school", "placement__period")
    raw_id_fields = ("placement", "confirmed_by")
    date_hierarchy = "date"


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    raw_id_fields = ("criterion", "level")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("placement", "moment", "evaluator_role", "author", "submitted_at")
    list_filter = ("moment", "evaluator_role")
    list_select_related = ("placement__student", "placement__school", "placement__period", "author")
    raw_id_fields = ("placement", "author", "rubric")
    inlines = [ScoreInline]


@admin.register(EvaluationResponse)
class EvaluationResponseAdmin(admin.ModelAdmin):
    list_display = ("placement", "moment", "updated_at")
    list_select_related = ("placement__student", "placement__school", "placement__period")
    raw_id_fields = ("placement", "author")


@admin.register(MentorTraining)
class MentorTrainingAdmin(admin.ModelAdmin):
    list_display = ("title", "mentor", "completed_on", "hours")
    list_select_related = ("mentor",)
    search_fields = ("title", "mentor__full_name", "mentor__email")
    autocomplete_fields = ("mentor",)
    raw_id_fields = ("recorded_by",)
    date_hierarchy = "completed_on"
