"""Reads: the questionnaires a person may see, and the results of rounds.

Results are computed from three grouped queries whatever the number of answers
(``round_aggregates``), in a JSON-able form that is also what a round keeps when
its answers are deleted after the retention period.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from access.shortcuts import object_for
from config.kept_query import attach_prefetched, kept_list
from oversight.charts import Chart, horizontal_bars

from .models import (
    MIN_GROUP_SIZE,
    Answer,
    Question,
    Questionnaire,
    Response,
    ResultsSnapshot,
    Round,
    SnapshotQuote,
)


def questionnaire_for(user, team_pk: int, pk: int, *, perm: str | None = None) -> Questionnaire:
    """The questionnaire if this person may see its team (else 404); with ``perm``
    (a ``questionnaires.*`` rule), 403 if they may not do that."""
    return object_for(
        user,
        Questionnaire.objects.select_related("team__school", "team__school_year").prefetch_related(
            Prefetch("rounds", queryset=Round.objects.order_by("number"))
        ),
        perm=perm,
        pk=pk,
        team_id=team_pk,
    )


def _questionnaires_of(*, team: int) -> QuerySet[Questionnaire]:
    return (
        Questionnaire.objects.filter(team=team)
        .annotate(question_count=Count("questions", distinct=True))
        # Explicit: Meta.ordering does not apply to a query that aggregates.
        .order_by("-created_at", "-pk")
    )


def _rounds_of(*, questionnaires: list[int]) -> QuerySet[Round]:
    return (
        Round.objects.filter(questionnaire__in=questionnaires)
        .annotate(response_count=Count("responses"))
        .order_by("number")
    )


def team_questionnaires(team) -> list[Questionnaire]:
    """The team's questionnaires, newest first, with their number of questions and
    their rounds (each with its number of responses): two queries, each compiled
    once per process (``config.kept_query``); ``questionnaire.rounds.all`` answers
    from memory, as after ``prefetch_related``."""
    questionnaires = kept_list("questionnaires.of_team", _questionnaires_of, team=team.pk)
    if not questionnaires:
        return questionnaires
    rounds = kept_list(
        "questionnaires.rounds_of_team",
        _rounds_of,
        questionnaires=[q.pk for q in questionnaires],
    )
    for questionnaire in questionnaires:
        questionnaire.team = team  # as ``team.questionnaires`` would
    attach_prefetched(
        questionnaires, "rounds", Round, rounds, by="questionnaire_id", back="questionnaire"
    )
    return questionnaires


def round_aggregates(rounds: list[Round]) -> dict[int, dict[str, Any]]:
    """Per round: how many responses, and per question how many answered, how often
    each option was chosen and the sum of the chosen values (for means). Rounds
    whose answers were deleted give the aggregates they kept."""
    live = [r.pk for r in rounds if r.answers_deleted_on is None]
    result: dict[int, dict[str, Any]] = {
        r.pk: r.aggregates or {"responses": 0, "questions": {}} for r in rounds if r.pk not in live
    }
    for pk in live:
        result[pk] = {"responses": 0, "questions": {}}
    if not live:
        return result
    for row in Response.objects.filter(round__in=live).values("round").annotate(n=Count("id")):
        result[row["round"]]["responses"] = row["n"]

    def question(round_pk: int, question_pk: int) -> dict[str, Any]:
        questions = result[round_pk]["questions"]
        return questions.setdefault(str(question_pk), {"answered": 0, "counts": {}, "sum": 0})

    answered = (
        Answer.objects.filter(round__in=live)
        .values("round", "question")
        .annotate(n=Count("response", distinct=True))
        .order_by()
    )
    for row in answered:
        question(row["round"], row["question"])["answered"] = row["n"]
    counts = (
        Answer.objects.filter(round__in=live, value__isnull=False)
        .values("round", "question", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in counts:
        figures = question(row["round"], row["question"])
        figures["counts"][str(row["value"])] = row["n"]
        figures["sum"] += row["value"] * row["n"]
    return result


@dataclass
class OptionFigure:
    label: str
    count: int
    percent: float


@dataclass
class QuestionFigures:
    round: Round | None
    answered: int
    suppressed: bool
    options: list[OptionFigure] = field(default_factory=list)
    mean: float | None = None
    chart: Chart | None = None


@dataclass
class QuestionResults:
    question: Question
    per_round: list[QuestionFigures]
    open_answers: list[Answer] = field(default_factory=list)


@dataclass
class RoundSummary:
    round: Round
    responses: int
    suppressed: bool


def _figures(question: Question, round_: Round, aggregate: dict[str, Any], language: str):
    figures = aggregate["questions"].get(str(question.pk), {"answered": 0, "counts": {}, "sum": 0})
    answered = figures["answered"]
    suppressed = aggregate["responses"] < MIN_GROUP_SIZE or answered < MIN_GROUP_SIZE
    result = QuestionFigures(round=round_, answered=answered, suppressed=suppressed)
    if suppressed or question.kind == Question.Kind.OPEN:
        return result
    labels = question.options_in(language)
    for number, label in enumerate(labels, 1):
        count = figures["counts"].get(str(number), 0)
        result.options.append(OptionFigure(label, count, round(100 * count / answered, 1)))
    if question.kind == Question.Kind.SCALE:
        result.mean = round(figures["sum"] / answered, 2)
    result.chart = figure_chart(result.options)
    return result


def figure_chart(options: list[OptionFigure]) -> Chart:
    """The bar chart of a question's figures: the results page, the diary and the study."""
    return horizontal_bars([(o.label, o.count) for o in options])


def results(
    questionnaire: Questionnaire, rounds: list[Round], *, language: str = "nl", hidden: bool = False
) -> tuple[list[RoundSummary], list[QuestionResults]]:
    """The figures of these rounds (one, or two to compare), per question, with no
    figure for a group of fewer than ``MIN_GROUP_SIZE``; open answers of rounds
    big enough, without the hidden ones unless ``hidden`` (the team's own view)."""
    aggregates = round_aggregates(rounds)
    summaries = [
        RoundSummary(
            r, aggregates[r.pk]["responses"], aggregates[r.pk]["responses"] < MIN_GROUP_SIZE
        )
        for r in rounds
    ]
    shown_rounds = [s.round.pk for s in summaries if not s.suppressed]
    open_answers: dict[int, list[Answer]] = defaultdict(list)
    texts = Answer.objects.filter(
        round__in=shown_rounds,
        question__questionnaire=questionnaire,
        question__kind=Question.Kind.OPEN,
    ).order_by("round__number", "text")
    if not hidden:
        texts = texts.filter(hidden=False)
    for answer in texts.only("id", "question_id", "round_id", "text", "hidden"):
        open_answers[answer.question_id].append(answer)
    questions = list(questionnaire.questions.all())
    return summaries, [
        QuestionResults(
            question=question,
            per_round=[_figures(question, r, aggregates[r.pk], language) for r in rounds],
            open_answers=open_answers.get(question.pk, []),
        )
        for question in questions
    ]


def aggregate_rows(questionnaire: Questionnaire) -> list[list[Any]]:
    """The figures of every round, a heading row then one row per answer option
    (and one for the mean): counts, percentages and means, never an answer;
    suppressed groups say so. What the CSV and the XLSX export hold."""
    rounds = list(questionnaire.rounds.all())
    _summaries, figures = results(questionnaire, rounds)
    rows: list[list[Any]] = [
        [_("round"), _("question"), _("answer"), _("count"), _("percent"), _("mean")]
    ]
    for item in figures:
        text = item.question.text_in("nl")
        for round_, fig in zip(rounds, item.per_round, strict=True):
            if fig.suppressed:
                rows.append([round_.name, text, _("fewer than 5 answers"), "", "", ""])
                continue
            for option in fig.options:
                rows.append([round_.name, text, option.label, option.count, option.percent, ""])
            if fig.mean is not None:
                rows.append([round_.name, text, "", fig.answered, "", fig.mean])
    return rows


def answer_rows(questionnaire: Questionnaire) -> list[list[str]]:
    """Every answer, one row a response (a heading row first), hidden open answers
    left out: the raw export, for those who build only."""
    questions = list(questionnaire.questions.all())
    rounds = {r.pk: r for r in questionnaire.rounds.all()}
    cells: dict[Any, dict[int, list[str]]] = {}
    round_of: dict[Any, int] = {}
    answers = Answer.objects.filter(round__in=rounds, hidden=False).values_list(
        "response_id", "round_id", "question_id", "value", "text"
    )
    labels = {q.pk: q.options_in("nl") for q in questions}
    for response_id, round_id, question_id, value, text in answers.iterator():
        round_of[response_id] = round_id
        cell = text or (labels[question_id][value - 1] if value else "")
        cells.setdefault(response_id, {}).setdefault(question_id, []).append(cell)
    return [[_("round"), *[q.text_in("nl") for q in questions]]] + [
        [rounds[round_of[response_id]].name, *["; ".join(row.get(q.pk, [])) for q in questions]]
        for response_id, row in cells.items()
    ]


def as_csv(rows: list[list[Any]]) -> str:
    """Rows as CSV, with a BOM so spreadsheet programs read the accents right."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(rows)
    return out.getvalue()


def as_xlsx(rows: list[list[Any]], *, sheet: str) -> bytes:
    """Rows as a one-sheet workbook: numbers stay numbers, the heading row is bold
    and frozen. A cell that looks like a formula is stored as text, so an answer
    typed as ``=HYPERLINK(…)`` never runs in the team's spreadsheet program.
    openpyxl is imported here: it takes a while, and only exports need it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.freeze_panes = "A2"
    for number, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(worksheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"
            if number == 0:
                cell.font = Font(bold=True)
            cells.append(cell)
        worksheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def aggregates_csv(questionnaire: Questionnaire) -> str:
    """The figures of every round as CSV (see ``aggregate_rows``)."""
    return as_csv(aggregate_rows(questionnaire))


# --- Results attached to a diary entry or a study ------------------------------


def snapshot_content(
    questionnaire: Questionnaire, round_: Round, *, language: str = "nl"
) -> tuple[int, list[dict[str, Any]], list[tuple[int, Answer]]]:
    """What a ``ResultsSnapshot`` keeps of a round: its number of responses, the
    figures per question (nothing for a group under ``MIN_GROUP_SIZE``), and the
    open answers that are not hidden, with the position of their question."""
    summaries, figures = results(questionnaire, [round_], language=language)
    kept, quotes = [], []
    for index, item in enumerate(figures):
        fig = item.per_round[0]
        kept.append(
            {
                "text": item.question.text_in(language),
                "kind": item.question.kind,
                "suppressed": fig.suppressed,
                "answered": None if fig.suppressed else fig.answered,
                "options": [
                    {"label": o.label, "count": o.count, "percent": o.percent} for o in fig.options
                ],
                "mean": fig.mean,
            }
        )
        quotes += [(index, answer) for answer in item.open_answers]
    return summaries[0].responses, kept, quotes


@dataclass
class AttachedQuestion:
    number: int
    text: str
    kind: str
    figures: QuestionFigures
    quotes: list[SnapshotQuote]


@dataclass
class AttachedResults:
    snapshot: ResultsSnapshot
    suppressed: bool
    questions: list[AttachedQuestion]


def attached_results(
    snapshots: QuerySet[ResultsSnapshot], *, public: bool
) -> list[AttachedResults]:
    """Attached results ready to show, their charts drawn by the code of the results
    page. ``public``: only the quotes the reviewer approved (the public study
    page and its previews); else every quote (the review screen). Two queries."""
    quotes = SnapshotQuote.objects.all()
    if public:
        quotes = quotes.filter(approved_at__isnull=False)
    return [
        shown_snapshot(snapshot, list(snapshot.quotes.all()))
        for snapshot in snapshots.prefetch_related(Prefetch("quotes", queryset=quotes))
    ]


def shown_snapshot(snapshot: ResultsSnapshot, quotes: list[SnapshotQuote]) -> AttachedResults:
    """One snapshot ready to show (a diary entry's have no quotes)."""
    by_question: dict[int, list[SnapshotQuote]] = defaultdict(list)
    for quote in quotes:
        by_question[quote.question_index].append(quote)
    questions = []
    for index, kept in enumerate(snapshot.figures):
        fig = QuestionFigures(
            round=None,
            answered=kept["answered"] or 0,
            suppressed=kept["suppressed"],
            options=[OptionFigure(**option) for option in kept["options"]],
            mean=kept["mean"],
        )
        if fig.options:
            fig.chart = figure_chart(fig.options)
        questions.append(
            AttachedQuestion(index + 1, kept["text"], kept["kind"], fig, by_question[index])
        )
    return AttachedResults(snapshot, snapshot.responses < MIN_GROUP_SIZE, questions)
