"""Who may do what with a study before (and after) it is public.

| persona                                   | see | start, submit | edit | review |
|-------------------------------------------|-----|---------------|------|--------|
| coach of the team                         | yes | yes           | yes  | no     |
| research / student teacher in the team    | yes | no            | yes  | no     |
| bridge-builder of the team's school       | yes | no            | no   | yes    |
| school leader, process facilitator        | yes | no            | no   | no     |
| network admin (also studies without team) | yes | yes           | yes  | yes    |
| anyone else                               | 404                                 |

"start" is making a draft from the team's cycle; "review" is requesting changes,
publishing and withdrawing. Seeing goes through ``Study.objects.visible_to(user)``;
these predicates decide the writes (403 for someone who may see but not act). They
are built from the team's rule (``research_cycle.permissions.team_access``) and the
role blocks of ``access.roles``; the views check them, the services trust the view.
"""

import rules

from access import roles
from access.roles import AnyUser
from research_cycle.models import ResearchTeam
from research_cycle.permissions import TeamAccess, team_access

from .models import Study, StudyAuthor

is_network_admin = rules.predicate(roles.is_network_admin)


def _access(user: AnyUser, study: Study) -> TeamAccess | None:
    team = study.team if study.team_id else None
    return team_access(user, team) if team is not None else None


@rules.predicate
def can_author_study(user: AnyUser, study: Study) -> bool:
    """Create from the cycle and submit for review: the team's coaches."""
    access = _access(user, study)
    return bool(access and access.can_advance)


@rules.predicate
def can_edit_study(user: AnyUser, study: Study) -> bool:
    """Change the draft's text, authors and files: the team's researchers."""
    access = _access(user, study)
    return bool(access and access.can_edit_study)


@rules.predicate
def can_review_study(user: AnyUser, study: Study) -> bool:
    """Request changes, publish, withdraw: the team's bridge-builder (see
    ``Study.objects.awaiting_review_by``)."""
    access = _access(user, study)
    return bool(access and access.is_school_bridge_builder)


@rules.predicate
def can_start_study_for_team(user: AnyUser, team: ResearchTeam) -> bool:
    return team_access(user, team).can_advance


@rules.predicate
def is_the_author(user: AnyUser, author: StudyAuthor) -> bool:
    """In the app, an author answers the consent question for themselves only."""
    return author.user_id is not None and author.user_id == user.pk


rules.add_perm("knowledge_base.author_study", is_network_admin | can_author_study)
rules.add_perm("knowledge_base.edit_study", is_network_admin | can_edit_study)
rules.add_perm("knowledge_base.review_study", is_network_admin | can_review_study)
rules.add_perm("knowledge_base.start_study", is_network_admin | can_start_study_for_team)
rules.add_perm("knowledge_base.enter_study_by_hand", is_network_admin)
rules.add_perm("knowledge_base.answer_as_author", is_the_author)
