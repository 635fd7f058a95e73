"""Forms validate input only; the services apply the domain's rules."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.forms import BoundedModelMultipleChoiceField

from .models import MAX_TRAINING_HOURS, Criterion, EvaluationResponse, Level, LogEntry


class LogEntryForm(forms.Form):
    """A plain form: the service checks the hours against the period, the calendar
    and the other entries, with field messages."""

    span = forms.ChoiceField(
        label=_("per"),
        choices=LogEntry.Span.choices,
        initial=LogEntry.Span.DAY,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label=_("date"),
        help_text=_("For a week: any day of that week."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hours = forms.DecimalField(
        label=_("hours"),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    reflection = forms.CharField(
        label=_("short reflection"),
        max_length=2000,
        help_text=_("What went well, what you learned, what you try next."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def initial_for(cls, entry: LogEntry) -> dict[str, Any]:
        return {
            "span": entry.span,
            "date": entry.date,
            "hours": entry.hours,
            "reflection": entry.reflection,
        }


class EntryChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return entry_label(obj)


class ConfirmHoursForm(forms.Form):
    entries = EntryChoiceField(
        label=_("Entries to confirm"),
        queryset=LogEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the entries whose hours you confirm.")},
    )

    def __init__(self, *args: Any, placement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entries"]
        assert isinstance(field, EntryChoiceField)
        field.queryset = placement.log_entries.filter(confirmed_at__isnull=True)


def entry_label(entry: LogEntry) -> str:
    """An entry as the mentor ticks it: "3 maart 2026: 6,5 uur"."""
    day = date_format(entry.date, "j F Y")
    if entry.span == LogEntry.Span.WEEK:
        day = gettext("week of %(day)s") % {"day": day}
    return gettext("%(day)s: %(hours)s hours") % {
        "day": day,
        "hours": number_format(entry.hours, decimal_pos=1),
    }


class EvaluationForm(forms.Form):
    """A level per criterion of the rubric (``criterion_<id>``) and a summary. The
    choices are the criterion's own levels: any other level is not a valid choice."""

    summary = forms.CharField(
        label=_("Strengths and next steps"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.levels: dict[int, Level] = {}
        for criterion in criteria:
            levels = list(criterion.levels.all())
            self.levels |= {level.pk: level for level in levels}
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                help_text=criterion.description,
                choices=[(level.pk, level.label) for level in levels],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
        self.order_fields([*(f"criterion_{c.pk}" for c in criteria), "summary"])

    def chosen_levels(self) -> dict[int, Level | None]:
        chosen: dict[int, Level | None] = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"criterion_{criterion.pk}")
            chosen[criterion.pk] = self.levels.get(value) if value not in (None, "") else None
        return chosen

    def level_fields(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(c, self[f"criterion_{c.pk}"]) for c in self.criteria]


class ResponseForm(forms.ModelForm):
    class Meta:
        model = EvaluationResponse
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    completed_on = forms.DateField(
        label=_("completed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    hours = forms.DecimalField(
        label=_("hours"),
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    provider = forms.CharField(label=_("organised by"), max_length=200, required=False)

    def clean_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["hours"]
        if not 0 < hours <= MAX_TRAINING_HOURS:
            raise forms.ValidationError(_("Enter between 0 and 1000 hours."))
        return hours
