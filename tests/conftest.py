"""Shared fixtures: the network every test starts from, and the personas of the
house style (coach, research_teacher, student_teacher, bridge_builder,
school_leader, process_facilitator, network_admin, outsider, anonymous)."""

import os
import shutil
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command

from schools.models import Role

from . import factories

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = "/usr/bin/chromium"
# The Nu HTML checker, installed from npm into var/ (git-ignored) by the test that uses it.
VNU_DIR = settings.BASE_DIR / "var" / "vnu"
VNU_JAR = VNU_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL, Redis or Chromium run wherever those exist. In CI a
    missing service is a failure, never a silent skip; elsewhere the skip says why."""
    is_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_chromium = shutil.which(CHROMIUM) is not None
    has_redis = _redis_available()
    missing = {
        "postgres": (not is_postgres, "needs PostgreSQL: set DATABASE_URL=postgres://…"),
        "browser": (
            not has_chromium,
            f"needs Debian Chromium at {CHROMIUM} (apt install chromium)",
        ),
        "redis": (not has_redis, "needs a Redis server: set REDIS_URL=redis://…"),
        "html_checker": (
            not shutil.which("java") or not (VNU_JAR.exists() or shutil.which("npm")),
            "needs Java and npm for the Nu HTML checker (apt install default-jre-headless npm)",
        ),
    }
    for item in items:
        for marker, (absent, reason) in missing.items():
            if absent and item.get_closest_marker(marker):
                if IN_CI:
                    pytest.exit(f"CI must run every test, but {item.nodeid} {reason}", returncode=3)
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The database cache (allauth's rate limits on embedded defaults) needs its table."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_memos():
    """Every test starts and ends with nothing remembered in the per-process memos of
    rendered HTML (``config.rendered_memo``): a test that counts renderings counts its
    own, and none sees a part another test rendered."""
    from config.rendered_memo import forget_all

    forget_all()
    yield
    forget_all()


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Rate-limit counters and cached pages must not leak from one test to the next."""
    yield
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        from django.core.cache import cache, caches

        cache.clear()
        caches["pages"].clear()


@pytest.fixture
def no_page_cache(settings):
    """The page cache off (``config.page_cache``), so a test sees what the page keeps
    behind it (``pytest.mark.usefixtures("no_page_cache")``)."""
    settings.LEERBRUG_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def calls_of(monkeypatch):
    """``calls_of(owner, name)``: the arguments of every call of ``owner.name`` from
    then on (it still runs), e.g. how many times a part was rendered rather than
    taken from a memo."""

    def watch(owner, name: str) -> list:
        calls: list = []
        function = getattr(owner, name)

        def counted(*args, **kwargs):
            calls.append((args, kwargs))
            return function(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
        return calls

    return watch


@dataclass
class Network:
    school_year: object
    institution: object
    partnership: object
    school: object
    other_school: object
    community: object
    team: object
    other_team: object
    people: dict


PERSONAS = [
    "coach",
    "research_teacher",
    "student_teacher",
    "bridge_builder",
    "school_leader",
    "process_facilitator",
    "network_admin",
    "outsider",
]
#: The people of the continuum (placements and induction), in the same network. Not in
#: PERSONAS, so the older apps' matrices stay as they are; the new apps test them too.
CONTINUUM_PERSONAS = ["placement_coordinator", "mentor", "starting_teacher", "career_changer"]


@pytest.fixture
def network(db) -> Network:
    """One partnership in the current school year: a home school with a person in
    every role and its research team, and another school with its own coach (the
    outsider)."""
    school_year = factories.SchoolYearFactory(name="2025-2026", is_current=True)
    partnership = factories.PartnershipFactory(name="Onderzoekende School")
    institution = partnership.institution
    school = factories.SchoolFactory(partnership=partnership, name="Basisschool De Regenboog")
    other_school = factories.SchoolFactory(
        partnership=partnership, name="Atheneum Noord", level="secondary"
    )
    people = {
        "coach": factories.UserFactory(email="coach@school.test", full_name="Sara Peeters"),
        "research_teacher": factories.UserFactory(
            email="rt@school.test", full_name="Lotte Janssens"
        ),
        "student_teacher": factories.UserFactory(email="st@school.test", full_name="Milan De Smet"),
        "bridge_builder": factories.UserFactory(email="bb@school.test", full_name="An Claes"),
        "school_leader": factories.UserFactory(email="sl@school.test", full_name="Karim Benali"),
        "process_facilitator": factories.UserFactory(
            email="pf@school.test", full_name="Els Wouters"
        ),
        "network_admin": factories.UserFactory(
            email="admin@school.test", full_name="Beheer Der", is_staff=True, is_superuser=True
        ),
        "outsider": factories.UserFactory(email="other@school.test", full_name="Tom Vermeulen"),
        "placement_coordinator": factories.UserFactory(
            email="pc@school.test", full_name="Hanne Maes"
        ),
        "mentor": factories.UserFactory(email="mentor@school.test", full_name="Griet Willems"),
        "starting_teacher": factories.UserFactory(
            email="starter@school.test", full_name="Ilias Bouzid"
        ),
        "career_changer": factories.UserFactory(
            email="changer@school.test", full_name="Pieter Goossens"
        ),
    }

    def role(person, role, school=None, institution_=None, **extra):
        factories.RoleMembershipFactory(
            user=people[person],
            role=role,
            school=school,
            institution=institution_,
            school_year=school_year,
            **extra,
        )

    role("coach", Role.COACH, school)
    role("research_teacher", Role.RESEARCH_TEACHER, school)
    role("student_teacher", Role.STUDENT_TEACHER, school, institution)
    role("bridge_builder", Role.BRIDGE_BUILDER, school, institution)
    role("school_leader", Role.SCHOOL_LEADER, school)
    role("process_facilitator", Role.PROCESS_FACILITATOR, None, institution)
    role("outsider", Role.COACH, other_school)
    role("placement_coordinator", Role.PLACEMENT_COORDINATOR, None, institution)
    role("mentor", Role.TEACHER, school)
    role("starting_teacher", Role.STARTING_TEACHER, school, started_teaching_in=school_year)
    role("career_changer", Role.CAREER_CHANGER, school, started_teaching_in=school_year)

    community = factories.LearningCommunityFactory(
        partnership=partnership,
        school_year=school_year,
        name="PLG Zuid",
        process_facilitator=people["process_facilitator"],
    )
    factories.LearningCommunityMembershipFactory(community=community, school=school)

    team = factories.ResearchTeamFactory(
        school=school, school_year=school_year, theme="Leesmotivatie"
    )
    for person, team_role in [
        ("coach", "coach"),
        ("research_teacher", "research_teacher"),
        ("student_teacher", "student_teacher"),
        ("bridge_builder", "bridge_builder"),
    ]:
        factories.TeamMembershipFactory(team=team, user=people[person], role=team_role)
    other_team = factories.ResearchTeamFactory(
        school=other_school, school_year=school_year, theme="Feedback"
    )
    factories.TeamMembershipFactory(team=other_team, user=people["outsider"], role="coach")
    return Network(
        school_year=school_year,
        institution=institution,
        partnership=partnership,
        school=school,
        other_school=other_school,
        community=community,
        team=team,
        other_team=other_team,
        people=people,
    )


@pytest.fixture
def login(client):
    """Log the test client in as a persona (or stay anonymous for None)."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
