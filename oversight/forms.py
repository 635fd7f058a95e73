from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from schools.models import School

from .models import AgreementItem, PartnershipAgreement


class AgreementForm(forms.ModelForm):
    class Meta:
        model = PartnershipAgreement
        fields = ["goals"]
        widgets = {"goals": forms.Textarea(attrs={"rows": 5})}


class AgreementCreateForm(forms.Form):
    school: "forms.ModelChoiceField[School]" = forms.ModelChoiceField(
        queryset=None, label=_("School")
    )
    goals = forms.CharField(
        label=_("Shared goals"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One goal per line."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["school"]).queryset = schools


class AgreementItemForm(forms.ModelForm):
    class Meta:
        model = AgreementItem
        fields = ["party", "kind", "description", "quantity", "unit", "measure"]


class TeamFilterForm(forms.Form):
    """The filters of the oversight page (GET)."""

    school = forms.ChoiceField(label=_("School"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    flag = forms.ChoiceField(
        label=_("Attention"),
        required=False,
        choices=[
            ("", _("All teams")),
            ("any", _("Needs attention")),
            ("inactive", _("No log entries lately")),
            ("stuck", _("Long in one stage")),
            ("none", _("On track")),
        ],
    )

    def __init__(self, *args, schools, stages, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["school"]).choices = [("", _("All schools"))] + [
            (str(s.pk), s.name) for s in schools
        ]
        cast(forms.ChoiceField, self.fields["stage"]).choices = (
            [("", _("All stages")), ("not_started", _("Not started"))]
            + [(s.code, f"{s.order}. {s.name}") for s in stages]
            + [("completed", _("Cycle completed"))]
        )
