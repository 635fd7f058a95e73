"""Forms validate what was typed; the services decide the rest."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.forms import BoundedModelMultipleChoiceField
from research_cycle.models import ResearchTeam

from .models import (
    MAX_PLACES_PER_LINE,
    MAX_PREFERENCES,
    HostingCapacity,
    Level,
    Placement,
    PlacementPeriod,
    PlacementRequest,
)
from .services import LineInput


def _model_field(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class PeopleChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.email


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.theme)


class LineChoiceField(forms.ModelChoiceField):
    """A capacity line, named by school, level, subject and places."""

    def label_from_instance(self, obj: Any) -> str:
        subject = f" – {obj.subject}" if obj.subject else ""
        school = obj.offer.school
        return f"{school.name} ({school.city}) – {obj.get_level_display()}{subject}"


def lines_of(period: PlacementPeriod) -> QuerySet[HostingCapacity]:
    return (
        HostingCapacity.objects.filter(period=period)
        .select_related("offer__school")
        .order_by("offer__school__name", "level", "subject")
    )


class CapacityForm(forms.Form):
    mentors = PeopleChoiceField(
        label=_("Mentor teachers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Teachers of the school who can guide a student teacher this year."),
    )
    note = forms.CharField(
        label=_("Note for the coordinator"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, teachers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "mentors").queryset = teachers


class LineForm(forms.Form):
    """One capacity line; a line left without a period is no line (the empty rows
    to add one)."""

    period = forms.ModelChoiceField(
        label=_("Period"), queryset=PlacementPeriod.objects.none(), required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=[("", "–"), *Level.choices], required=False)
    subject = forms.CharField(
        label=_("Subject"), required=False, max_length=100, help_text=_("Empty: any subject.")
    )
    places = forms.IntegerField(
        label=_("Student teachers"), min_value=0, max_value=MAX_PLACES_PER_LINE, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") is not None:
            for name in ("level", "places"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Fill this in for the period you chose."))
        elif data.get("places") or data.get("subject"):
            self.add_error("period", _("Choose the period of this line."))
        return data

    def __init__(self, *args: Any, periods: QuerySet[PlacementPeriod], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "period").queryset = periods

    def line(self) -> LineInput | None:
        data = self.cleaned_data
        if not data or data.get("period") is None:
            return None
        return LineInput(
            period=data["period"],
            level=data["level"],
            subject=data.get("subject", ""),
            places=data["places"],
        )


LineFormSet = forms.formset_factory(LineForm, extra=3, max_num=60, absolute_max=60)


class PreferencesForm(forms.Form):
    """Up to five ranked choices among the places offered in the period."""

    wants_research_team = forms.BooleanField(
        label=_("I want to join the school's research team"),
        required=False,
        help_text=_(
            "Schools with a research team give priority to student teachers who want to join it."
        ),
    )
    note = forms.CharField(
        label=_("Note for the coordinator"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, period: PlacementPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = lines_of(period)
        ordinals = [
            _("First choice"),
            _("Second choice"),
            _("Third choice"),
            _("Fourth choice"),
            _("Fifth choice"),
        ]
        choice_fields = {
            f"choice_{rank}": LineChoiceField(
                label=ordinals[rank - 1], queryset=lines, required=rank == 1
            )
            for rank in range(1, MAX_PREFERENCES + 1)
        }
        # The choices first, then the research team and the note.
        self.fields = {**choice_fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[int] = set()
        for rank in range(1, MAX_PREFERENCES + 1):
            line = data.get(f"choice_{rank}")
            if line is None:
                continue
            if line.pk in seen:
                self.add_error(f"choice_{rank}", _("You chose this place twice."))
            seen.add(line.pk)
        return data

    def choices(self) -> list[HostingCapacity]:
        picked = (self.cleaned_data.get(f"choice_{r}") for r in range(1, MAX_PREFERENCES + 1))
        return [line for line in picked if line is not None]


class PlaceForm(forms.Form):
    """Place a student, or move a placement, on a line of the period."""

    capacity = LineChoiceField(label=_("Place"), queryset=HostingCapacity.objects.none())

    def __init__(self, *args: Any, period: PlacementPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "capacity").queryset = lines_of(period)


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.student.get_full_name() or obj.student.email


class PlaceByHandForm(PlaceForm):
    """Place a student whose request has no placement yet."""

    request = RequestChoiceField(
        label=_("Student teacher"), queryset=PlacementRequest.objects.none()
    )

    def __init__(self, *args: Any, period: PlacementPeriod, **kwargs: Any) -> None:
        super().__init__(*args, period=period, **kwargs)
        placed = Placement.objects.counting().filter(period=period).values("student")
        _model_field(self, "request").queryset = (
            PlacementRequest.objects.filter(period=period)
            .exclude(student__in=placed)
            .select_related("student")
            .order_by("student__full_name")
        )
        self.order_fields(["request", "capacity"])


class PlacementEditForm(forms.Form):
    mentor = PersonChoiceField(
        label=_("Mentor teacher"), queryset=User.objects.none(), required=False
    )
    bridge_builder = PersonChoiceField(
        label=_("Supervising bridge-builder"), queryset=User.objects.none(), required=False
    )
    research_team = TeamChoiceField(
        label=_("Research team"), queryset=ResearchTeam.objects.none(), required=False
    )
    team_task = forms.CharField(
        label=_("Task in the team's data collection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: “interviews with pupils of year 5 about reading at home”."),
    )

    def __init__(
        self,
        *args: Any,
        teachers: QuerySet[User],
        bridge_builders: QuerySet[User],
        teams: QuerySet[ResearchTeam],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "mentor").queryset = teachers
        _model_field(self, "bridge_builder").queryset = bridge_builders
        _model_field(self, "research_team").queryset = teams


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The student teacher, the mentor teacher and the school can read it."),
    )
