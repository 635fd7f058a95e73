from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .registry import Delivery


class PreferencesForm(forms.Form):
    """One choice per kind: how it reaches the person."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in registry.kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=str(kind.label),
                choices=Delivery.choices,
                initial=current.get(kind.key, kind.default.value),
            )


class PreferenceLinkForm(forms.Form):
    """The confirmation of a one-click link; without a choice (a mail client's
    RFC 8058 POST) it means "in the app only"."""

    delivery = forms.ChoiceField(label=_("Send me these"), choices=Delivery.choices, required=False)
