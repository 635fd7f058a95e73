"""Bad input to the self-assessment and the needs: a field message in the reader's
language, what was typed kept, nothing stored, never a 500."""

import pytest
from django.urls import reverse

from reviews.models import CriterionScore, SchoolNeeds, SelfAssessment
from reviews.services import ScoreInput, self_assessment_save

from .helpers import framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(network):
    found = framework()
    return found, list(found.criteria.all())


def _url(network, name, **kwargs):
    return reverse(f"reviews:{name}", kwargs={"year": network.school_year.name, **kwargs})


@pytest.mark.parametrize("value", ["5", "0", "-1", "drie", str(10**30)])
def test_a_score_outside_the_scale_is_refused(client, network, scored, value):
    _framework, (first, second) = scored
    client.force_login(network.people["process_facilitator"])
    response = client.post(
        _url(network, "self_assessment"),
        {
            f"score_{first.pk}": value,
            f"comment_{first.pk}": "Mijn uitleg",
            f"score_{second.pk}": "2",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page
    assert "Mijn uitleg" in page  # what was typed is kept
    assert not CriterionScore.objects.exists()  # not even the valid second score


def test_the_message_follows_the_readers_language(client, network, scored, english):
    _framework, (first, _second) = scored
    client.force_login(network.people["process_facilitator"])
    response = client.post(_url(network, "self_assessment"), {f"score_{first.pk}": "9"})
    assert "Select a valid choice" in response.content.decode()


def test_a_comment_without_a_score_is_refused(client, network, scored):
    _framework, (first, _second) = scored
    client.force_login(network.people["bridge_builder"])
    response = client.post(_url(network, "self_assessment"), {f"comment_{first.pk}": "Waarom?"})
    assert response.status_code == 400
    assert "Geef een score bij je opmerking." in response.content.decode()
    assert not CriterionScore.objects.exists()


def test_scores_are_saved_changed_and_cleared(client, network, scored):
    _framework, (first, second) = scored
    coordinator = network.people["process_facilitator"]
    client.force_login(coordinator)
    url = _url(network, "self_assessment")
    response = client.post(url, {f"score_{first.pk}": "3", f"comment_{first.pk}": "Goed bezig"})
    assert response.status_code == 302
    score = CriterionScore.objects.get()
    assert (score.criterion, score.score, score.comment, score.scored_by) == (
        first,
        3,
        "Goed bezig",
        coordinator,
    )
    client.post(url, {f"score_{second.pk}": "4"})
    assert set(CriterionScore.objects.values_list("criterion", "score")) == {(second.pk, 4)}
    page = client.get(_url(network, "review")).content.decode()
    assert "4 – verankerd in hoe we werken" in page


def test_the_database_refuses_a_score_off_the_scale(network, scored):
    from django.core.exceptions import ValidationError

    found, (first, _second) = scored
    with pytest.raises(ValidationError):
        self_assessment_save(
            partnership=network.partnership,
            school_year=network.school_year,
            framework=found,
            scores=[ScoreInput(criterion=first, score=7)],
            user=network.people["network_admin"],
        )
    assert not CriterionScore.objects.exists()
    assert not SelfAssessment.objects.exists()


def test_needs_need_something_to_say(client, network):
    client.force_login(network.people["school_leader"])
    url = _url(network, "needs_edit", school_pk=network.school.pk)
    response = client.post(url, {"wishes": "   "})
    assert response.status_code == 400
    assert "Vink minstens één soort steun aan" in response.content.decode()
    response = client.post(url, {"support": ["vliegende schotels"], "wishes": "Meer uren"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Selecteer een geldige keuze" in page and "Meer uren" in page
    assert not SchoolNeeds.objects.exists()


def test_a_coach_says_the_schools_needs_and_the_institution_reads_them(client, network):
    client.force_login(network.people["coach"])
    url = _url(network, "needs_edit", school_pk=network.school.pk)
    response = client.post(url, {"support": ["placements", "training"], "wishes": "Twee stagiairs"})
    assert response.status_code == 302
    needs = SchoolNeeds.objects.get()
    assert needs.support == ["training", "placements"]  # in the list's order
    assert needs.filled_by == network.people["coach"]
    client.force_login(network.people["placement_coordinator"])
    page = client.get(_url(network, "needs_list")).content.decode()
    assert "Twee stagiairs" in page
    assert "1 van de 2 scholen" in page
