"""Every URL of the review × every persona (GET and POST): outsiders 404, readers who
may not act 403, anonymous visitors the login page."""

import pytest
from django.urls import reverse

from reviews.models import CriterionScore, SchoolNeeds
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

from .helpers import framework

pytestmark = pytest.mark.django_db

READERS = {"network_admin", "bridge_builder", "process_facilitator", "placement_coordinator"}
REVIEW = READERS | {"school_leader"}
SCORERS = {"network_admin", "bridge_builder", "process_facilitator"}
NEEDS_FILLERS = {"network_admin", "school_leader", "coach"}


def _expected(url_key: str, persona: str | None) -> int:
    if persona is None:
        return 302
    if url_key in {"review", "pdf", "csv"}:
        return 200 if persona in REVIEW else 404
    if url_key == "self_assessment":
        if persona in SCORERS:
            return 200
        return 403 if persona in REVIEW else 404
    if url_key == "needs_list":
        if persona in READERS:
            return 200
        return 403 if persona in {"school_leader", "coach", "outsider"} else 404
    if url_key == "needs_edit":
        if persona in NEEDS_FILLERS:
            return 200
        return 403 if persona in READERS else 404
    raise AssertionError(url_key)


def _urls(network) -> dict[str, str]:
    year = {"year": network.school_year.name}
    return {
        "review": reverse("reviews:review", kwargs=year),
        "pdf": reverse("reviews:pdf", kwargs=year),
        "csv": reverse("reviews:csv", kwargs=year),
        "self_assessment": reverse("reviews:self_assessment", kwargs=year),
        "needs_list": reverse("reviews:needs_list", kwargs=year),
        "needs_edit": reverse("reviews:needs_edit", kwargs=year | {"school_pk": network.school.pk}),
    }


ALL = [*PERSONAS, *CONTINUUM_PERSONAS, None]


@pytest.mark.parametrize("persona", ALL)
def test_get_matrix(client, network, persona):
    framework()
    if persona:
        client.force_login(network.people[persona])
    got = {key: client.get(url).status_code for key, url in _urls(network).items()}
    assert got == {key: _expected(key, persona) for key in got}


@pytest.mark.parametrize("persona", ALL)
def test_post_matrix(client, network, persona):
    found = framework()
    criterion = found.criteria.first()
    if persona:
        client.force_login(network.people[persona])
    urls = _urls(network)
    scored = client.post(
        urls["self_assessment"], {f"score_{criterion.pk}": "3", f"comment_{criterion.pk}": "Goed"}
    ).status_code
    needs = client.post(urls["needs_edit"], {"support": ["training"], "wishes": "Meer"}).status_code
    ok = lambda expected: 302 if expected == 200 else expected  # noqa: E731
    assert (scored, needs) == (
        ok(_expected("self_assessment", persona)),
        ok(_expected("needs_edit", persona)),
    )
    assert CriterionScore.objects.exists() == (persona in SCORERS)
    assert SchoolNeeds.objects.exists() == (persona in NEEDS_FILLERS)


def test_a_coach_of_another_school_cannot_open_this_schools_needs(client, network):
    client.force_login(network.people["outsider"])
    own = reverse(
        "reviews:needs_edit",
        kwargs={"year": network.school_year.name, "school_pk": network.other_school.pk},
    )
    assert client.get(own).status_code == 200
    assert client.get(_urls(network)["needs_edit"]).status_code == 404


def test_a_staff_role_of_the_current_year_reads_last_years_review(client, network):
    from tests import factories

    last_year = factories.SchoolYearFactory(name="2024-2025")
    client.force_login(network.people["process_facilitator"])
    url = reverse("reviews:review", kwargs={"year": last_year.name})
    assert client.get(url).status_code == 200
    assert client.get(reverse("reviews:review", kwargs={"year": "1999-2000"})).status_code == 404


def test_a_partnership_one_may_not_read_is_not_found(client, network):
    from tests import factories

    elsewhere = factories.PartnershipFactory()
    client.force_login(network.people["bridge_builder"])
    url = _urls(network)["review"]
    assert client.get(f"{url}?partnership={elsewhere.pk}").status_code == 404
    assert client.get(f"{url}?partnership={network.partnership.pk}").status_code == 200
    assert client.get(f"{url}?partnership=99999999999999999999").status_code == 200
