"""The public form's fast check of a submission (``public.valid_answers``) accepts
exactly what the form (``AnswerForm``) accepts, with the same cleaned answers:
otherwise a respondent could store what the form would refuse, or be refused
without a message."""

import pytest
from django.http import QueryDict
from hypothesis import event, given, settings
from hypothesis import strategies as st

from questionnaires import public
from questionnaires.forms import AnswerForm
from questionnaires.models import OPEN_ANSWER_MAX_LENGTH, Question, Round

KIND = Question.Kind
QUESTIONS = [
    Question(pk=pk, kind=kind, required=required, text={"nl": f"Vraag {pk}"}, options=options)
    for pk, (kind, required, options) in enumerate(
        [
            (KIND.SCALE, True, [{"nl": label} for label in ("Oneens", "Neutraal", "Eens")]),
            (KIND.SCALE, False, [{"nl": label} for label in ("Nee", "Ja")]),
            (KIND.SINGLE, True, [{"nl": "Thuis"}, {"nl": "Op school"}]),
            (KIND.MULTIPLE, True, [{"nl": label} for label in ("Strips", "Romans", "Weetjes")]),
            (KIND.MULTIPLE, False, [{"nl": "Ja"}]),
            (KIND.OPEN, True, []),
            (KIND.OPEN, False, []),
        ],
        start=1,
    )
]
ROUND = Round(pk=1, token="fast-check-test")

choice = st.sampled_from(["", "1", "2", "3", "4", "0", "-1", "01", " 1", "1 ", "x", "1.0", "²"])
text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "  ", "\t\n", "a\x00b", "\x00"]),
    st.builds(
        lambda length, char, pad: pad + char * length + pad,
        st.integers(OPEN_ANSWER_MAX_LENGTH - 2, OPEN_ANSWER_MAX_LENGTH + 2),
        st.sampled_from(["a", "é", " "]),
        st.sampled_from(["", " "]),
    ),
)


def good(question: Question) -> st.SearchStrategy[list[str]]:
    if question.kind == KIND.OPEN:
        return st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=1)
    numbers = [str(number) for number in range(1, len(question.options) + 1)]
    size = len(numbers) if question.kind == KIND.MULTIPLE else 1
    return st.lists(st.sampled_from(numbers), min_size=1, max_size=size)


def anything(question: Question) -> st.SearchStrategy[list[str]]:
    return st.lists(text if question.kind == KIND.OPEN else choice, max_size=3)


@st.composite
def submissions(draw) -> QueryDict:
    """Good answers to most questions and anything to a few: so that both valid
    and invalid submissions come up, and each kind of wrong answer on its own."""
    wild = draw(st.sets(st.sampled_from(QUESTIONS), max_size=2))
    data = QueryDict(mutable=True)
    for question in QUESTIONS:
        values = anything(question) if question in wild else good(question)
        data.setlist(f"q{question.pk}", draw(values))
    return data


@settings(max_examples=400, deadline=None)
@given(submissions())
def test_the_fast_check_accepts_what_the_form_accepts_and_nothing_else(data):
    form = AnswerForm(data, questions=QUESTIONS, language="nl")
    fast = public.valid_answers(ROUND, QUESTIONS, data)
    if form.is_valid():
        assert fast == form.answers()
    else:
        assert fast is None, form.errors
    event("valid" if form.is_valid() else "invalid")


COMPLETE = {"q1": ["3"], "q3": ["2"], "q4": ["1", "3"], "q6": ["  Meer tijd  "]}


@pytest.mark.parametrize(
    "change",
    [
        {"q6": ["a" * OPEN_ANSWER_MAX_LENGTH]},
        {"q6": ["a" * (OPEN_ANSWER_MAX_LENGTH + 1)]},
        {"q6": [" " + "a" * OPEN_ANSWER_MAX_LENGTH + " "]},
        {"q7": ["é" * (OPEN_ANSWER_MAX_LENGTH + 1)]},
        {"q6": ["a\x00"]},
        {"q6": ["   "]},
        {"q1": ["4"]},
        {"q1": ["0"]},
        {"q1": [" 3"]},
        {"q1": []},
        {"q2": [""]},
        {"q3": ["1", "2"]},
        {"q4": ["1", "1"]},
        {"q4": ["1", "4"]},
        {"q4": []},
        {"q5": ["1"]},
    ],
)
def test_the_edges_are_where_the_form_has_them(change):
    data = QueryDict(mutable=True)
    for name, values in (COMPLETE | change).items():
        data.setlist(name, values)
    form = AnswerForm(data, questions=QUESTIONS, language="nl")
    fast = public.valid_answers(ROUND, QUESTIONS, data)
    assert fast == (form.answers() if form.is_valid() else None)


def test_a_complete_submission_passes_the_fast_check():
    data = QueryDict(mutable=True)
    data.update({"q1": "3", "q3": "2", "q6": "  Meer tijd  "})
    data.setlist("q4", ["1", "3"])
    assert public.valid_answers(ROUND, QUESTIONS, data) == {
        1: 3,
        2: None,
        3: 2,
        4: [1, 3],
        5: [],
        6: "Meer tijd",
        7: "",
    }
