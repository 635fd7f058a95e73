"""Who may do what with a team's questionnaires: the team's own rule
(``research_cycle.permissions.team_access``), nothing new.

| persona                                | see, results | build, hide, raw | consent, open |
|----------------------------------------|--------------|------------------|---------------|
| coach of the team                      | yes          | yes              | yes           |
| research/student teacher, bridge-builder | yes        | yes              | no            |
| school leader, facilitator, admin      | yes          | no               | no            |
| anyone else                            | 404                                              |

Respondents need no account: the public form is reached by its round's token.
"""

import rules

from access.roles import AnyUser
from research_cycle.permissions import team_access

from .models import Questionnaire


@rules.predicate
def can_view_questionnaire(user: AnyUser, questionnaire: Questionnaire) -> bool:
    return team_access(user, questionnaire.team).can_view


@rules.predicate
def can_build_questionnaire(user: AnyUser, questionnaire: Questionnaire) -> bool:
    """Whoever may write in the team's log (team members, the bridge-builder)."""
    return team_access(user, questionnaire.team).can_log


@rules.predicate
def can_open_questionnaire(user: AnyUser, questionnaire: Questionnaire) -> bool:
    """The coach answers for the consent step, so the coach opens and closes."""
    return team_access(user, questionnaire.team).can_advance


rules.add_perm("questionnaires.view", can_view_questionnaire)
rules.add_perm("questionnaires.build", can_build_questionnaire)
rules.add_perm("questionnaires.open", can_open_questionnaire)
