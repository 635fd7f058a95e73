"""The review's forms only validate; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Criterion, SchoolNeeds, Score, SupportKind
from .selectors import AssessmentView
from .services import ScoreInput

COMMENT_MAX_LENGTH = 2000


class SelfAssessmentForm(forms.Form):
    """A score (1–4, or none yet) and a comment for every criterion of the framework."""

    def __init__(self, *args: object, assessment: AssessmentView, **kwargs: object) -> None:
        initial: dict[str, object] = {}
        for item in assessment.criteria:
            if item.score:
                initial[f"score_{item.criterion.pk}"] = item.score.score
                initial[f"comment_{item.criterion.pk}"] = item.score.comment
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.criteria: list[Criterion] = [item.criterion for item in assessment.criteria]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                choices=[("", _("Not scored yet"))] + list(Score.choices),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        """Each criterion with its two fields, for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def score_inputs(self) -> list[ScoreInput]:
        data = self.cleaned_data
        return [
            ScoreInput(
                criterion=c,
                score=data.get(f"score_{c.pk}"),
                comment=data.get(f"comment_{c.pk}", "").strip(),
            )
            for c in self.criteria
        ]


class NeedsForm(forms.ModelForm):
    support = forms.MultipleChoiceField(
        label=_("Kinds of support"),
        choices=SupportKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SchoolNeeds
        fields = ["support", "wishes"]
        widgets = {"wishes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "wishes": _(
                "For example: which trainings or knowledge sessions, how many student teachers, "
                "which research question the team wants help with."
            )
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("support") and not str(data.get("wishes") or "").strip():
            raise forms.ValidationError(
                _("Tick at least one kind of support or describe what the school wants.")
            )
        return data
