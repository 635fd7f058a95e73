import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge_base.models import Study
from network_sessions.models import NetworkSession

from .models import KnowledgeInjection

#: A study's public address (``…/studies/<slug>/``) or its slug alone.
STUDY_ADDRESS = re.compile(r"(?:.*/studies/)?(?P<slug>[-\w]+)/?$")


class InjectionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you send?"),
        choices=KnowledgeInjection.Kind.choices,
        widget=forms.RadioSelect,
    )
    study = forms.CharField(
        label=_("Study"),
        required=False,
        max_length=300,
        help_text=_("The address of a published study in the library, or the last part of it."),
    )
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=NetworkSession.objects.none(), required=False
    )
    url = forms.URLField(
        label=_("Address of the document or link"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    title = forms.CharField(
        label=_("Title of the document or link"), required=False, max_length=200
    )
    note = forms.CharField(
        label=_("Note for the team"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this helps the team now."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session_field = self.fields["session"]
        assert isinstance(session_field, forms.ModelChoiceField)
        session_field.queryset = (
            NetworkSession.objects.scheduled().upcoming(timezone.now()).order_by("starts_at")
        )

    def clean_study(self) -> Study | None:
        address = self.cleaned_data["study"].strip()
        if not address:
            return None
        match = STUDY_ADDRESS.match(address.split("?")[0])
        study = Study.objects.published().filter(slug=match["slug"]).first() if match else None
        if study is None:
            raise forms.ValidationError(_("No published study has this address."))
        return study

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        Kind = KnowledgeInjection.Kind
        if kind == Kind.STUDY and not data.get("study") and "study" not in self.errors:
            self.add_error("study", _("Give the address of a published study."))
        if kind == Kind.SESSION and not data.get("session") and "session" not in self.errors:
            self.add_error("session", _("Choose a session."))
        if kind in {Kind.DOCUMENT, Kind.LINK} and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Give the address of the document or link."))
        return data
