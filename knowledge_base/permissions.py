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
these predicates decide the writes (403 for someone who may see but not act). The
services check them too, so no caller can skip the review.
"""

import rules

from accounts.models import AnyUser
from research_cycle.models import ResearchTeam
from research_cycle.permissions import TeamAccess, team_access

from .models import Study


def _access(user: AnyUser, study: Study) -> TeamAccess | None:
    return team_access(user, study.team) if study.team else None


@rules.predicate
def is_network_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def can_author_study(user: AnyUser, study: Study) -> bool:
    """Create from the cycle and submit for review: the team's coaches."""
    if is_network_admin(user):
        return True
    access = _access(user, study)
    return bool(access and access.can_advance)


@rules.predicate
def can_edit_study(user: AnyUser, study: Study) -> bool:
    """Change the draft's text, authors and files: the team's researchers."""
    if is_network_admin(user):
        return True
    access = _access(user, study)
    return bool(access and access.can_edit_study)


@rules.predicate
def can_review_study(user: AnyUser, study: Study) -> bool:
    """Request changes, publish, withdraw: the school's bridge-builder or an admin."""
    if is_network_admin(user):
        return True
    access = _access(user, study)
    return bool(access and access.is_school_bridge_builder)


@rules.predicate
def can_start_study_for_team(user: AnyUser, team: ResearchTeam) -> bool:
    return is_network_admin(user) or team_access(user, team).can_advance


rules.add_perm("knowledge_base.author_study", can_author_study)
rules.add_perm("knowledge_base.edit_study", can_edit_study)
rules.add_perm("knowledge_base.review_study", can_review_study)
rules.add_perm("knowledge_base.start_study", can_start_study_for_team)
rules.add_perm("knowledge_base.enter_study_by_hand", is_network_admin)
