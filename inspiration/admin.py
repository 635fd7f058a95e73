from django.contrib import admin

from .models import KnowledgeInjection


@admin.register(KnowledgeInjection)
class KnowledgeInjectionAdmin(admin.ModelAdmin):
    list_display = ["team", "kind", "sender", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["team__school", "team__school_year", "sender"]
    raw_id_fields = ["team", "cycle", "study", "session", "sender"]
