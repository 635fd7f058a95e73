from django.contrib import admin

from .models import Vacancy


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "level", "subject", "closes_on", "is_public", "withdrawn_at"]
    list_filter = ["level", "is_public", "closes_on"]
    search_fields = ["title", "subject", "school__name"]
    list_select_related = ["school"]
    autocomplete_fields = ["school"]
    raw_id_fields = ["posted_by"]
    readonly_fields = ["created_at", "updated_at"]
