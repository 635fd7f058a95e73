from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from schools.models import RoleMembership

from .models import MAX_CADENCE_WEEKS
from .services import mentor_candidates


class MentorForm(forms.Form):
    """Choose the starter's (new) mentor among the teachers of their school."""

    mentor: "forms.ModelChoiceField[User]" = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=None,
        error_messages={
            "invalid_choice": _(
                "Choose a teacher of this school in this school year, not the starter themselves."
            )
        },
    )

    def __init__(self, *args: object, starter: RoleMembership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["mentor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mentor_candidates(starter)


class CadenceForm(forms.Form):
    cadence_weeks = forms.IntegerField(
        label=_("A check-in every (weeks)"),
        min_value=1,
        max_value=MAX_CADENCE_WEEKS,
        help_text=_(
            "Check-ins still to come are planned again at this cadence; held ones and ones "
            "with notes stay."
        ),
    )


class CheckInForm(forms.Form):
    held = forms.BooleanField(label=_("The check-in was held"), required=False)
    held_on = forms.DateField(
        label=_("Held on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Only you and your starter or mentor read these notes."),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("held") and not data.get("held_on") and "held_on" not in self.errors:
            self.add_error("held_on", _("Say on which day the check-in was held."))
        if not data.get("held"):
            data["held_on"] = None
        return data
