from django import forms

from .models import SchoolPublicity


class PublicityForm(forms.ModelForm):
    class Meta:
        model = SchoolPublicity
        fields = [
            "show_city",
            "show_level",
            "show_partnership_years",
            "show_studies",
            "show_current_theme",
        ]
