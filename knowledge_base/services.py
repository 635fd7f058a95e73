"""Writes for the knowledge base: drafts, authors and their consent, files, and
the review workflow.

    draft ──submit──▶ submitted ──publish──▶ published ──withdraw──▶ withdrawn
      ▲                 │   ▲
      │          request│   │resubmit
      │          changes▼   │
      └──────────── changes requested

Every function is keyword-only and atomic and validates before it writes. Like
every service in Leerbrug, they trust their caller on *who* acts: the view checks
the rules of ``permissions.py`` first (README, "Access layer"). ``user`` is who
acts, for the record.
"""

import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from access.roles import is_bridge_builder_of_team, network_admins
from accounts.models import User
from accounts.services import send_templated_mail
from config.absolute_urls import absolute_url
from partnership.models import SchoolYear
from research_cycle.models import Attachment, ResearchCycle, TeamMembership, TeamRole
from research_cycle.uploads import validate_attachment
from schools.models import School

from .models import Study, StudyAuthor, StudyEvent, StudyFile, Theme
from .notifications import consent_notify, study_step_notify
from .public import may_be_named

Status = Study.Status

#: The text fields a draft holds; a form may change any of them.
CONTENT_FIELDS = [
    "title",
    "summary",
    "language",
    "school_level",
    "city",
    "dilemma",
    "research_question",
    "inspiration",
    "perspectives",
    "methods",
    "findings",
    "action_and_effect",
    "lessons",
]

#: Paths the public list, feed and API use under /studies/; a study never takes them.
RESERVED_SLUGS = {"manage", "feed", "files", "consent", "api", "oai", "search", "sitemap", "new"}


def _join(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _event(study: Study, *, from_status: str, user: User, comment: str = "") -> StudyEvent:
    return StudyEvent.objects.create(
        study=study, from_status=from_status, to_status=study.status, user=user, comment=comment
    )


def _reviewers(study: Study) -> list[User]:
    """Who reviews: the team's bridge-builders (of the team's school that year, or
    named in the team); the network admins when there are none, or for studies
    without a team."""
    people = User.objects.none()
    team = study.team if study.team_id else None
    if team is not None:
        people = User.objects.filter(
            is_bridge_builder_of_team(
                OuterRef("pk"), team=team.pk, school=team.school_id, school_year=team.school_year_id
            ),
            is_active=True,
        )
    return list(people) or list(network_admins())


def _team_coaches(study: Study) -> list[User]:
    if study.team_id:
        coaches = User.objects.filter(
            team_memberships__team_id=study.team_id,
            team_memberships__role=TeamRole.COACH,
            is_active=True,
        )
        return list(coaches)
    return [study.created_by] if study.created_by and study.created_by.is_active else []


def _notify(
    study: Study, people: Iterable[User], *, event: str, step: StudyEvent, comment: str = ""
) -> None:
    """A notification for each person (their mail through the outbox, per their
    preferences; in their language), made in this transaction."""
    study_step_notify(study=study, people=people, event=event, event_id=step.pk, comment=comment)


def _lock(study: Study) -> Study:
    return Study.objects.select_for_update(of=("self",)).select_related("team").get(pk=study.pk)


def _set_themes(study: Study, themes: Iterable[Theme] | None) -> None:
    if themes is not None:
        study.themes.set(themes)


# --- Drafts -----------------------------------------------------------------


@transaction.atomic
def study_create_from_cycle(*, cycle: ResearchCycle, user: User) -> Study:
    """A draft prefilled from the cycle's structured fields and the team's context.

    The team's members become its authors, each still to agree to being named.
    """
    team = cycle.team
    school = team.school
    study = Study(
        title=team.theme,
        summary=cycle.dilemma[:3000] or team.theme,
        team=team,
        cycle=cycle,
        school=school,
        school_year=team.school_year,
        school_level=school.level,
        city=school.city,
        dilemma=_join(cycle.dilemma, cycle.beliefs),
        research_question=_join(cycle.research_question, cycle.hypotheses),
        inspiration=cycle.inspiration_sources,
        perspectives=list(cycle.perspectives),
        methods=cycle.data_collection_plan,
        findings=cycle.findings,
        action_and_effect=_join(cycle.action_taken, cycle.measured_effect),
        lessons=cycle.lessons,
        created_by=user,
    )
    study.full_clean(exclude=["slug", "created_by"])
    study.save()
    _event(study, from_status="", user=user)
    memberships = (
        TeamMembership.objects.filter(team=team)
        .exclude(role="bridge_builder")
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    for order, membership in enumerate(memberships):
        person = membership.user
        StudyAuthor.objects.create(
            study=study,
            user=person,
            name=person.full_name or person.email,
            email=person.email,
            language=person.language,
            order=order,
        )
    return study


@transaction.atomic
def study_create(
    *,
    user: User,
    school: School,
    school_year: SchoolYear,
    themes: Iterable[Theme] | None = None,
    **fields: Any,
) -> Study:
    """A study from an earlier year, entered by hand by a network admin (no cycle)."""
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown study fields: {', '.join(sorted(unknown))}")
    study = Study(school=school, school_year=school_year, created_by=user, **fields)
    if not study.city:
        study.city = school.city
    if not study.school_level:
        study.school_level = school.level
    study.full_clean(exclude=["slug", "created_by"])
    study.save()
    _set_themes(study, themes)
    _event(study, from_status="", user=user)
    return study


@transaction.atomic
def study_update(
    *, study: Study, user: User, themes: Iterable[Theme] | None = None, **fields: Any
) -> Study:
    """Change a draft's content. Only drafts and studies sent back for changes."""
    study = _lock(study)
    if not study.is_editable:
        raise ValidationError(_("This study is under review or public and cannot be changed."))
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown study fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(study, name, value)
    study.full_clean(exclude=["slug", "created_by"])
    study.save()
    _set_themes(study, themes)
    return study


# --- Authors and consent ---------------------------------------------------------


def _editable(study: Study) -> Study:
    study = _lock(study)
    if not study.is_editable:
        raise ValidationError(_("This study is under review or public and cannot be changed."))
    return study


@transaction.atomic
def study_author_add(
    *, study: Study, user: User, name: str, email: str = "", language: str = "nl"
) -> StudyAuthor:
    """Name someone as an author; they still have to agree. An email address that
    belongs to an account links the author to that person (who can then answer in
    the app)."""
    study = _editable(study)
    email = email.strip().lower()
    person = User.objects.filter(email__iexact=email).first() if email else None
    if person and study.authors.filter(user=person).exists():
        raise ValidationError({"email": _("This person is already an author of this study.")})
    order = (study.authors.aggregate(n=Max("order"))["n"] or 0) + 1
    author = StudyAuthor(
        study=study,
        user=person,
        name=name.strip(),
        email=email,
        language=person.language if person else language,
        order=order,
    )
    author.full_clean()
    author.save()
    return author


@transaction.atomic
def study_author_remove(*, author: StudyAuthor, user: User) -> None:
    _editable(author.study)
    author.delete()


@transaction.atomic
def study_author_request_consent(*, author: StudyAuthor, user: User) -> StudyAuthor:
    """Email the author a personal link to agree (or not) to being named, in the
    author's language. A new request replaces the old link."""
    author = StudyAuthor.objects.select_for_update().select_related("study").get(pk=author.pk)
    if not author.email:
        raise ValidationError(
            {"email": _("Add an email address for %(name)s first.") % {"name": author.name}}
        )
    if author.study.status in {Status.PUBLISHED, Status.WITHDRAWN}:
        raise ValidationError(_("This study is no longer in review."))
    author.consent_token = secrets.token_urlsafe(32)
    author.save(update_fields=["consent_token"])
    path = reverse("knowledge_base:author_consent", kwargs={"token": author.consent_token})
    url = absolute_url(path)
    consent_notify(author=author, url=path, requested_by=user)
    context = {"author": author, "study": author.study, "url": url, "requested_by": user}
    language, to = author.language, [author.email]
    transaction.on_commit(
        lambda: send_templated_mail(
            template="emails/study_author_consent", to=to, language=language, context=context
        )
    )
    return author


@transaction.atomic
def study_author_answer(*, author: StudyAuthor, agreed: bool) -> StudyAuthor:
    """Record the author's answer. They may change their mind at any time: a
    published study only ever names the authors who agree (now)."""
    author = StudyAuthor.objects.select_for_update().get(pk=author.pk)
    author.consent = StudyAuthor.Consent.AGREED if agreed else StudyAuthor.Consent.DECLINED
    author.consented_at = timezone.now()
    author.save(update_fields=["consent", "consented_at"])
    return author


# --- Files ----------------------------------------------------------------------


@transaction.atomic
def study_file_add(*, study: Study, user: User, upload: "File[bytes]", kind: str) -> StudyFile:
    """Upload the poster or report: a real PDF (checked by content, not only name)."""
    study = _editable(study)
    if kind not in {StudyFile.Kind.POSTER, StudyFile.Kind.REPORT}:
        raise ValidationError({"kind": _("Choose poster or report.")})
    try:
        content_type = validate_attachment(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    if content_type != "application/pdf":
        raise ValidationError({"file": _("Posters and reports are uploaded as PDF.")})
    assert upload.name is not None, "validate_attachment refuses a file without a name"
    study_file = StudyFile(
        study=study,
        kind=kind,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
    )
    study_file.file.save(upload.name, upload, save=False)
    study_file.save()
    return study_file


@transaction.atomic
def study_attachments_copy(
    *, study: Study, user: User, attachments: Iterable[Attachment]
) -> list[StudyFile]:
    """Copy files the team collected in its research diary into the study. They are
    copies: deleting the diary entry later leaves the study intact."""
    study = _editable(study)
    copies = []
    for attachment in attachments:
        if attachment.log_entry.cycle.team_id != study.team_id or study.team_id is None:
            raise ValidationError({"attachments": _("This file does not belong to the team.")})
        with attachment.file.open("rb") as handle:
            content = handle.read()
        study_file = StudyFile(
            study=study,
            kind=StudyFile.Kind.OTHER,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
        )
        study_file.file.save(attachment.original_name, ContentFile(content), save=False)
        study_file.save()
        copies.append(study_file)
    return copies


@transaction.atomic
def study_file_delete(*, study_file: StudyFile, user: User) -> None:
    _editable(study_file.study)
    name, storage = study_file.file.name, study_file.file.storage
    assert name is not None, "a study file always has its file"
    study_file.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Review workflow ---------------------------------------------------------------


@transaction.atomic
def study_submit(*, study: Study, user: User) -> Study:
    """Send the draft (or the changed study) to review."""
    study = _lock(study)
    if not study.is_editable:
        raise ValidationError(_("Only a draft or a study with requested changes can be submitted."))
    if not study.summary.strip():
        raise ValidationError({"summary": _("Write a summary before submitting.")})
    if not study.themes.exists():
        raise ValidationError({"themes": _("Choose at least one theme before submitting.")})
    previous = study.status
    study.status = Status.SUBMITTED
    study.save(update_fields=["status", "updated_at"])
    step = _event(study, from_status=previous, user=user)
    _notify(study, _reviewers(study), event="submitted", step=step)
    return study


@transaction.atomic
def study_request_changes(*, study: Study, user: User, comment: str) -> Study:
    """The reviewer sends the study back with a comment saying what to change."""
    study = _lock(study)
    if study.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted study can be sent back."))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    if len(comment) > 4000:
        raise ValidationError({"comment": _("Keep the comment under 4000 characters.")})
    study.status = Status.CHANGES_REQUESTED
    study.save(update_fields=["status", "updated_at"])
    step = _event(study, from_status=Status.SUBMITTED, user=user, comment=comment)
    _notify(study, _team_coaches(study), event="changes_requested", step=step, comment=comment)
    return study


def unagreed_authors(study: Study) -> list[StudyAuthor]:
    return [author for author in study.authors.all() if not may_be_named(author)]


def _unique_slug(study: Study) -> str:
    base = slugify(f"{study.title} {study.school_year.name[:4]}")[:100].strip("-") or "studie"
    if base in RESERVED_SLUGS:
        base = f"{base}-studie"
    slug, number = base, 1
    while Study.objects.filter(slug=slug).exclude(pk=study.pk).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def study_publish(
    *,
    study: Study,
    user: User,
    no_identifiable_people: bool,
    consent_for_data: bool,
    comment: str = "",
) -> Study:
    """Publish after review. The reviewer confirms the privacy checklist (no pupil
    or parent identifiable in text or files; consent exists for the collected data)
    and every named author must have agreed. The study gets its stable address."""
    study = _lock(study)
    if study.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted study can be published."))
    errors = {}
    if not no_identifiable_people:
        errors["no_identifiable_people"] = _(
            "Confirm that no pupil or parent can be identified in the text or the files."
        )
    if not consent_for_data:
        errors["consent_for_data"] = _("Confirm that there is consent for the collected data.")
    waiting = unagreed_authors(study)
    if waiting:
        errors["__all__"] = _(
            "Every author must agree to be named. Still waiting for or declined by: %(names)s."
        ) % {"names": ", ".join(a.name for a in waiting)}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    study.status = Status.PUBLISHED
    study.slug = study.slug or _unique_slug(study)
    study.published_at = now
    study.privacy_confirmed_by = user
    study.privacy_confirmed_at = now
    study.save()
    step = _event(study, from_status=Status.SUBMITTED, user=user, comment=comment.strip())
    _notify(study, _team_coaches(study), event="published", step=step, comment=comment.strip())
    return study


@transaction.atomic
def study_withdraw(*, study: Study, user: User, note: str) -> Study:
    """Take a published study offline. Its address keeps answering (410 Gone)
    with the note, so links from elsewhere explain what happened."""
    study = _lock(study)
    if study.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published study can be withdrawn."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write a short public note on why it was withdrawn.")})
    if len(note) > 1000:
        raise ValidationError({"note": _("Keep the note under 1000 characters.")})
    study.status = Status.WITHDRAWN
    study.withdrawn_at = timezone.now()
    study.withdrawal_note = note
    study.save(update_fields=["status", "withdrawn_at", "withdrawal_note", "updated_at"])
    step = _event(study, from_status=Status.PUBLISHED, user=user, comment=note)
    _notify(study, _team_coaches(study), event="withdrawn", step=step, comment=note)
    return study


def team_attachments(study: Study) -> QuerySet[Attachment]:
    """The files of the team's research diary a draft may copy."""
    if study.team_id is None:
        return Attachment.objects.none()
    return Attachment.objects.filter(log_entry__cycle__team_id=study.team_id).select_related(
        "log_entry__cycle"
    )
