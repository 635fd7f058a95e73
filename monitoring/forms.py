from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Instrument, Item, Moment


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundForm(forms.Form):
    """Validates what was typed; ``services.round_open`` decides the rest (a date
    in the past, a round that exists)."""

    moment = forms.ChoiceField(label=_("Round"), choices=Moment.choices)
    instrument = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Instrument.objects.filter(is_active=True)
    )
    closes_on = forms.DateField(
        label=_("Closing date"),
        widget=DateInput(),
        help_text=_("Answers are taken until the end of this day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["instrument"])
        instruments = list(Instrument.objects.filter(is_active=True)[:2])
        if len(instruments) == 1:
            field.initial = instruments[0]


class AnswerForm(forms.Form):
    """One radio group per statement of the instrument; a value outside the scale is
    "not one of the available choices" before the service sees it."""

    def __init__(self, *args, instrument: Instrument, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        labels = {label.value: label.label for label in instrument.scale_labels.all()}
        choices = [
            (value, f"{value} – {labels[value]}" if value in labels else str(value))
            for value in range(instrument.scale_min, instrument.scale_max + 1)
        ]
        for number, item in enumerate(items, 1):
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {item.text}",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer to this statement.")},
            )

    def answers(self) -> dict[str, int]:
        return {name.removeprefix("item_"): value for name, value in self.cleaned_data.items()}
