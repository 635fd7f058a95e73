"""The composer's confirm form: a group per school (a select that works without
JavaScript; the drag-and-drop module only sets it), and per group a name, a
process facilitator and the shared learning questions."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from schools.models import School

from .composer import ProposedGroup
from .models import MAX_SCHOOLS_PER_LEARNING_COMMUNITY
from .services import CommunityPlan

#: Empty groups offered beside the proposed ones, to split a group by hand.
SPARE_GROUPS = 2
NOT_PLACED = ""


class ComposeForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        schools: list[School],
        groups: list[ProposedGroup],
        facilitators: list[User],
        default_facilitator: User | None,
        year_name: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.schools = schools
        self.group_count = len([g for g in groups if len(g.schools) > 1]) + SPARE_GROUPS
        proposed = {
            school.pk: number
            for number, group in enumerate((g for g in groups if len(g.schools) > 1), 1)
            for school in group.schools
        }
        choices = [(NOT_PLACED, _("Not in a community"))] + [
            (str(n), _("Group %(number)d") % {"number": n}) for n in self.group_numbers
        ]
        for school in schools:
            self.fields[f"school_{school.pk}"] = forms.ChoiceField(
                label=school.name,
                choices=choices,
                required=False,
                initial=str(proposed.get(school.pk, NOT_PLACED)),
            )
        self.facilitators = {str(u.pk): u for u in facilitators}
        facilitator_choices = [("", _("None yet"))] + [
            (str(u.pk), u.full_name) for u in facilitators
        ]
        for number in self.group_numbers:
            self.fields[f"name_{number}"] = forms.CharField(
                label=_("Name of group %(number)d") % {"number": number},
                max_length=200,
                required=False,
                initial=_("Learning community %(number)d %(year)s")
                % {"number": number, "year": year_name},
            )
            self.fields[f"facilitator_{number}"] = forms.ChoiceField(
                label=gettext_lazy("Process facilitator"),
                choices=facilitator_choices,
                required=False,
                initial=str(default_facilitator.pk) if default_facilitator else "",
            )
            self.fields[f"questions_{number}"] = forms.CharField(
                label=gettext_lazy("Shared learning questions"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext_lazy("One question per line."),
            )

    @property
    def group_numbers(self) -> range:
        return range(1, self.group_count + 1)

    def members_of(self, number: str) -> list[School]:
        """The schools in a group as the form shows it now (typed or proposed);
        a value that is no group counts as not placed."""
        valid = {str(n) for n in self.group_numbers}

        def group(school: School) -> str:
            value = str(self[f"school_{school.pk}"].value() or NOT_PLACED)
            return value if value in valid else NOT_PLACED

        return [s for s in self.schools if group(s) == number]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for number in self.group_numbers:
            chosen = [s for s in self.schools if data.get(f"school_{s.pk}") == str(number)]
            named = data.get(f"name_{number}", "").strip()
            if len(chosen) > MAX_SCHOOLS_PER_LEARNING_COMMUNITY:
                self.add_error(
                    f"name_{number}",
                    _("This group has %(count)d schools; a learning community has at most %(max)d.")
                    % {"count": len(chosen), "max": MAX_SCHOOLS_PER_LEARNING_COMMUNITY},
                )
            elif chosen and not named:
                self.add_error(f"name_{number}", _("Give this learning community a name."))
        if not any(data.get(f"school_{s.pk}") for s in self.schools):
            raise forms.ValidationError(_("Put at least one school in a group."))
        return data

    def plans(self) -> list[CommunityPlan]:
        """The groups with schools, as the service takes them."""
        data = self.cleaned_data
        plans = []
        for number in self.group_numbers:
            chosen = [s for s in self.schools if data.get(f"school_{s.pk}") == str(number)]
            if chosen:
                plans.append(
                    CommunityPlan(
                        name=data[f"name_{number}"].strip(),
                        schools=chosen,
                        process_facilitator=self.facilitators.get(data[f"facilitator_{number}"]),
                        learning_questions=data[f"questions_{number}"],
                    )
                )
        return plans


def layout(form: ComposeForm, reasons: dict[int, list[str]]) -> list[dict[str, Any]]:
    """The page's columns: the schools not placed, then each group with its fields,
    reasons and the schools it holds now (as typed, or as proposed)."""
    columns: list[dict[str, Any]] = [
        {
            "number": NOT_PLACED,
            "schools": [form[f"school_{s.pk}"] for s in form.members_of(NOT_PLACED)],
        }
    ]
    for number in form.group_numbers:
        columns.append(
            {
                "number": str(number),
                "reasons": reasons.get(number, []),
                "name": form[f"name_{number}"],
                "facilitator": form[f"facilitator_{number}"],
                "questions": form[f"questions_{number}"],
                "schools": [form[f"school_{s.pk}"] for s in form.members_of(str(number))],
            }
        )
    return columns
