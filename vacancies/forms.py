from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import MAX_FULL_TIME_HOURS, Vacancy

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VacancyForm(forms.ModelForm):
    """Validates what the school typed; the service checks the dates against today."""

    class Meta:
        model = Vacancy
        fields = [
            "school",
            "title",
            "level",
            "subject",
            "hours",
            "full_time_hours",
            "starts_on",
            "closes_on",
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "is_public",
        ]
        widgets = {
            "starts_on": DateInput(),
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        field_classes = {"starts_on": forms.DateField, "closes_on": forms.DateField}

    def __init__(self, *args, schools, **kwargs):
        """``schools``: the schools this person may post for."""
        super().__init__(*args, **kwargs)
        school = self.fields["school"]
        school.queryset = schools  # type: ignore[attr-defined]
        school.empty_label = None  # type: ignore[attr-defined]
        for name in ("hours", "full_time_hours"):
            self.fields[name].widget.attrs.update({"min": 1, "max": MAX_FULL_TIME_HOURS})
            self.fields[name].validators += [
                MinValueValidator(1),
                MaxValueValidator(MAX_FULL_TIME_HOURS),
            ]
        for name in ("starts_on", "closes_on"):
            self.fields[name].input_formats = DATE_FORMATS  # type: ignore[attr-defined]

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        hours, full_time = cleaned.get("hours"), cleaned.get("full_time_hours")
        if hours is not None and full_time is not None and hours > full_time:
            self.add_error(
                "hours",
                _("More hours than a full-time job (%(full)d): lower the hours.")
                % {"full": full_time},
            )
        return cleaned
