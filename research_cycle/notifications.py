"""Notification kinds of the research diary: comments and @mentions.

A mention is ``@`` followed by a team member's handle (their name as a slug, e.g.
``@lotte-peeters``); the comment form also offers a plain select of the team's
members, so nobody needs to remember handles or have JavaScript."""

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from notifications.registry import Delivery, Kind, register, titled, visible_among
from notifications.services import notify

from .models import Comment, LogEntry, ResearchTeam

#: ``@handle`` at the start or after a space or bracket (so ``jan@school.be`` is no mention).
MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9-]*)", re.IGNORECASE)


def mention_handle(user: User) -> str:
    return slugify(user.full_name) or user.email.split("@")[0].lower()


def team_members(team: ResearchTeam) -> list[User]:
    return [m.user for m in team.memberships.select_related("user").order_by("user__full_name")]


def mentioned(team: ResearchTeam, text: str, extra: Iterable[User] = ()) -> list[User]:
    """The team members a text mentions (plus ``extra`` picked in the form).
    Mentioning anyone else is refused with a message naming them: nothing is saved."""
    members = {mention_handle(user): user for user in team_members(team)}
    handles = {handle.lower() for handle in MENTION.findall(text or "")}
    unknown = sorted(handle for handle in handles if handle not in members)
    member_ids = {user.pk for user in members.values()}
    strangers = [user for user in extra if user.pk not in member_ids]
    if unknown or strangers:
        names = ", ".join([f"@{h}" for h in unknown] + [u.full_name for u in strangers])
        raise ValidationError(
            _("Only members of this team can be mentioned, not: %(names)s.") % {"names": names}
        )
    people = {members[handle].pk: members[handle] for handle in handles}
    people.update({user.pk: user for user in extra})
    return list(people.values())


def _entries(user: Any) -> Any:
    """Log entries of the teams the person may see."""
    return LogEntry.objects.filter(
        cycle__team__in=ResearchTeam.objects.visible_to(user).values("pk")
    )


def _can_open_entry(user: Any, entry_id: int) -> bool:
    return _entries(user).filter(pk=entry_id).exists()


def _entry_url(entry: LogEntry) -> str:
    return reverse("research_cycle:team_workspace", args=[entry.cycle.team_id]) + (
        f"#entry-{entry.pk}"
    )


COMMENT_ON_MY_ENTRY = register(
    Kind(
        key="comment_on_my_entry",
        label=gettext_lazy("A comment on my log entry"),
        default=Delivery.DAILY,
        title=titled(gettext_lazy("%(actor)s commented on your log entry of %(date)s")),
        can_open=_can_open_entry,
        visible_ids=visible_among(_entries),
    )
)
COMMENT_IN_MY_TEAM = register(
    Kind(
        key="comment_in_my_team",
        label=gettext_lazy("A comment in my research team"),
        default=Delivery.DAILY,
        title=titled(gettext_lazy("%(actor)s commented in your research team “%(team)s”")),
        can_open=_can_open_entry,
        visible_ids=visible_among(_entries),
    )
)
MENTION_KIND = register(
    Kind(
        key="mention",
        label=gettext_lazy("Someone mentions me"),
        default=Delivery.IMMEDIATELY,
        title=titled(gettext_lazy("%(actor)s mentioned you in the research team “%(team)s”")),
        can_open=_can_open_entry,
        visible_ids=visible_among(_entries),
    )
)


def comment_notify(*, comment: Comment, mentions: Iterable[User]) -> None:
    """Tell the entry's author, the mentioned and the rest of the team. Each person
    hears once, by the most specific kind (mention, then my entry, then my team)."""
    entry = comment.log_entry
    team = entry.cycle.team
    actor = comment.author
    params = {"actor": actor.full_name, "team": team.theme, "date": entry.occurred_on.isoformat()}
    common: dict[str, Any] = {
        "target_id": entry.pk,
        "url": _entry_url(entry),
        "actor": actor,
        "params": params,
        "body": comment.body,
    }
    key = f"comment:{comment.pk}"
    mentioned_people = list(mentions)
    told = {person.pk for person in mentioned_people} | {actor.pk}
    notify(kind=MENTION_KIND.key, recipients=mentioned_people, event_key=key, **common)
    author = [entry.author] if entry.author_id not in told else []
    notify(kind=COMMENT_ON_MY_ENTRY.key, recipients=author, event_key=key, **common)
    told.add(entry.author_id)
    rest = [user for user in team_members(team) if user.pk not in told]
    notify(kind=COMMENT_IN_MY_TEAM.key, recipients=rest, event_key=key, **common)


def entry_mentions_notify(*, entry: LogEntry, mentions: Iterable[User]) -> None:
    """Tell the people a log entry mentions (once per entry and person, also when
    the entry is edited again)."""
    team = entry.cycle.team
    notify(
        kind=MENTION_KIND.key,
        recipients=mentions,
        target_id=entry.pk,
        event_key=f"entry:{entry.pk}",
        url=_entry_url(entry),
        actor=entry.author,
        params={
            "actor": entry.author.full_name,
            "team": team.theme,
            "date": entry.occurred_on.isoformat(),
        },
        body=entry.summary,
    )
