"""The learning-community composer: proposals of at most four schools with their
reasons, and confirming them into communities, all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnership.composer import SchoolFacts, compose, fit
from partnership.models import LearningCommunity, LearningCommunityMembership
from partnership.services import CommunityPlan, learning_communities_create
from tests import factories
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS


def facts(pk, *, level="primary", city="Anderlecht", themes=(), words=()):
    return SchoolFacts(
        pk=pk,
        name=f"School {pk:02d}",
        level=level,
        city=city,
        themes={t: f"Thema {t}" for t in themes},
        words=set(words),
    )


def test_groups_never_hold_more_than_four_schools():
    schools = [facts(pk, themes=[1, 2]) for pk in range(1, 12)]
    groups = compose(schools)
    assert all(len(g.schools) <= 4 for g in groups)
    assert sorted(s.pk for g in groups for s in g.schools) == list(range(1, 12))


def test_schools_that_share_themes_and_lie_close_are_grouped_with_reasons():
    reading = [facts(pk, themes=[1], city="Molenbeek", words=["voorlezen"]) for pk in (1, 2, 3)]
    wellbeing = [
        facts(pk, themes=[2], level="secondary", city="Ukkel", words=["pesten"]) for pk in (4, 5, 6)
    ]
    groups = compose(reading + wellbeing)
    by_school = {s.pk: {x.pk for x in g.schools} for g in groups for s in g.schools}
    assert by_school[1] == {1, 2, 3}
    assert by_school[4] == {4, 5, 6}
    reasons = " ".join(next(g for g in groups if g.schools[0].pk in {1, 2, 3}).reasons)
    assert "Thema 1" in reasons
    assert "voorlezen" in reasons
    assert "kilomet" in reasons  # "At most … kilometres apart"


def test_distance_counts_and_unknown_cities_are_neutral():
    near = fit(facts(1, city="Jette"), facts(2, city="Koekelberg"))
    far = fit(facts(1, city="Jette"), facts(2, city="Brugge"))
    unknown = fit(facts(1, city="Jette"), facts(2, city="Nergensdorp"))
    assert near > unknown > far


@pytest.mark.django_db
def test_confirming_five_schools_in_one_community_is_refused_and_writes_nothing(network):
    schools = [factories.SchoolFactory(partnership=network.partnership) for _ in range(7)]
    plans = [
        CommunityPlan(name="PLG Klein", schools=schools[5:]),
        CommunityPlan(name="PLG Te groot", schools=schools[:5]),
    ]
    with pytest.raises(ValidationError, match="at most 4|hoogstens 4|ten hoogste 4"):
        learning_communities_create(
            partnership=network.partnership, school_year=network.school_year, plans=plans
        )
    assert not LearningCommunity.objects.filter(name__startswith="PLG K").exists()


@pytest.mark.django_db
def test_the_database_refuses_a_fifth_school(network):
    community = factories.LearningCommunityFactory(
        partnership=network.partnership, school_year=network.school_year, name="Vol"
    )
    for _ in range(4):
        LearningCommunityMembership.objects.create(
            community=community, school=factories.SchoolFactory(partnership=network.partnership)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningCommunityMembership.objects.create(
            community=community, school=factories.SchoolFactory(partnership=network.partnership)
        )


@pytest.mark.django_db
def test_a_school_already_in_a_community_that_year_refuses_the_whole_set(network):
    fresh = factories.SchoolFactory(partnership=network.partnership)
    plans = [
        CommunityPlan(name="PLG Nieuw", schools=[fresh]),
        CommunityPlan(name="PLG Dubbel", schools=[network.school]),  # already in "PLG Zuid"
    ]
    with pytest.raises(ValidationError):
        learning_communities_create(
            partnership=network.partnership, school_year=network.school_year, plans=plans
        )
    assert not LearningCommunity.objects.filter(name__in=["PLG Nieuw", "PLG Dubbel"]).exists()


@pytest.fixture
def next_year(network):
    current = network.school_year
    return factories.SchoolYearFactory(
        name="2026-2027",
        starts_on=current.starts_on.replace(year=current.starts_on.year + 1),
        ends_on=current.ends_on.replace(year=current.ends_on.year + 1),
        is_current=False,
    )


@pytest.fixture
def many_schools(network):
    return [
        factories.SchoolFactory(partnership=network.partnership, name=f"School {n:02d}")
        for n in range(7)
    ]


def compose_url():
    return reverse("communities:compose")


@pytest.mark.django_db
def test_the_facilitator_confirms_next_years_communities(network, next_year, many_schools, login):
    client = login(network.people["process_facilitator"])
    page = client.get(compose_url())
    assert page.context["school_year"] == next_year
    form = page.context["form"]
    data = {"year": next_year.pk}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    # Override: the first two schools together in group 1, everything else out.
    first, second = many_schools[:2]
    for school in form.schools:
        data[f"school_{school.pk}"] = "1" if school in (first, second) else ""
    data["name_1"] = "PLG Kanaal"
    response = client.post(compose_url(), data)
    assert response.status_code == 302
    community = LearningCommunity.objects.get(name="PLG Kanaal")
    assert community.school_year == next_year
    assert set(community.schools.all()) == {first, second}
    assert LearningCommunity.objects.filter(school_year=next_year).count() == 1


@pytest.mark.django_db
def test_five_schools_in_a_group_answer_a_clear_error_and_keep_the_choices(
    network, next_year, many_schools, login
):
    client = login(network.people["network_admin"])
    data = {"year": next_year.pk, "name_1": "PLG Te groot"}
    for school in many_schools[:5]:
        data[f"school_{school.pk}"] = "1"
    response = client.post(compose_url(), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name_1" in errors
    html = response.content.decode()
    assert "telt 5 scholen; een professionele leergemeenschap telt ten hoogste 4" in html
    assert not LearningCommunity.objects.filter(school_year=next_year).exists()
    # The five stay in group 1 as chosen.
    assert len(response.context["form"].members_of("1")) == 5


@pytest.mark.django_db
def test_the_page_shows_reasons(network, next_year, many_schools, login):
    html = login(network.people["process_facilitator"]).get(compose_url()).content.decode()
    assert 'data-testid="reasons"' in html


EXPECTED = {
    **dict.fromkeys([*PERSONAS, *CONTINUUM_PERSONAS], 403),
    "process_facilitator": 200,
    "network_admin": 200,
    None: 302,
}


def test_every_persona_is_covered():
    assert set(EXPECTED) == {*PERSONAS, *CONTINUUM_PERSONAS, None}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", list(EXPECTED))
def test_permission_matrix(network, next_year, many_schools, login, persona):
    client = login(network.people[persona] if persona else None)
    assert client.get(compose_url()).status_code == EXPECTED[persona]
    data = {"year": next_year.pk, "name_1": "PLG Matrix", f"school_{many_schools[0].pk}": "1"}
    response = client.post(compose_url(), data)
    assert response.status_code == (302 if EXPECTED[persona] == 200 else EXPECTED[persona])
    assert LearningCommunity.objects.filter(name="PLG Matrix").exists() == (
        EXPECTED[persona] == 200
    )


@pytest.mark.django_db
def test_the_page_costs_a_fixed_number_of_queries(
    network, next_year, login, django_assert_max_num_queries
):
    for n in range(30):
        factories.SchoolFactory(partnership=network.partnership, name=f"School {n:02d}")
    client = login(network.people["process_facilitator"])
    with django_assert_max_num_queries(20):
        assert client.get(compose_url()).status_code == 200
