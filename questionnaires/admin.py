from django.contrib import admin

from .models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    """How long each network keeps questionnaire answers after a cycle completes
    (12 months for a network without a policy). Answers themselves are not in the
    admin: they are the respondents', seen only as the team's figures."""

    list_display = ("partnership", "months")
