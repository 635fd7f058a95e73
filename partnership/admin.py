from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import (
    MAX_SCHOOLS_PER_LEARNING_COMMUNITY,
    Institution,
    LearningCommunity,
    LearningCommunityMembership,
    Partnership,
    SchoolYear,
)
from .services import school_year_make_current


def admin_login_redirect(request):
    """The admin's own login page would bypass allauth's rate limits: send people to
    the allauth login, which comes back to the admin afterwards."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "city")
    search_fields = ("name", "city")


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "institution", "school_count")
    search_fields = ("name", "institution__name")
    list_select_related = ("institution",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(school_count=Count("schools"))

    @admin.display(description=_("schools"), ordering="school_count")
    def school_count(self, obj):
        return obj.school_count


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "is_current")
    actions = ["make_current"]

    @admin.action(description=_("Make current"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one school year."), messages.ERROR)
            return
        school_year = school_year_make_current(school_year=queryset.get())
        self.message_user(
            request, _("%(year)s is now the current school year.") % {"year": school_year}
        )


class LearningCommunityMembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if len(kept) > MAX_SCHOOLS_PER_LEARNING_COMMUNITY:
            raise ValidationError(
                _("A learning community has at most %(max)d schools.")
                % {"max": MAX_SCHOOLS_PER_LEARNING_COMMUNITY}
            )


class LearningCommunityMembershipInline(admin.TabularInline):
    model = LearningCommunityMembership
    formset = LearningCommunityMembershipFormSet
    extra = 0
    max_num = MAX_SCHOOLS_PER_LEARNING_COMMUNITY
    autocomplete_fields = ("school",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school")


@admin.register(LearningCommunity)
class LearningCommunityAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "school_year", "process_facilitator", "school_count")
    list_filter = ("school_year", "partnership")
    search_fields = ("name", "memberships__school__name")
    list_select_related = ("partnership", "school_year", "process_facilitator")
    autocomplete_fields = ("process_facilitator",)
    inlines = [LearningCommunityMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(school_count=Count("memberships"))

    @admin.display(description=_("schools"), ordering="school_count")
    def school_count(self, obj):
        return obj.school_count
