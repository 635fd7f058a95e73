from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data will be erased."),
        error_messages={"required": _("Tick the box to confirm that you want to be erased.")},
    )
