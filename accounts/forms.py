from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ProfileForm(forms.ModelForm):
    """What a person changes about themselves on the account page. The email address
    is not here: allauth's change flow replaces it only once the new one is verified."""

    class Meta:
        model = User
        fields = ["full_name", "preferred_language"]
        widgets = {"preferred_language": forms.RadioSelect}
        help_texts = {
            "preferred_language": _("Pages after you log in and every email are in this language.")
        }
