"""Forms validate input only; the services in ``services.py`` do the writing."""

from typing import cast

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from config.forms import BoundedModelMultipleChoiceField
from partnership.models import SchoolYear
from research_cycle.models import STUDY_FIELD_MAX_LENGTH, Perspective, ResearchCycle
from schools.models import School

from .models import Study, StudyFile, Theme

TEXT_FIELDS = [
    "dilemma",
    "research_question",
    "inspiration",
    "methods",
    "findings",
    "action_and_effect",
    "lessons",
]


class StudyForm(forms.ModelForm):
    perspectives = forms.MultipleChoiceField(
        label=_("Perspectives involved"),
        choices=Perspective.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = BoundedModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Stored as the school level's code so the public page shows it in the reader's
    # language and the list can filter on it.
    school_level = forms.ChoiceField(
        label=_("School level"), choices=[("", "–"), *School.Level.choices], required=False
    )

    class Meta:
        model = Study
        fields = [
            "title",
            "summary",
            "language",
            "school_level",
            "city",
            *TEXT_FIELDS[:3],
            "perspectives",
            *TEXT_FIELDS[3:],
            "themes",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in TEXT_FIELDS} | {
            "summary": forms.Textarea(attrs={"rows": 4})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            self.fields[name].validators.append(MaxLengthValidator(STUDY_FIELD_MAX_LENGTH))
        self.fields["title"].required = True
        self.fields["summary"].required = True

    def content(self) -> dict:
        """The cleaned values the service takes (themes separately)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "themes"}


class HandEnteredStudyForm(StudyForm):
    """A study from an earlier year, without a cycle: the admin picks school and year."""

    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.order_by("name"))
    school_year = forms.ModelChoiceField(
        label=_("School year"), queryset=SchoolYear.objects.order_by("-starts_on")
    )

    field_order = ["school", "school_year"]


class CreateFromCycleForm(forms.Form):
    cycle: "forms.ModelChoiceField[ResearchCycle]" = forms.ModelChoiceField(
        label=_("Research cycle"), queryset=None, empty_label=None
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        cycle = cast(forms.ModelChoiceField, self.fields["cycle"])
        cycle.queryset = team.cycles.order_by("-number")
        cycle.label_from_instance = lambda cycle: (  # type: ignore[assignment]
            _("Cycle %(number)s") % {"number": cycle.number}
        )


class AuthorForm(forms.Form):
    name = forms.CharField(label=_("Name as published"), max_length=150)
    email = forms.EmailField(label=_("Email for the consent request"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the request"), choices=settings.LANGUAGES, initial="nl"
    )


class FileUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(StudyFile.Kind.POSTER, _("Poster")), (StudyFile.Kind.REPORT, _("Report"))],
        initial=StudyFile.Kind.REPORT,
    )
    file = forms.FileField(label=_("PDF file"))


class AttachmentChoiceForm(forms.Form):
    attachments = BoundedModelMultipleChoiceField(
        label=_("Files from the research diary"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        attachments = cast(forms.ModelMultipleChoiceField, self.fields["attachments"])
        attachments.queryset = queryset
        attachments.label_from_instance = lambda a: a.original_name  # type: ignore[assignment]


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        # The publish form on the same page has a "comment" too: each label needs its own id.
        super().__init__(*args, **{"auto_id": "id_changes_%s", **kwargs})


class PublishForm(forms.Form):
    no_identifiable_people = forms.BooleanField(
        label=_("No pupil or parent can be identified in the text or in the files."),
        required=False,
    )
    consent_for_data = forms.BooleanField(
        label=_("There is consent for the data the team collected."), required=False
    )
    comment = forms.CharField(
        label=_("Note for the team (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{"auto_id": "id_publish_%s", **kwargs})


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Public note: why is it withdrawn?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("agree", _("I agree")), ("decline", _("I decline"))], widget=forms.HiddenInput
    )

    @property
    def agreed(self) -> bool:
        return self.cleaned_data["answer"] == "agree"
