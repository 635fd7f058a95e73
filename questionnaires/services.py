"""Writes for questionnaires: building, the consent gate, rounds, answers.

Keyword-only, atomic, validating before writing. Permission checks happen in
the views (``permissions.py``), as in every app; these functions enforce the
domain's rules (no opening without consent, no changes once answers may come
in, nothing stored twice).
"""

import datetime
import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from knowledge_base.models import Study
from research_cycle.models import LogEntry, Perspective, ResearchTeam
from research_cycle.services import log_entry_create

from .models import (
    EXTRA_LANGUAGES,
    MIN_GROUP_SIZE,
    OPEN_ANSWER_MAX_LENGTH,
    Answer,
    Question,
    Questionnaire,
    Response,
    ResultsSnapshot,
    Round,
    SnapshotQuote,
    UsedNonce,
)

#: A scale has this many points at least and at most (labels from low to high).
SCALE_POINTS = (2, 7)
MAX_OPTIONS = 12
MAX_QUESTIONS = 60


class Replayed(ValidationError):
    """The form's one-time nonce was used before: the answers are already stored."""


class Closed(ValidationError):
    """The round is closed (perhaps since the form read it): nothing is stored."""


def _validate_languages(languages: Sequence[str]) -> list[str]:
    unknown = set(languages) - set(EXTRA_LANGUAGES)
    if unknown:
        raise ValidationError({"languages": _("Unknown language: %s") % ", ".join(sorted(unknown))})
    return [code for code in EXTRA_LANGUAGES if code in languages]


def _editable(questionnaire: Questionnaire) -> None:
    if questionnaire.rounds.exists():
        raise ValidationError(
            _("The questionnaire has been opened: its questions can no longer change.")
        )


@transaction.atomic
def questionnaire_create(
    *,
    team: ResearchTeam,
    user: User,
    title: str,
    perspective: str,
    languages: Sequence[str] = (),
    title_translations: Mapping[str, str] | None = None,
    child_friendly: bool = False,
    smileys: bool = False,
) -> Questionnaire:
    """A new questionnaire of the team, without questions yet."""
    questionnaire = Questionnaire(
        team=team,
        cycle_id=team.current_cycle_id,
        created_by=user,
        title=title,
        perspective=perspective,
        languages=_validate_languages(languages),
        title_translations=dict(title_translations or {}),
        child_friendly=child_friendly,
        smileys=smileys,
    )
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    title: str,
    perspective: str,
    languages: Sequence[str] = (),
    title_translations: Mapping[str, str] | None = None,
    child_friendly: bool = False,
    smileys: bool = False,
) -> Questionnaire:
    """Change the questionnaire's settings. Who answers it cannot change once it
    opened (the consent step was confirmed for those respondents)."""
    if perspective != questionnaire.perspective:
        _editable(questionnaire)
        questionnaire.consent_confirmed_at = None
        questionnaire.consent_confirmed_by = None
    questionnaire.title = title
    questionnaire.perspective = perspective
    questionnaire.languages = _validate_languages(languages)
    questionnaire.title_translations = dict(title_translations or {})
    questionnaire.child_friendly = child_friendly
    questionnaire.smileys = smileys
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def _validate_question(
    kind: str, text: Mapping[str, str], options: Sequence[Mapping[str, str]]
) -> None:
    errors: dict[str, str] = {}
    if not (text.get("nl") or "").strip():
        errors["text"] = _("Write the question in Dutch.")
    if kind == Question.Kind.SCALE and not SCALE_POINTS[0] <= len(options) <= SCALE_POINTS[1]:
        errors["options"] = _("A scale has %(low)s to %(high)s labels, one a line.") % {
            "low": SCALE_POINTS[0],
            "high": SCALE_POINTS[1],
        }
    elif kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and not (
        2 <= len(options) <= MAX_OPTIONS
    ):
        errors["options"] = _("Give %(low)s to %(high)s options, one a line.") % {
            "low": 2,
            "high": MAX_OPTIONS,
        }
    elif kind == Question.Kind.OPEN and options:
        errors["options"] = _("An open question has no options.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def question_add(
    *,
    questionnaire: Questionnaire,
    kind: str,
    text: Mapping[str, str],
    options: Sequence[Mapping[str, str]] = (),
    required: bool = True,
) -> Question:
    """Add a question at the end. ``text`` and each option map a language to its text."""
    Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _editable(questionnaire)
    _validate_question(kind, text, options)
    last = questionnaire.questions.aggregate(last=Max("order"))["last"]
    if questionnaire.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(_("A questionnaire has at most %s questions.") % MAX_QUESTIONS)
    question = Question(
        questionnaire=questionnaire,
        order=(last or 0) + 1,
        kind=kind,
        text=dict(text),
        options=[dict(option) for option in options],
        required=required,
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_update(
    *,
    question: Question,
    kind: str,
    text: Mapping[str, str],
    options: Sequence[Mapping[str, str]] = (),
    required: bool = True,
) -> Question:
    _editable(question.questionnaire)
    _validate_question(kind, text, options)
    question.kind = kind
    question.text = dict(text)
    question.options = [dict(option) for option in options]
    question.required = required
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _editable(question.questionnaire)
    question.delete()


@transaction.atomic
def consent_confirm(
    *,
    questionnaire: Questionnaire,
    user: User,
    asks_no_names: bool,
    parents_informed_on: datetime.date | None = None,
    consent_letter: str = "",
    today: datetime.date,
    now: datetime.datetime,
) -> Questionnaire:
    """The coach confirms the consent step fitting the respondents: for every
    questionnaire that it asks for no names or identifying details; for pupils
    also that their parents were informed (when, with which letter) and could object."""
    errors: dict[str, str] = {}
    if not asks_no_names:
        errors["asks_no_names"] = _(
            "Confirm that the questionnaire asks for no names or identifying details."
        )
    if questionnaire.perspective == Perspective.PUPILS:
        if parents_informed_on is None:
            errors["parents_informed_on"] = _("Give the date the parents were informed.")
        elif parents_informed_on > today:
            errors["parents_informed_on"] = _("The parents must have been informed already.")
        if consent_letter not in Questionnaire.ConsentLetter.values:
            errors["consent_letter"] = _("Say which letter informed the parents.")
    if errors:
        raise ValidationError(errors)
    pupils = questionnaire.perspective == Perspective.PUPILS
    questionnaire.parents_informed_on = parents_informed_on if pupils else None
    questionnaire.consent_letter = consent_letter if pupils else ""
    questionnaire.consent_confirmed_at = now
    questionnaire.consent_confirmed_by = user
    questionnaire.save()
    return questionnaire


@transaction.atomic
def round_open(
    *,
    questionnaire: Questionnaire,
    closes_on: datetime.date,
    label: str = "",
    today: datetime.date,
) -> Round:
    """Open the questionnaire (again) with a new public link. Refused without the
    consent step, without questions, or while another round is still open."""
    Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    questionnaire.refresh_from_db()
    if not questionnaire.consent_confirmed:
        raise ValidationError(_("Confirm the consent step before opening the questionnaire."))
    if not questionnaire.questions.exists():
        raise ValidationError(_("Add at least one question first."))
    if closes_on < today:
        raise ValidationError({"closes_on": _("The closing date cannot be in the past.")})
    rounds = list(questionnaire.rounds.all())
    if any(round_.is_open_on(today) for round_ in rounds):
        raise ValidationError(_("Close the open round before opening a new one."))
    round_ = Round(
        questionnaire=questionnaire,
        number=max([r.number for r in rounds] + [0]) + 1,
        label=label,
        opened_on=today,
        closes_on=closes_on,
    )
    round_.full_clean()
    round_.save()
    return round_


@transaction.atomic
def round_close(*, round_: Round, today: datetime.date) -> Round:
    if round_.closed_on is None:
        round_.closed_on = today
        round_.save(update_fields=["closed_on"])
    return round_


#: One answer as stored: (question id, chosen option or None, open text).
type AnswerRow = tuple[int, int | None, str]


def _answer_rows(questions: Sequence[Question], answers: Mapping[int, object]) -> list[AnswerRow]:
    """The rows for cleaned answers ({question id: int, [int] or str}), each checked
    against its question again (the form checked them; the service trusts no one)."""
    rows: list[AnswerRow] = []
    for question in questions:
        value = answers.get(question.pk)
        if value in (None, "", []):
            if question.required:
                raise ValidationError({f"q{question.pk}": _("This question needs an answer.")})
            continue
        if question.kind == Question.Kind.OPEN:
            text = str(value)
            if len(text) > OPEN_ANSWER_MAX_LENGTH:
                raise ValidationError({f"q{question.pk}": _("This answer is too long.")})
            rows.append((question.pk, None, text))
            continue
        values = value if isinstance(value, list) else [value]
        if question.kind != Question.Kind.MULTIPLE and len(values) != 1:
            raise ValidationError({f"q{question.pk}": _("Choose one answer.")})
        for number in values:
            if not isinstance(number, int) or not 1 <= number <= len(question.options):
                raise ValidationError(
                    {f"q{question.pk}": _("This answer is not one of the choices.")}
                )
            rows.append((question.pk, number, ""))
    return rows


#: The columns ``_insert_answers`` writes, in its order.
ANSWER_COLUMNS = ("id", "response", "question", "round", "value", "text", "hidden")


def _insert_answers(response: Response, rows: Sequence[AnswerRow]) -> None:
    """All of a response's answers in one INSERT, without a model object per answer:
    on the public form's busiest path Django spent more CPU making and compiling 20
    ``Answer`` objects than PostgreSQL spent storing them. Values are prepared by the
    model's own fields (a UUID is text on SQLite, a uuid on PostgreSQL)."""
    if not rows:
        return
    fields = [Answer._meta.get_field(name) for name in ANSWER_COLUMNS]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)  # type: ignore[union-attr]
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list[Any] = []
    for question_id, value, text in rows:
        row = (uuid.uuid4(), response.pk, question_id, response.round_id, value, text, False)
        params += [
            field.get_db_prep_value(item, connection)  # type: ignore[union-attr]
            for field, item in zip(fields, row, strict=True)
        ]
    table = connection.ops.quote_name(Answer._meta.db_table)
    tuples = ", ".join([placeholders] * len(rows))
    # Names from the model, values as parameters: nothing typed by anyone in the SQL.
    sql = f"INSERT INTO {table} ({columns}) VALUES {tuples}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def response_submit(
    *,
    round_: Round,
    answers: Mapping[int, object],
    nonce: str,
    today: datetime.date,
    questions: Sequence[Question] | None = None,
) -> Response:
    """Store one respondent's answers, once: the form's nonce is used up in the
    same transaction, so a replay (the back button, a double click, a script)
    stores nothing. Only the day is kept, nothing about the sender. ``questions``:
    the questionnaire's, when the caller has them already (the public form: one
    query less on its busiest path).

    On PostgreSQL one statement (``_submit_statement``); elsewhere three INSERTs
    in one transaction without a savepoint: a used nonce rolls it all back."""
    if not round_.is_open_on(today):
        raise Closed(_("This questionnaire is closed."))
    if questions is None:
        questions = list(round_.questionnaire.questions.all())
    response = Response(round=round_, submitted_on=today)
    rows = _answer_rows(questions, answers)
    if connection.vendor == "postgresql":
        if not _submit_in_one_statement(response, rows, nonce):
            if UsedNonce.objects.filter(nonce=nonce).exists():
                raise Replayed(_("These answers were already sent."))
            raise Closed(_("This questionnaire is closed."))  # since the form read it
        response._state.adding = False
        return response
    try:
        with transaction.atomic():
            UsedNonce.objects.create(nonce=nonce, round=round_)
            response.save(force_insert=True)
            _insert_answers(response, rows)
    except IntegrityError:
        if UsedNonce.objects.filter(nonce=nonce).exists():
            raise Replayed(_("These answers were already sent.")) from None
        raise
    return response


def _submit_in_one_statement(response: Response, rows: Sequence[AnswerRow], nonce: str) -> bool:
    """The nonce, the response and its answers in one statement, so one round
    trip, atomic without a transaction block around it. Nothing is stored when
    the nonce was used (``ON CONFLICT DO NOTHING``: the response and answers are
    inserted from its RETURNING, which is then empty) or the round closed since
    it was read. True when stored."""
    with connection.cursor() as cursor:
        cursor.execute(
            _submit_statement(),
            {
                "nonce": nonce,
                "round": response.round_id,
                "today": response.submitted_on,
                "response": response.pk,
                # One JSON text: psycopg quotes a list for an array in Python,
                # which cost more than the rest of the statement.
                "answers": json.dumps(rows),
            },
        )
        (stored,) = cursor.fetchone()
    return bool(stored)


@functools.cache
def _submit_statement() -> str:
    """The statement of ``_submit_in_one_statement`` (PostgreSQL), with the
    tables' and columns' names from the models; the values are parameters."""
    quote = connection.ops.quote_name

    def columns(model: type[Any], *names: str) -> list[str]:
        return [quote(model._meta.get_field(name).column) for name in names]

    nonce, nonce_round = columns(UsedNonce, "nonce", "round")
    round_id, closed_on, opened_on, closes_on = columns(
        Round, "id", "closed_on", "opened_on", "closes_on"
    )
    response_id, response_round, submitted_on = columns(Response, "id", "round", "submitted_on")
    answer_columns = ", ".join(columns(Answer, *ANSWER_COLUMNS))
    used_nonces, rounds, responses, answers = (
        quote(model._meta.db_table) for model in (UsedNonce, Round, Response, Answer)
    )
    # Names from the models, values as parameters: nothing typed by anyone in the SQL.
    return f"""
        WITH nonce AS (
            INSERT INTO {used_nonces} ({nonce}, {nonce_round})
            SELECT %(nonce)s, r.{round_id} FROM {rounds} r
            WHERE r.{round_id} = %(round)s AND r.{closed_on} IS NULL
              AND %(today)s::date BETWEEN r.{opened_on} AND r.{closes_on}
            ON CONFLICT DO NOTHING
            RETURNING 1
        ), response AS (
            INSERT INTO {responses} ({response_id}, {response_round}, {submitted_on})
            SELECT %(response)s, %(round)s, %(today)s FROM nonce
            RETURNING {response_id} AS id
        ), answers AS (
            INSERT INTO {answers} ({answer_columns})
            SELECT gen_random_uuid(), response.id, (a->>0)::bigint, %(round)s,
                (a->>1)::smallint, a->>2, false
            FROM response, json_array_elements(%(answers)s::json) AS a
        )
        SELECT count(*) FROM response
    """  # noqa: S608


def _snapshot(round_: Round, user: User, *, language: str = "nl", **place: Any) -> ResultsSnapshot:
    from .selectors import snapshot_content

    questionnaire = round_.questionnaire
    responses, figures, quotes = snapshot_content(questionnaire, round_, language=language)
    snapshot = ResultsSnapshot.objects.create(
        round=round_,
        title=questionnaire.title_in(language),
        round_name=round_.name,
        responses=responses,
        figures=figures,
        created_by=user,
        **place,
    )
    if "study" in place:
        SnapshotQuote.objects.bulk_create(
            SnapshotQuote(snapshot=snapshot, answer=answer, question_index=index, text=answer.text)
            for index, answer in quotes
        )
    return snapshot


@transaction.atomic
def results_attach_to_log(
    *, questionnaire: Questionnaire, user: User, today: datetime.date
) -> LogEntry:
    """A research-diary entry in the team's open cycle with the figures of every
    round: shown there as charts and tables (a snapshot of each round, so later
    answers do not change what the diary says on that day), and attached as a
    CSV table. Aggregates only: no answer leaves the questionnaire."""
    from .selectors import aggregates_csv

    cycle = questionnaire.team.current_cycle
    if cycle is None or cycle.is_completed:
        raise ValidationError(_("The team has no open research cycle to add this to."))
    rounds = list(questionnaire.rounds.all())
    if not rounds:
        raise ValidationError(_("The questionnaire has not been opened yet."))
    content = aggregates_csv(questionnaire).encode()
    upload = SimpleUploadedFile(f"{slugify(questionnaire.title)}-results.csv", content, "text/csv")
    entry = log_entry_create(
        cycle=cycle,
        author=user,
        stage=cycle.current_stage,
        occurred_on=today,
        summary=_("Figures of the questionnaire “%(title)s” (table attached).")
        % {"title": questionnaire.title},
        perspectives=[questionnaire.perspective],
        files=[upload],
    )
    for round_ in rounds:
        _snapshot(round_, user, log_entry=entry)
    return entry


@transaction.atomic
def results_attach_to_study(*, round_: Round, study: Study, user: User) -> ResultsSnapshot:
    """Attach a round's figures (charts and tables) and its open answers to the
    team's study draft, as they are now: attaching the round again replaces
    them. The open answers stay off the public page until the reviewer approves
    each one (``quote_set_approved``)."""
    study = Study.objects.select_for_update().get(pk=study.pk)
    if study.team_id != round_.questionnaire.team_id:
        raise ValidationError({"study": _("This study is not the team's.")})
    if not study.is_editable:
        raise ValidationError(
            {"study": _("This study is under review or public and cannot be changed.")}
        )
    if not Response.objects.filter(round=round_).count() >= MIN_GROUP_SIZE:
        raise ValidationError(
            {"round": _("This round has fewer than 5 responses: there are no figures to show.")}
        )
    ResultsSnapshot.objects.filter(study=study, round=round_).delete()
    language = study.language if study.language in round_.questionnaire.all_languages else "nl"
    return _snapshot(round_, user, language=language, study=study)


@transaction.atomic
def results_detach_from_study(*, snapshot: ResultsSnapshot) -> None:
    """Take attached results off a draft again."""
    assert snapshot.study_id is not None, "only results attached to a study are detached"
    study = Study.objects.select_for_update().get(pk=snapshot.study_id)
    if not study.is_editable:
        raise ValidationError(_("This study is under review or public and cannot be changed."))
    snapshot.delete()


@transaction.atomic
def quote_set_approved(
    *, quote: SnapshotQuote, user: User, approved: bool, now: datetime.datetime
) -> SnapshotQuote:
    """The reviewer lets one open answer onto the public study page, or takes it
    off again. Approving is part of the review (a submitted study) and never for
    an answer the team hid; taking off is possible at any time."""
    quote = (
        SnapshotQuote.objects.select_for_update(of=("self",))
        .select_related("answer", "snapshot__study")
        .get(pk=quote.pk)
    )
    if approved:
        study = quote.snapshot.study
        if study is None or study.status != Study.Status.SUBMITTED:
            raise ValidationError(_("Open answers are approved while the study is in review."))
        if quote.answer is None or quote.answer.hidden:
            raise ValidationError(_("This answer was hidden or deleted and cannot be published."))
    quote.approved_at = now if approved else None
    quote.approved_by = user if approved else None
    quote.save(update_fields=["approved_at", "approved_by"])
    return quote


@transaction.atomic
def answer_set_hidden(*, answer: Answer, hidden: bool) -> Answer:
    """Hide an open answer that identifies someone (from results and exports)."""
    answer.hidden = hidden
    answer.save(update_fields=["hidden"])
    if hidden:  # off any study it was quoted in, approved or not
        SnapshotQuote.objects.filter(answer=answer).delete()
    return answer
