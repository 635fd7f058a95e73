from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.forms import BoundedModelMultipleChoiceField
from knowledge_base.models import Theme
from partnership.models import LearningCommunity, SchoolYear
from research_cycle.models import CycleStage
from schools.models import Role, School

from . import selectors
from .models import NetworkSession, Participation

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class SessionForm(forms.Form):
    """Validates what the organiser typed; the service decides the rest."""

    kind = forms.ChoiceField(label=_("Kind"), choices=NetworkSession.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text=_("Brussels time."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
    )
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online link"), required=False, assume_scheme="https", max_length=200
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: one item per line with “- ” in front."),
    )
    materials = forms.CharField(
        label=_("Materials"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reminder_days = forms.CharField(
        label=_("Reminders (days before)"),
        initial="7, 1",
        required=False,
        max_length=50,
        help_text=_("Days before the session, separated by commas. Leave empty for none."),
    )
    audience_roles = forms.MultipleChoiceField(
        label=_("Invite by role"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience_communities = BoundedModelMultipleChoiceField(
        label=_("Invite learning communities"),
        queryset=LearningCommunity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their process facilitator and the school leaders of their schools."),
    )
    audience_schools = BoundedModelMultipleChoiceField(
        label=_("Invite schools"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Everyone with a role at these schools."),
    )
    audience_people = BoundedModelMultipleChoiceField(
        label=_("Invite people by name"),
        queryset=User.objects.none(),
        required=False,
        # static/js/picker.js adds a filter box above the list; without JavaScript
        # the plain list works.
        widget=forms.SelectMultiple(
            attrs={
                "size": 10,
                "data-filter-label": _("Find people by name"),
                "data-filter-status": _("%(shown)s of %(total)s people shown"),
            }
        ),
        help_text=_(
            "People with a role in the network this school year. Hold Ctrl (⌘ on a Mac) "
            "to choose several."
        ),
    )

    stages = BoundedModelMultipleChoiceField(
        label=_("About these stages of the research cycle"),
        queryset=CycleStage.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Teams in these stages see the session among their suggestions."),
    )
    themes = BoundedModelMultipleChoiceField(
        label=_("About these themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Teams on these themes see the session among their suggestions."),
    )

    def __init__(self, *args, planner: User, **kwargs):
        super().__init__(*args, **kwargs)
        year = SchoolYear.objects.current()
        fields = cast(dict[str, forms.ModelMultipleChoiceField], self.fields)
        fields["audience_communities"].queryset = LearningCommunity.objects.filter(school_year=year)
        fields["audience_schools"].queryset = School.objects.active()
        named = [person.pk for person in self.initial.get("audience_people", [])]
        fields["audience_people"].queryset = selectors.invitable_people(planner, keep=named)

    def clean_reminder_days(self) -> list[int]:
        raw = self.cleaned_data["reminder_days"].replace(";", ",")
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(_("Give whole numbers of days, separated by commas."))
        return [int(part) for part in parts]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A session must end after it starts."))
        if not any(
            data.get(name)
            for name in (
                "audience_roles",
                "audience_communities",
                "audience_schools",
                "audience_people",
            )
        ):
            self.add_error(
                "audience_roles",
                _("Choose who is invited: roles, communities, schools or people."),
            )
        return data

    @classmethod
    def initial_for(cls, session: NetworkSession) -> dict:
        return {
            "kind": session.kind,
            "title": session.title,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "location": session.location,
            "online_url": session.online_url,
            "agenda": session.agenda,
            "materials": session.materials,
            "reminder_days": ", ".join(str(day) for day in session.reminder_days),
            "audience_roles": list(session.audience_roles.values_list("role", flat=True)),
            "audience_communities": list(session.audience_communities.all()),
            "audience_schools": list(session.audience_schools.all()),
            "audience_people": list(session.audience_people.all()),
            "stages": list(session.stages.all()),
            "themes": list(session.themes.all()),
        }


class CancelForm(forms.Form):
    """The confirm step of cancelling: the reason goes to every invitee."""

    reason = forms.CharField(
        label=_("Why is the session cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The invitees read this in the cancellation mail."),
    )


class ResponseForm(forms.Form):
    response = forms.ChoiceField(label=_("Your answer"), choices=Participation.Response.choices)
