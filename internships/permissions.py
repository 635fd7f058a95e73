"""Who may see and do what during a placement, and in the mentor register. One
place, built from the role blocks in ``access.roles``.

An internship (a placement that was confirmed: confirmed, running or completed) is
private to its people:

| persona                                  | see | log | confirm hours | evaluate | respond |
|------------------------------------------|-----|-----|---------------|----------|---------|
| the student teacher                      | yes | yes | –             | –        | yes     |
| the mentor teacher                       | yes | –   | yes           | as mentor | –      |
| the supervising bridge-builder           | yes | –   | –             | as b.-b. | –       |
| the institution's placement coordinator  | yes | –   | –             | –        | –       |
| network admin                            | yes | –   | –             | –        | –       |
| anyone else (other staff of the school too) | 404                                       |

What an evaluation says is shown by one more rule (``evaluation_shown``): a
moment's evaluations are shown to everyone above once both are submitted; before
that, an evaluator sees only their own.

The mentor register is read by the placement coordinator (the schools of their
institution's partnerships), the bridge-builders and school leader of a school
(its mentors), network admins (everyone), and each mentor (their own row). The
coordinator and admins record mentor training.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from access.roles import AnyUser, is_network_admin, is_signed_in
from access.scope import in_years, scope_of
from config.kept_query import kept_list
from placements.models import Placement
from schools.models import Role

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Evaluation

#: The placement states in which there is an internship to keep and evaluate.
INTERNSHIP_STATES = (
    Placement.State.CONFIRMED,
    Placement.State.RUNNING,
    Placement.State.COMPLETED,
)
#: The states in which the student keeps the log and evaluators write.
OPEN_STATES = (Placement.State.CONFIRMED, Placement.State.RUNNING)


@dataclass(frozen=True)
class InternshipAccess:
    is_student: bool = False
    is_mentor: bool = False
    is_supervisor: bool = False
    is_coordinator: bool = False
    is_network_admin: bool = False

    @property
    def can_view(self) -> bool:
        return (
            self.is_student
            or self.is_mentor
            or self.is_supervisor
            or self.is_coordinator
            or self.is_network_admin
        )

    @property
    def evaluator_roles(self) -> list[str]:
        from .models import EvaluatorRole

        roles = []
        if self.is_mentor:
            roles.append(EvaluatorRole.MENTOR.value)
        if self.is_supervisor:
            roles.append(EvaluatorRole.BRIDGE_BUILDER.value)
        return roles


NO_ACCESS = InternshipAccess()


def _coordinated(user: AnyUser) -> dict[int, set[int]]:
    """{school year id: the institutions where the person coordinates placements}."""
    return scope_of(user).institutions_by_year([Role.PLACEMENT_COORDINATOR])


def visible_internships(placements: QuerySet[Placement], user: AnyUser) -> QuerySet[Placement]:
    """The internships this person may see: plain id lists from the person's scope
    (``access.scope``), so the queryset compiles cheaply."""
    if not is_signed_in(user):
        return placements.none()
    return visible_internships_by(placements, **internship_viewer(user))


def internship_viewer(user: "User") -> dict[str, Any]:
    """What ``visible_internships_by`` needs of a signed-in person: everything for a
    network admin, else their id and the institutions they coordinate at per year."""
    if is_network_admin(user):
        return {}
    return {"user": user.pk, "coordinated": _coordinated(user)}


def visible_internships_by(
    placements: QuerySet[Placement],
    *,
    user: int | None = None,
    coordinated: Mapping[int, Iterable[int]] | None = None,
) -> QuerySet[Placement]:
    """``visible_internships`` over the values of ``internship_viewer`` (no user: a
    network admin): a pure function of them, so ``config.kept_query`` can keep it."""
    internships = placements.filter(state__in=INTERNSHIP_STATES)
    if user is None:
        return internships
    return internships.filter(
        Q(student=user)
        | Q(mentor=user)
        | Q(bridge_builder=user)
        | in_years(coordinated or {}, ids="institution_id", year="school_year_id")
    )


class Internships:
    """The ``Scoped`` queryset of ``access.shortcuts.object_for`` for internships."""

    def __init__(self, queryset: QuerySet[Placement] | None = None) -> None:
        self.queryset = queryset if queryset is not None else Placement.objects.all()

    def visible_to(self, user: AnyUser) -> QuerySet[Placement]:
        return visible_internships(self.queryset, user)


def internship_access(user: AnyUser, placement: Placement) -> InternshipAccess:
    """What this person is to this internship, from the placement's people and the
    person's scope: no query."""
    if not is_signed_in(user) or placement.state not in INTERNSHIP_STATES:
        return NO_ACCESS
    coordinated = _coordinated(user).get(placement.school_year_id, set())
    return InternshipAccess(
        is_student=placement.student_id == user.pk,
        is_mentor=placement.mentor_id == user.pk,
        is_supervisor=placement.bridge_builder_id == user.pk,
        is_coordinator=placement.institution_id in coordinated,
        is_network_admin=is_network_admin(user),
    )


def evaluation_shown(user: AnyUser, evaluation: "Evaluation", *, moment_complete: bool) -> bool:
    """Whether this person may read this evaluation: its author always; everyone
    who may see the internship once both evaluations of the moment are submitted."""
    if not is_signed_in(user):
        return False
    if evaluation.author_id == user.pk:
        return True
    return moment_complete and internship_access(user, evaluation.placement).can_view


@rules.predicate
def can_view_internship(user: AnyUser, placement: Placement) -> bool:
    return internship_access(user, placement).can_view


@rules.predicate
def is_the_student(user: AnyUser, placement: Placement) -> bool:
    return internship_access(user, placement).is_student


@rules.predicate
def is_the_mentor(user: AnyUser, placement: Placement) -> bool:
    return internship_access(user, placement).is_mentor


@rules.predicate
def is_the_supervisor(user: AnyUser, placement: Placement) -> bool:
    return internship_access(user, placement).is_supervisor


# --- The mentor register -----------------------------------------------------------


@dataclass(frozen=True)
class RegisterScope:
    """Which mentors a person may read in the register: every mentor
    (``everyone``), the mentors of ``school_ids``, and their own row."""

    everyone: bool = False
    school_ids: frozenset[int] = frozenset()
    coordinator: bool = False
    own: bool = False

    @property
    def can_read(self) -> bool:
        return self.everyone or bool(self.school_ids) or self.own


def register_scope(user: AnyUser) -> RegisterScope:
    """What this person may read in the mentor register, from their roles in the
    current school year (from the scope). Two queries at most; cached on the person
    for the request."""
    if not is_signed_in(user):
        return RegisterScope()
    cache: dict[str, RegisterScope] = user.__dict__.setdefault("_mentor_register_scope", {})
    if "scope" in cache:
        return cache["scope"]
    if is_network_admin(user):
        scope = RegisterScope(everyone=True, coordinator=True)
    else:
        scope_now = scope_of(user)  # this year's roles: no query of their own
        schools = set(scope_now.school_ids_now([Role.BRIDGE_BUILDER, Role.SCHOOL_LEADER]))
        institutions = scope_now.institution_ids_now([Role.PLACEMENT_COORDINATOR])
        if institutions:
            schools |= set(
                kept_list("register.coordinated_schools", _schools_of, institutions=institutions)
            )
        own = is_mentor(user)
        scope = RegisterScope(
            school_ids=frozenset(schools), coordinator=bool(institutions), own=own
        )
    cache["scope"] = scope
    return scope


def _schools_of(*, institutions: list[int]) -> QuerySet[Any]:
    from schools.models import School

    return School.objects.filter(partnership__institution__in=institutions).values_list(
        "pk", flat=True
    )


def is_mentor(user: "User") -> bool:
    """Whether the person is in the register: mentor of a placement, named as a
    mentor in a school's hosting offer, or with a mentor training on record. One
    query, compiled once per process (``config.kept_query``)."""
    return bool(kept_list("register.is_mentor", _in_register, user=user.pk))


def _in_register(*, user: int) -> QuerySet[Any]:
    from accounts.models import User
    from placements.models import HostingOffer

    from .models import MentorTraining

    return (
        User.objects.filter(pk=user)
        .filter(
            Exists(Placement.objects.filter(mentor=OuterRef("pk")))
            | Exists(HostingOffer.mentors.through.objects.filter(user=OuterRef("pk")))
            | Exists(MentorTraining.objects.filter(mentor=OuterRef("pk")))
        )
        .values_list("pk", flat=True)[:1]
    )


@rules.predicate
def can_read_register(user: AnyUser) -> bool:
    return register_scope(user).can_read


@rules.predicate
def can_record_training(user: AnyUser, mentor: "User | None" = None) -> bool:
    """Coordinators and admins record training (the institution organises it)."""
    return register_scope(user).coordinator


rules.add_perm("internships.view_internship", can_view_internship)
rules.add_perm("internships.keep_log", is_the_student)
rules.add_perm("internships.confirm_hours", is_the_mentor)
rules.add_perm("internships.evaluate_as_mentor", is_the_mentor)
rules.add_perm("internships.evaluate_as_bridge_builder", is_the_supervisor)
rules.add_perm("internships.respond", is_the_student)
rules.add_perm("internships.read_mentor_register", can_read_register)
rules.add_perm("internships.record_training", can_record_training)
