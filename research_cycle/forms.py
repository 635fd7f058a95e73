from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.forms import BoundedModelMultipleChoiceField

from .models import STUDY_FIELD_MAX_LENGTH, Attachment, CycleStage, LogEntry, Perspective
from .uploads import MAX_ATTACHMENT_SIZE, allowed_extensions_display, validate_attachment

#: Far below Django's DATA_UPLOAD_MAX_NUMBER_FILES, so the person gets a field message.
MAX_FILES_AT_ONCE = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class LogEntryForm(forms.ModelForm):
    """What the team did. The stage list holds the stages reached so far."""

    perspectives = forms.MultipleChoiceField(
        label=_("Perspectives involved"),
        choices=Perspective.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Django moves declared fields off the class, so this does not shadow Form.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Attachments"),
        required=False,
        help_text=_("Evidence such as survey exports, photos of work, interview notes. "),
    )
    remove_attachment = BoundedModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LogEntry
        fields = ["occurred_on", "stage", "summary", "decisions", "next_steps", "perspectives"]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"summary": _("Markdown is allowed: *italic*, **bold**, lists.")}

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        stage = cast(forms.ModelChoiceField, self.fields["stage"])
        stage.queryset = CycleStage.objects.filter(order__lte=cycle.current_stage.order)
        stage.empty_label = None
        if self.instance.pk and self.instance.attachments.exists():
            remove = cast(forms.ModelMultipleChoiceField, self.fields["remove_attachment"])
            remove.queryset = self.instance.attachments.all()
            remove.label_from_instance = lambda a: a.original_name  # type: ignore[assignment]
        else:
            del self.fields["remove_attachment"]
        if not self.instance.pk:
            self.initial.setdefault("stage", cycle.current_stage_id)
            self.initial.setdefault("occurred_on", timezone.localdate())
        self.fields["files"].widget.attrs.update(
            {
                "data-drop-zone": _("Drag files here, or choose them."),
                "data-selected-label": _("Chosen files"),
                "data-uploading": _("Uploading… {percent}%"),
                "data-processing": _("Uploaded; saving…"),
                "data-upload-failed": _(
                    "The upload did not get through. Check the connection and save again."
                ),
            }
        )
        self.fields["files"].help_text = _(
            "Evidence such as survey exports, photos of work, interview notes. "
            "Allowed: %(types)s; at most %(size)d MB per file."
        ) % {"types": allowed_extensions_display(), "size": MAX_ATTACHMENT_SIZE // (1024 * 1024)}

    def clean_stage(self):
        stage = self.cleaned_data["stage"]
        if stage.order > self.cycle.current_stage.order:
            raise forms.ValidationError(_("The team has not reached this stage yet."))
        return stage

    def clean_files(self):
        """Every refused file gets its own message, and then the entry is not saved
        at all (all or nothing: a diary entry never silently lacks evidence the
        person thinks they attached)."""
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES_AT_ONCE:
            raise forms.ValidationError(
                _("You chose %(count)d files; at most %(max)d can be added at once.")
                % {"count": len(files), "max": MAX_FILES_AT_ONCE},
                code="too_many",
            )
        errors: list[forms.ValidationError] = []
        for upload in files:
            try:
                validate_attachment(upload)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            errors.append(
                forms.ValidationError(
                    _(
                        "Nothing is saved yet. Choose the files again without the refused "
                        "ones, then save."
                    ),
                    code="nothing_saved",
                )
            )
            raise forms.ValidationError(errors)
        return files


class StudyTextForm(forms.Form):
    value = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=STUDY_FIELD_MAX_LENGTH
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].label = label


class StudyPerspectivesForm(forms.Form):
    value = forms.MultipleChoiceField(
        label=_("Perspectives"),
        choices=Perspective.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, label="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["value"].label = label


class AdvanceForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the team move on with unchecked items?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, cycle, **kwargs):
        # The cycle is taken like StepBackForm's, so the stage page builds both alike.
        super().__init__(*args, **kwargs)


class StepBackForm(forms.Form):
    to_stage = forms.ModelChoiceField(label=_("Back to"), queryset=CycleStage.objects.none())
    reason = forms.CharField(
        label=_("Why?"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        to_stage = cast(forms.ModelChoiceField, self.fields["to_stage"])
        to_stage.queryset = CycleStage.objects.filter(order__lt=cycle.current_stage.order)
        to_stage.empty_label = None


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    mention = forms.IntegerField(
        label=_("Mention (optional)"),
        required=False,
        help_text=_("Or write @ and a member's handle in the comment, e.g. @lotte-peeters."),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A plain select of the team (no JavaScript needed); the service refuses
        # anyone else with its own message.
        self.fields["mention"].widget = forms.Select(
            choices=[("", "—")] + [(m.pk, m.full_name) for m in members]
        )
