"""The admin side of people's rights: confirm or hold erasures, set retention
periods, read the access log and what each nightly run removed."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_sessions.admin import MailAdmin

from . import services
from .models import (
    AccessRecord,
    DataExport,
    ErasureRequest,
    ExportMail,
    RetentionPeriod,
    RetentionRun,
    TeamFilesNotice,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):
    list_display = ["kind", "amount"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """An admin confirms (the action) or holds a request by giving a reason (the
    form); clearing the reason releases the hold."""

    list_display = ["user", "state", "requested_at", "due_at", "refusal"]
    list_filter = ["state"]
    list_select_related = ["user"]
    fields = ["user", "state", "requested_at", "due_at", "hold_reason", "held_by", "refusal"]
    readonly_fields = ["user", "state", "requested_at", "due_at", "held_by", "refusal"]
    actions = ["confirm"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.state == ErasureRequest.State.ERASED:
            return
        if obj.hold_reason.strip():
            services.erasure_hold(request=obj, by=request.user, reason=obj.hold_reason)
        else:
            services.erasure_release(request=obj)

    @admin.action(description=_("Confirm and erase now"))
    def confirm(self, request, queryset):
        erased = 0
        for erasure in queryset.exclude(state=ErasureRequest.State.ERASED):
            try:
                done = services.erasure_confirm(request=erasure, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            if done.state == ErasureRequest.State.ERASED:
                erased += 1
            else:
                self.message_user(request, done.refusal, messages.WARNING)
        if erased:
            self.message_user(
                request,
                ngettext("%(count)d person erased.", "%(count)d people erased.", erased)
                % {"count": erased},
            )


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ["user", "status", "requested_at", "ready_at", "expires_at", "size"]
    list_filter = ["status"]
    list_select_related = ["user"]
    exclude = ["file"]


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "kind", "what", "team"]
    list_filter = ["kind"]
    list_select_related = ["user", "team__school", "team__school_year"]
    date_hierarchy = "at"


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "removed"]


@admin.register(ExportMail)
class ExportMailAdmin(MailAdmin):
    list_display = ["recipient", "export", "sent_at", "attempts"]
    list_select_related = ["recipient", "export__user"]


@admin.register(TeamFilesNotice)
class TeamFilesNoticeAdmin(MailAdmin):
    list_display = ["recipient", "cycle", "sent_at", "attempts"]
    list_select_related = ["recipient", "cycle__team__school", "cycle__team__school_year"]
