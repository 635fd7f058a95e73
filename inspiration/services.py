"""Writes of the inspiration app. Services trust their caller (the view checks
``inspiration.send_injection``); they keep the domain's rules: only a published
study, a scheduled session, a cycle still going on."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from knowledge_base.models import Study
from network_sessions.models import NetworkSession
from research_cycle.models import ResearchTeam

from .models import KnowledgeInjection


def injection_send(
    *,
    team: ResearchTeam,
    sender: User,
    kind: str,
    note: str,
    study: Study | None = None,
    session: NetworkSession | None = None,
    url: str = "",
    title: str = "",
) -> KnowledgeInjection:
    """Send the team a study, a session, a document or a link with a note; it is
    shown in the timeline of the team's current cycle, at the stage it is in."""
    cycle = team.current_cycle
    if cycle is None or cycle.is_completed:
        raise ValidationError(_("This team has no research cycle going on."))
    Kind = KnowledgeInjection.Kind
    if kind == Kind.STUDY and (study is None or not study.is_public):
        raise ValidationError({"study": _("Choose a published study.")})
    if kind == Kind.SESSION and (session is None or session.is_cancelled):
        raise ValidationError({"session": _("Choose a session that takes place.")})
    if kind in {Kind.DOCUMENT, Kind.LINK} and not url:
        raise ValidationError({"url": _("Give the address of the document or link.")})
    injection = KnowledgeInjection(
        team=team,
        cycle=cycle,
        stage_id=cycle.current_stage_id,
        sender=sender,
        kind=kind,
        study=study if kind == Kind.STUDY else None,
        session=session if kind == Kind.SESSION else None,
        url=url if kind in {Kind.DOCUMENT, Kind.LINK} else "",
        title=title if kind in {Kind.DOCUMENT, Kind.LINK} else "",
        note=note,
    )
    injection.full_clean()
    with transaction.atomic():
        injection.save()
    return injection
