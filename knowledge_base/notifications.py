"""Notification kinds of the knowledge base's review: a study submitted, sent
back with the reviewer's comment, published or withdrawn, and being asked to
consent as an author. The first three keep their own mail (``study_review_step``)."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from config.absolute_urls import absolute_url
from notifications.registry import Delivery, Kind, register, titled, visible_among
from notifications.services import notify

from .models import Study, StudyAuthor

Status = Study.Status


def _studies(user: Any) -> Any:
    return Study.objects.visible_to(user)


def _can_open_study(user: Any, study_id: int) -> bool:
    return _studies(user).filter(pk=study_id).exists()


def _answerable(user: Any) -> Any:
    """The consent page is the author's own (its link is personal); still in review."""
    return (
        StudyAuthor.objects.filter(user=user)
        .exclude(consent_token="")
        .exclude(study__status__in=[Status.PUBLISHED, Status.WITHDRAWN])
    )


def _can_answer(user: Any, author_id: int) -> bool:
    return _answerable(user).filter(pk=author_id).exists()


def _review_mail(event: str) -> Any:
    def context(notification: Any) -> dict[str, Any]:
        study = Study.objects.select_related("school").get(pk=notification.target_id)
        return {
            "person": notification.recipient,
            "study": study,
            "event": event,
            "comment": notification.body,
            "manage_url": absolute_url(study.get_manage_url()),
            "public_url": absolute_url(study.get_absolute_url()) if study.slug else "",
        }

    return context


def _review_kind(event: str, label: Any, title: Any, default: Delivery) -> Kind:
    return register(
        Kind(
            key=f"study_{event}",
            label=label,
            default=default,
            title=titled(title),
            can_open=_can_open_study,
            visible_ids=visible_among(_studies),
            mail_template="emails/study_review_step",
            mail_context=_review_mail(event),
        )
    )


SUBMITTED = _review_kind(
    "submitted",
    _("A study waits for my review"),
    _("“%(study)s” waits for your review"),
    Delivery.IMMEDIATELY,
)
CHANGES_REQUESTED = _review_kind(
    "changes_requested",
    _("My study is sent back with changes to make"),
    _("“%(study)s” is sent back: changes requested"),
    Delivery.IMMEDIATELY,
)
PUBLISHED = _review_kind(
    "published",
    _("My study is published"),
    _("“%(study)s” is published in the knowledge base"),
    Delivery.IMMEDIATELY,
)
WITHDRAWN = register(
    Kind(
        key="study_withdrawn",
        label=_("My study is withdrawn"),
        default=Delivery.DAILY,
        title=titled(_("“%(study)s” was withdrawn from the knowledge base")),
        can_open=_can_open_study,
        visible_ids=visible_among(_studies),
    )
)
# The consent request has its own personal mail (the author need not have an
# account): the notification keeps it in the inbox, without a second mail.
CONSENT = register(
    Kind(
        key="author_consent",
        label=_("I am asked to consent as an author"),
        default=Delivery.APP_ONLY,
        title=titled(_("Do you agree to be named as an author of “%(study)s”?")),
        can_open=_can_answer,
        visible_ids=visible_among(_answerable),
    )
)


def study_step_notify(
    *, study: Study, people: Iterable[User], event: str, event_id: int, comment: str = ""
) -> None:
    """A review step concerns these people (the reviewers or the team's coaches)."""
    notify(
        kind=f"study_{event}",
        recipients=people,
        target_id=study.pk,
        event_key=f"study-event:{event_id}",
        url=study.get_manage_url(),
        params={"study": study.title},
        body=comment,
    )


def consent_notify(*, author: StudyAuthor, url: str, requested_by: User) -> None:
    if author.user is None:
        return
    notify(
        kind=CONSENT.key,
        recipients=[author.user],
        target_id=author.pk,
        event_key=f"consent:{author.pk}:{author.consent_token[:12]}",
        url=url,
        actor=requested_by,
        params={"study": author.study.title},
    )
