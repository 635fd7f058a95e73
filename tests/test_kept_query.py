"""Querysets compiled once per process (``config.kept_query``): the rows are always
read afresh, each person gets their own, and a queryset whose SQL depends on more
than its values is never kept."""

import datetime

import pytest
from django.db.models import Count, Prefetch
from django.utils import timezone, translation

from access.scope import in_years
from config import kept_query
from config.kept_query import kept_list
from research_cycle import services
from research_cycle.models import ResearchCycle, ResearchTeam, TeamMembership
from tests import factories
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    kept_query.forget()
    yield
    kept_query.forget()


class Builds:
    """A ``build`` that counts how often it is called."""

    def __init__(self, build):
        self.build, self.calls = build, 0
        self.__qualname__ = build.__qualname__

    def __call__(self, **values):
        self.calls += 1
        return self.build(**values)


def teams_of(*, user: int, year: int):
    return (
        ResearchTeam.objects.filter(school_year=year, memberships__user=user)
        .select_related("school", "current_cycle__current_stage")
        .annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("user"))
        )
        .order_by("theme")
    )


def test_two_people_each_get_their_own_rows_from_one_compiled_query(network):
    build = Builds(teams_of)
    coach, outsider = network.people["coach"], network.people["outsider"]
    year = network.school_year.pk
    mine = kept_list("teams", build, user=coach.pk, year=year)
    theirs = kept_list("teams", build, user=outsider.pk, year=year)
    mine_again = kept_list("teams", build, user=coach.pk, year=year)
    assert [t.theme for t in mine] == [t.theme for t in mine_again] == ["Leesmotivatie"]
    assert [t.theme for t in theirs] == ["Feedback"]
    assert build.calls == 2  # compiled once, with two sets of stand-ins; never again
    # Models as the queryset makes them: related objects, annotations, prefetches.
    team = mine[0]
    assert team.school.name == "Basisschool De Regenboog"
    assert {m.user.full_name for m in team.memberships.all()} >= {"Sara Peeters"}
    assert [(t.pk, t.member_count) for t in list(teams_of(user=coach.pk, year=year))] == [
        (t.pk, t.member_count) for t in mine
    ]


def test_a_change_shows_on_the_next_call(network):
    year = network.school_year.pk
    coach = network.people["coach"]
    assert len(kept_list("teams", teams_of, user=coach.pk, year=year)) == 1
    factories.TeamMembershipFactory(team=network.other_team, user=coach, role="coach")
    assert len(kept_list("teams", teams_of, user=coach.pk, year=year)) == 2


def test_id_lists_of_every_length_give_the_rows_of_those_ids(network):
    def teams_in(*, ids: list[int]):
        return (
            ResearchTeam.objects.filter(pk__in=ids).order_by("pk").values_list("theme", flat=True)
        )

    build = Builds(teams_in)
    both = [network.team.pk, network.other_team.pk]
    assert kept_list("in", build, ids=[]) == []
    assert kept_list("in", build, ids=[network.other_team.pk]) == ["Feedback"]
    assert kept_list("in", build, ids=[network.team.pk]) == ["Leesmotivatie"]
    assert kept_list("in", build, ids=both + both) == ["Leesmotivatie", "Feedback"]
    assert kept_list("in", build, ids=(both[1], both[0])) == ["Leesmotivatie", "Feedback"]


def test_dates_and_times_are_values_too(network):
    def teams_at(*, day: datetime.date, moment: datetime.datetime):
        return ResearchTeam.objects.filter(
            school_year__starts_on__lte=day, created_at__lte=moment
        ).order_by("pk")

    build = Builds(teams_at)
    now = timezone.now()
    inside = network.school_year.starts_on + datetime.timedelta(days=3)
    before = network.school_year.starts_on - datetime.timedelta(days=3)
    assert len(kept_list("at", build, day=inside, moment=now)) == 2
    assert kept_list("at", build, day=before, moment=now) == []
    assert kept_list("at", build, day=inside, moment=now - datetime.timedelta(days=1)) == []
    assert build.calls == 2


def test_a_query_whose_sql_depends_on_more_than_its_values_is_never_kept(network, caplog):
    def by_the_clock(*, user: int):
        # the clock read inside: every compile gives other parameters
        return ResearchTeam.objects.filter(memberships__user=user, created_at__lte=timezone.now())

    build = Builds(by_the_clock)
    assert len(kept_list("clock", build, user=network.people["coach"].pk)) == 1
    assert len(kept_list("clock", build, user=network.people["coach"].pk)) == 1
    assert build.calls == 4  # two compiles, found wanting, then built as a plain queryset
    assert "not kept" in caplog.text


def test_each_language_has_its_own_compiled_query(network):
    build = Builds(teams_of)
    values = {"user": network.people["coach"].pk, "year": network.school_year.pk}
    with translation.override("en"):
        kept_list("teams", build, **values)
    with translation.override("nl"):
        kept_list("teams", build, **values)
    assert build.calls == 4


def test_the_same_number_of_queries_as_the_queryset(network, django_assert_num_queries):
    values = {"user": network.people["coach"].pk, "year": network.school_year.pk}
    kept_list("teams", teams_of, **values)
    with django_assert_num_queries(2):  # the teams, their members (prefetched)
        kept_list("teams", teams_of, **values)


def test_ids_per_school_year_as_the_scope_gives_them(network):
    def teams_at(*, by_year: dict[int, list[int]]):
        return ResearchTeam.objects.filter(
            in_years(by_year, ids="school_id", year="school_year_id")
        ).order_by("pk")

    build = Builds(teams_at)
    year = network.school_year.pk
    school, other = network.school.pk, network.other_school.pk
    assert kept_list("years", build, by_year={year: {school}}) == [network.team]
    assert kept_list("years", build, by_year={year: {other}}) == [network.other_team]
    assert kept_list("years", build, by_year={year + 1: {school}}) == []
    assert kept_list("years", build, by_year={year: {other, school}}) == [
        network.team,
        network.other_team,
    ]
    assert build.calls == 4  # two shapes: one school, two schools


def test_an_id_out_of_every_columns_range_finds_nothing_as_django_would(network):
    def team(*, pk: int):
        return ResearchTeam.objects.filter(pk=pk)

    assert kept_list("pk", team, pk=network.team.pk) == [network.team]
    assert kept_list("pk", team, pk=2**70) == []


def test_two_people_each_see_their_own_dashboard_and_a_change_at_once(client, network):
    """The dashboard's queries are kept once for everyone; what they read is each
    person's own, read afresh on every request."""
    coach, outsider = network.people["coach"], network.people["outsider"]
    for person, mine, theirs in [
        (coach, "Leesmotivatie", "Feedback"),
        (outsider, "Feedback", "Leesmotivatie"),
        (coach, "Leesmotivatie", "Feedback"),
    ]:
        client.force_login(person)
        html = client.get("/dashboard/").content.decode()
        assert mine in html
        assert theirs not in html
    factories.TeamMembershipFactory(team=network.other_team, user=coach, role="coach")
    client.force_login(coach)
    assert "Feedback" in client.get("/dashboard/").content.decode()


def test_the_team_page_read_for_a_member_is_still_404_for_an_outsider(client, network):
    team_url = f"/teams/{network.team.pk}/"
    client.force_login(network.people["coach"])
    assert client.get(team_url).status_code == 200
    client.force_login(network.people["outsider"])
    assert client.get(team_url).status_code == 404
    assert client.get(f"/teams/{network.other_team.pk}/").status_code == 200
    assert client.get(f"/teams/{2**40}/").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS + CONTINUUM_PERSONAS)
def test_every_persona_s_dashboard_and_team_page_use_kept_queries(client, network, persona, caplog):
    """A query found not to be keepable still answers (as a plain queryset) but
    loses what this module is for: none of the dashboard's or the team page's may."""
    from research_cycle import services
    from research_cycle.models import Comment

    cycle = services.cycle_start(team=network.team, user=network.people["coach"])
    entry = services.log_entry_create(
        cycle=cycle,
        author=network.people["coach"],
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Eerste overleg",
    )
    Comment.objects.create(log_entry=entry, author=network.people["coach"], body="Goed zo")
    client.force_login(network.people[persona])
    assert client.get("/dashboard/").status_code == 200
    html = client.get(f"/teams/{network.team.pk}/").content.decode()
    if persona in {"coach", "research_teacher", "bridge_builder", "network_admin"}:
        assert "Eerste overleg" in html and "Goed zo" in html
    assert "not kept" not in caplog.text


def test_a_build_that_cannot_take_stand_ins_runs_as_a_plain_queryset(network, caplog):
    def only_real_teams(*, pk: int):
        if pk >= 10**9:  # refuses the stand-ins
            raise ValueError(pk)
        return ResearchTeam.objects.filter(pk=pk)

    assert kept_list("real", only_real_teams, pk=network.team.pk) == [network.team]
    assert kept_list("real", only_real_teams, pk=network.other_team.pk) == [network.other_team]
    assert "not kept" in caplog.text


@pytest.mark.parametrize("persona", PERSONAS + CONTINUUM_PERSONAS)
def test_every_persona_s_oversight_pages_and_vacancy_board_use_kept_queries(
    client, network, persona, caplog
):
    """The oversight pages and the vacancy board: each person sees what the rules
    give them (the board exactly ``visible_to`` of the open vacancies, the oversight
    pages only to who oversees), with no query left unkept."""
    from tests.vacancies.conftest import VacancyFactory
    from vacancies.models import Vacancy

    VacancyFactory(school=network.school, title="Publieke vacature", is_public=True)
    VacancyFactory(school=network.other_school, title="Interne vacature")
    person = network.people[persona]
    client.force_login(person)
    overview = client.get("/oversight/")
    if persona in {"bridge_builder", "school_leader", "network_admin"}:
        assert overview.status_code == 200
        assert network.team.theme in overview.content.decode()
    elif persona in {"coach", "outsider", "student_teacher", "research_teacher"}:
        assert overview.status_code == 404
    expected_network = 200 if persona in {"process_facilitator", "network_admin"} else 404
    assert client.get("/oversight/network/").status_code == expected_network
    client.get("/oversight/agreements/")
    html = client.get("/vacancies/").content.decode()
    seen = {v.title for v in Vacancy.objects.visible_to(person).open_on()}
    for title in ["Publieke vacature", "Interne vacature"]:
        assert (title in html) == (title in seen)
    assert "Publieke vacature" in seen
    assert "not kept" not in caplog.text


def test_the_vacancy_board_s_kept_filters_give_what_the_filter_gives(client, network):
    """Level and city go through the kept query, a subject through django-filter as
    before: the same vacancies either way, for a person of the network and for the
    public."""
    from tests.vacancies.conftest import VacancyFactory

    network.other_school.city = "Schaarbeek"
    network.other_school.save()
    VacancyFactory(school=network.school, title="Lager wiskunde", subject="Wiskunde")
    VacancyFactory(
        school=network.other_school, title="Secundair Frans", level="secondary", subject="Frans"
    )
    VacancyFactory(school=network.school, title="Publiek lager", is_public=True)
    cases = [
        ("level=primary", {"Lager wiskunde", "Publiek lager"}),
        ("level=secondary", {"Secundair Frans"}),
        ("city=Schaarbeek", {"Secundair Frans"}),
        ("city=Anderlecht&level=primary", {"Lager wiskunde", "Publiek lager"}),
        ("subject=wisk", {"Lager wiskunde"}),
        ("level=primary&subject=frans", set()),
        ("level=nonsense", {"Lager wiskunde", "Secundair Frans", "Publiek lager"}),
    ]
    client.force_login(network.people["coach"])
    for query, titles in cases:
        html = client.get(f"/vacancies/?{query}").content.decode()
        shown = {t for t in ["Lager wiskunde", "Secundair Frans", "Publiek lager"] if t in html}
        assert shown == titles, query
    client.logout()
    html = client.get("/vacancies/?level=primary").content.decode()
    assert "Publiek lager" in html and "Lager wiskunde" not in html


def _prepared() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
def test_kept_queries_and_the_scope_are_prepared_a_library_search_is_not(network):
    """Planned once per connection: the page queries whose plan does not depend
    on their values. A search by words is planned for its words each time."""
    from django.contrib.auth import get_user_model

    from access.scope import scope_of
    from knowledge_base.models import Study

    coach = network.people["coach"]
    for _ in range(3):  # psycopg prepares a statement on its third run
        scope_of(get_user_model().objects.get(pk=coach.pk))  # a fresh user: no memo
        kept_list("teams", teams_of, user=coach.pk, year=network.school_year.pk)
        Study.objects.filter(title__icontains="leerlingen").count()
    prepared = _prepared()
    assert any("research_cycle_teammembership WHERE user_id = $1" in s for s in prepared)
    assert any(
        'FROM "research_cycle_researchteam"' in s and "$1" in s and "ORDER BY" in s
        for s in prepared
    )
    assert not any("knowledge_base_study" in s for s in prepared)


def cycles_of(*, team: int):
    return ResearchCycle.objects.filter(team=team).order_by("number")


def test_a_kept_query_decodes_its_columns_on_every_run_as_the_queryset_does(network):
    """The converters found once for a kept shape (a JSON column's decoding) are
    applied on every run, to the rows of that run."""
    cycle = services.cycle_start(team=network.team, user=network.people["coach"])
    cycle.perspectives = ["leerlingen", "ouders"]
    cycle.save()
    first = kept_list("cycles", cycles_of, team=network.team.pk)
    cycle.perspectives = ["collega's"]
    cycle.save()
    again = kept_list("cycles", cycles_of, team=network.team.pk)
    assert [c.perspectives for c in first] == [["leerlingen", "ouders"]]
    assert [c.perspectives for c in again] == [["collega's"]]
    assert [c.perspectives for c in again] == [
        c.perspectives for c in cycles_of(team=network.team.pk)
    ]


def test_other_columns_get_the_converters_django_finds_for_them(network):
    services.cycle_start(team=network.team, user=network.people["coach"])
    kept_list("cycles", cycles_of, team=network.team.pk)
    (kept,) = (shape for shape in kept_query._kept.values() if shape is not None)
    asked = []

    def find(columns):
        asked.append(columns)
        return {"found": "for these"}

    assert kept_query._kept_converters(kept, find, list(kept.columns)) is kept.converters
    assert kept.converters  # the JSON column's
    assert kept_query._kept_converters(kept, find, list(kept.columns[:1])) == {"found": "for these"}
    assert asked == [list(kept.columns[:1])]
