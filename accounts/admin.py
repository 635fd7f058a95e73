from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.forms import BoundedModelMultipleChoiceField
from schools.admin import RoleMembershipInline

from .models import User
from .services import user_deactivate, user_email_changed, user_invite, user_send_invitation


class UserCreationForm(forms.ModelForm):
    """Adding a person asks no password: they get an email to set one themselves."""

    class Meta:
        model = User
        fields = ("email", "full_name", "preferred_language", "is_staff")


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = (
            "email",
            "full_name",
            "preferred_language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )
        field_classes = {
            "groups": BoundedModelMultipleChoiceField,
            "user_permissions": BoundedModelMultipleChoiceField,
        }


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("full_name",)
    list_display = ("full_name", "email", "preferred_language", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "preferred_language")
    search_fields = ("full_name", "email")
    readonly_fields = ("last_login", "date_joined")
    inlines = [RoleMembershipInline]
    actions = ["send_invitation", "deactivate"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "preferred_language")}),
        (
            _("Access"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("History"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "preferred_language", "is_staff"),
                "description": _(
                    "The person receives an email with a link to choose their own password."
                ),
            },
        ),
    )
    filter_horizontal = ("groups", "user_permissions")

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            if "email" in form.changed_data:
                user_email_changed(user=obj)
            return
        invited = user_invite(
            email=obj.email,
            full_name=obj.full_name,
            preferred_language=obj.preferred_language,
            is_staff=obj.is_staff,
        )
        obj.pk = invited.pk
        obj._state = invited._state
        self.message_user(
            request,
            _("%(name)s was invited by email to set a password.") % {"name": invited},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send the invitation email again"))
    def send_invitation(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            user_send_invitation(user=user)
            count += 1
        self.message_user(
            request,
            ngettext("%d invitation sent.", "%d invitations sent.", count) % count,
        )

    @admin.action(description=_("Deactivate (end access, keep history)"))
    def deactivate(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            user_deactivate(user=user)
            count += 1
        self.message_user(
            request,
            ngettext("%d person deactivated.", "%d people deactivated.", count) % count,
        )
