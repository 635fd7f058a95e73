"""The staff confirmation: one form per person (a formset), validated together."""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import StaffStatus


class PersonStatusForm(forms.Form):
    """One row: who (a hidden id, checked against the roster by the formset) and
    what the school leader says."""

    person = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=StaffStatus.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose a status for this person.")},
    )


class BaseConfirmationFormSet(forms.BaseFormSet):
    """Every person of the roster once, and nobody else."""

    def __init__(self, *args: object, roster: list, **kwargs: object) -> None:
        self.roster = {row.person.pk: row for row in roster}
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # the formset's own

    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [form.cleaned_data.get("person") for form in self.forms]
        if set(chosen) - set(self.roster) or len(chosen) != len(set(chosen)):
            raise forms.ValidationError(
                _("Only the school's starting teachers and career changers can be confirmed."),
                code="not_at_school",
            )
        if set(chosen) != set(self.roster):
            raise forms.ValidationError(
                _("The list of people changed while you were filling it in: check it again."),
                code="roster_changed",
            )

    def refuse(self, error: ValidationError) -> None:
        """Show a refusal of the service above the rows, as the formset's own would be."""
        self._non_form_errors = self.error_class(error.messages, error_class="nonform")

    def statuses(self) -> dict[int, str]:
        return {form.cleaned_data["person"]: form.cleaned_data["status"] for form in self.forms}


ConfirmationFormSet = cast(
    type[BaseConfirmationFormSet],
    forms.formset_factory(
        PersonStatusForm,
        formset=BaseConfirmationFormSet,
        extra=0,
        max_num=1000,
        absolute_max=1000,
        validate_max=True,
    ),
)


def confirmation_formset(
    roster: list, data: Mapping[str, Any] | None = None
) -> BaseConfirmationFormSet:
    initial = [{"person": row.person.pk, "status": row.status or None} for row in roster]
    formset = ConfirmationFormSet(data, initial=initial, roster=roster, prefix="staff")
    # Label each row with the person, for the radio group's legend and the errors.
    for form in formset.forms:
        try:
            row = formset.roster.get(int(form["person"].value()))
        except (TypeError, ValueError):
            row = None
        form.roster_row = row
        form.person_name = (
            (row.person.full_name or row.person.email)
            if row
            else _("Someone not on the school's list")
        )
    return formset
