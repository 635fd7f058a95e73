"""Forms of the builder (team side) and the public form (respondents)."""

import datetime
import secrets
from typing import cast

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from knowledge_base.models import Study
from research_cycle.models import Perspective

from .models import EXTRA_LANGUAGES, LANGUAGES, OPEN_ANSWER_MAX_LENGTH, Question, Questionnaire
from .respondent_texts import texts_in

LANGUAGE_CHOICES = [(code, LANGUAGES[code][0]) for code in EXTRA_LANGUAGES]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Title (Dutch)"), max_length=200)
    perspective = forms.ChoiceField(label=_("Respondents"), choices=Perspective.choices)
    languages = forms.MultipleChoiceField(
        label=_("Also in"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For parents who read another language better. Dutch is always there."),
    )
    child_friendly = forms.BooleanField(
        label=_("Child-friendly: large type and one question a screen"), required=False
    )
    smileys = forms.BooleanField(label=_("Smileys on scales (for young pupils)"), required=False)

    def __init__(self, *args, questionnaire: Questionnaire | None = None, **kwargs):
        if questionnaire is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": questionnaire.title,
                "perspective": questionnaire.perspective,
                "languages": questionnaire.languages,
                "child_friendly": questionnaire.child_friendly,
                "smileys": questionnaire.smileys,
                **{f"title_{c}": t for c, t in questionnaire.title_translations.items()},
            }
        super().__init__(*args, **kwargs)
        for code in EXTRA_LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": LANGUAGES[code][0]},
                max_length=200,
                required=False,
            )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "perspective": data["perspective"],
            "languages": data["languages"],
            "child_friendly": data["child_friendly"],
            "smileys": data["smileys"],
            "title_translations": {
                code: data[f"title_{code}"]
                for code in data["languages"]
                if data.get(f"title_{code}")
            },
        }


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)

    def __init__(
        self, *args, questionnaire: Questionnaire, question: Question | None = None, **kwargs
    ):
        if question is not None and "initial" not in kwargs:
            initial = {"kind": question.kind, "required": question.required}
            for code in questionnaire.all_languages:
                initial[f"text_{code}"] = question.text.get(code, "")
                initial[f"options_{code}"] = "\n".join(o.get(code, "") for o in question.options)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.languages = questionnaire.all_languages
        for code in self.languages:
            name = LANGUAGES[code][0]
            direction = LANGUAGES[code][1]
            attrs = {"lang": code, "dir": direction}
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question in %(language)s") % {"language": name},
                max_length=500,
                required=code == "nl",
                widget=forms.TextInput(attrs=attrs),
            )
            self.fields[f"options_{code}"] = forms.CharField(
                label=_("Options or scale labels in %(language)s, one a line") % {"language": name},
                help_text=_("A scale: its labels from low to high (2 to 7). Open question: empty.")
                if code == "nl"
                else "",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={**attrs, "rows": 4}),
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        dutch = _lines(data.get("options_nl", ""))
        for code in self.languages[1:]:
            other = _lines(data.get(f"options_{code}", ""))
            if other and len(other) != len(dutch):
                self.add_error(
                    f"options_{code}",
                    _("Give as many lines as in Dutch (%(count)s).") % {"count": len(dutch)},
                )
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        options_per_language = {
            code: _lines(data.get(f"options_{code}", "")) for code in self.languages
        }
        options = []
        for index, dutch in enumerate(options_per_language["nl"]):
            option = {"nl": dutch}
            for code in self.languages[1:]:
                if index < len(options_per_language[code]):
                    option[code] = options_per_language[code][index]
            options.append(option)
        return {
            "kind": data["kind"],
            "required": data["required"],
            "text": {
                code: data[f"text_{code}"] for code in self.languages if data.get(f"text_{code}")
            },
            "options": options,
        }


class ConsentForm(forms.Form):
    asks_no_names = forms.BooleanField(
        label=_(
            "The questionnaire asks for no names or identifying details; respondents "
            "are warned not to write names in open answers."
        ),
        required=False,
    )
    parents_informed_on = forms.DateField(
        label=_("Parents informed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    consent_letter = forms.ChoiceField(
        label=_("Letter used"),
        choices=[("", "—"), *Questionnaire.ConsentLetter.choices],
        required=False,
    )
    parents_could_object = forms.BooleanField(
        label=_(
            "The parents were told they can object, and pupils whose parents objected "
            "do not take part."
        ),
        required=False,
    )

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        if not questionnaire.needs_parent_notice:
            for name in ("parents_informed_on", "consent_letter", "parents_could_object"):
                del self.fields[name]
        self.pupils = questionnaire.needs_parent_notice

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.pupils and not data.get("parents_could_object"):
            self.add_error("parents_could_object", _("Confirm that the parents could object."))
        return data


class RoundForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=60,
        required=False,
        help_text=_("For example “before”, “after” or “class 5A”."),
    )
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )


# --- The public form ---------------------------------------------------------

NONCE_SALT = "questionnaires.nonce"
NONCE_MAX_AGE = datetime.timedelta(days=2)


def new_nonce(token: str) -> str:
    """A one-time value for one blank form, signed so only forms we served count."""
    return signing.dumps(secrets.token_urlsafe(16), salt=f"{NONCE_SALT}:{token}")


def read_nonce(token: str, signed: str) -> str | None:
    try:
        return signing.loads(signed, salt=f"{NONCE_SALT}:{token}", max_age=NONCE_MAX_AGE)
    except signing.BadSignature:
        return None


class ScaleRadioSelect(forms.RadioSelect):
    """Radio buttons that know their place on the scale, for the smiley faces:
    the mouth curves from a frown (lowest) to a smile (highest)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        points = len(list(self.choices))
        position = index / (points - 1) if points > 1 else 0.5
        option["mouth"] = f"M14 32 Q24 {round(24 + position * 20, 1)} 34 32"
        return option


class AnswerForm(forms.Form):
    """The respondent's answers: a field per question (``q<id>``), messages in the
    respondent's language. ``only`` limits validation to the questions on this
    screen and before (child-friendly mode carries earlier answers along as hidden
    fields): questions after the first ``asked`` are not required yet."""

    #: A field people do not see and bots fill in.
    website = forms.CharField(required=False, label="Website")

    def __init__(
        self, *args, questions: list[Question], language: str, asked: int | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        words = texts_in(language)
        self.questions = questions
        for position, question in enumerate(questions):
            errors = {
                "required": words["required"],
                "invalid_choice": words["not_in_scale"],
                "invalid_list": words["not_in_scale"],
                "max_length": words["too_long"].format(max=OPEN_ANSWER_MAX_LENGTH),
            }
            label = question.text_in(language)
            required = question.required and (asked is None or position < asked)
            choices = [(str(i), text) for i, text in enumerate(question.options_in(language), 1)]
            field: forms.Field
            if question.kind == Question.Kind.OPEN:
                field = forms.CharField(
                    label=label,
                    required=required,
                    max_length=OPEN_ANSWER_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 3, "maxlength": OPEN_ANSWER_MAX_LENGTH}),
                    error_messages=errors,
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label,
                    required=required,
                    choices=choices,
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=errors,
                )
            else:
                field = forms.TypedChoiceField(
                    label=label,
                    required=required,
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    widget=ScaleRadioSelect
                    if question.kind == Question.Kind.SCALE
                    else forms.RadioSelect,
                    error_messages=errors,
                )
            field.question = question  # type: ignore[union-attr]  # for the template
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


SMALL = {"class": "form-select form-select-sm"}


class AttachToStudyForm(forms.Form):
    """Which round's figures go to which of the team's study drafts."""

    round = forms.TypedChoiceField(label=_("Round"), coerce=int, widget=forms.Select(attrs=SMALL))
    study = forms.ModelChoiceField(
        label=_("Study draft"),
        queryset=Study.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs=SMALL),
    )

    def __init__(self, *args, rounds, studies, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["round"]).choices = [
            (r.number, r.name) for r in rounds
        ]
        cast(forms.ModelChoiceField, self.fields["study"]).queryset = studies
