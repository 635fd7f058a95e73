"""Partnership agreements: entered by the school leader or an admin, agreed by both
sides (who and when recorded), reset by any change, set beside what happened."""

import pytest

from oversight.models import AgreementItem, PartnershipAgreement
from oversight.services import agreement_create, agreement_item_save
from tests.internships.helpers import make_placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(network):
    agreement = agreement_create(
        school=network.school, school_year=network.school_year, goals="Samen opleiden"
    )
    agreement_item_save(
        agreement=agreement,
        party="school",
        kind="contribution",
        description="Stageplaatsen",
        quantity=5,
        unit="plaatsen",
        measure="placements",
    )
    agreement_item_save(
        agreement=agreement,
        party="institution",
        kind="contribution",
        description="Bruggenbouwer",
        quantity=1,
        unit="bruggenbouwer (40 uur)",
        measure="bridge_builders",
    )
    return agreement


def test_the_school_leader_starts_fills_in_and_agrees(client, network):
    client.force_login(network.people["school_leader"])
    response = client.post(
        "/oversight/agreements/",
        {"school": network.school.pk, "goals": "Een onderzoekscultuur opbouwen"},
    )
    agreement = PartnershipAgreement.objects.get()
    assert response.url == f"/oversight/agreements/{agreement.pk}/"
    assert agreement.school == network.school and agreement.school_year == network.school_year

    response = client.post(
        f"/oversight/agreements/{agreement.pk}/items/",
        {
            "item-party": "school",
            "item-kind": "contribution",
            "item-description": "Stageplaatsen voor student-leraren",
            "item-quantity": "5",
            "item-unit": "plaatsen",
            "item-measure": "placements",
        },
    )
    assert response.status_code == 302
    item = agreement.items.get()
    assert item.quantity == 5 and item.unit == "plaatsen"

    client.post(f"/oversight/agreements/{agreement.pk}/agree/", {"side": "school"})
    agreement.refresh_from_db()
    assert agreement.school_agreed_by == network.people["school_leader"]
    assert agreement.school_agreed_at is not None
    assert not agreement.is_agreed

    client.force_login(network.people["network_admin"])
    client.post(f"/oversight/agreements/{agreement.pk}/agree/", {"side": "institution"})
    agreement.refresh_from_db()
    assert agreement.institution_agreed_by == network.people["network_admin"]
    assert agreement.is_agreed

    html = client.get(f"/oversight/agreements/{agreement.pk}/").content.decode()
    assert "Karim Benali op" in html and "Beheer Der op" in html


def test_any_change_clears_both_agreements(client, network, agreement):
    client.force_login(network.people["school_leader"])
    client.post(f"/oversight/agreements/{agreement.pk}/agree/", {"side": "school"})
    client.force_login(network.people["network_admin"])
    client.post(f"/oversight/agreements/{agreement.pk}/agree/", {"side": "institution"})
    agreement.refresh_from_db()
    assert agreement.is_agreed

    client.post(f"/oversight/agreements/{agreement.pk}/goals/", {"goals": "Nieuwe doelen"})
    agreement.refresh_from_db()
    assert agreement.goals == "Nieuwe doelen"
    assert agreement.school_agreed_at is None and agreement.institution_agreed_at is None
    assert agreement.school_agreed_by is None and agreement.institution_agreed_by is None

    client.post(f"/oversight/agreements/{agreement.pk}/agree/", {"side": "institution"})
    item = agreement.items.first()
    client.post(f"/oversight/agreements/{agreement.pk}/items/{item.pk}/delete/")
    agreement.refresh_from_db()
    assert agreement.institution_agreed_at is None
    assert not agreement.items.filter(pk=item.pk).exists()


def test_saving_the_same_goals_keeps_the_agreement(client, network, agreement):
    client.force_login(network.people["network_admin"])
    client.post(f"/oversight/agreements/{agreement.pk}/agree/", {"side": "institution"})
    client.post(f"/oversight/agreements/{agreement.pk}/goals/", {"goals": "Samen opleiden"})
    agreement.refresh_from_db()
    assert agreement.institution_agreed_at is not None


def test_bad_item_input_shows_dutch_field_messages_and_keeps_what_was_typed(
    client, network, agreement
):
    client.force_login(network.people["school_leader"])
    before = agreement.items.count()
    response = client.post(
        f"/oversight/agreements/{agreement.pk}/items/",
        {
            "item-party": "school",
            "item-kind": "contribution",
            "item-description": "Coaches met tijd",
            "item-quantity": "-2",
            "item-unit": "uur per week",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Een hoeveelheid kan niet negatief zijn." in html
    assert 'value="Coaches met tijd"' in html and 'value="uur per week"' in html
    assert agreement.items.count() == before

    response = client.post(
        f"/oversight/agreements/{agreement.pk}/items/",
        {"item-party": "school", "item-kind": "contribution", "item-description": ""},
    )
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.content.decode()
    assert agreement.items.count() == before


def test_a_second_agreement_for_the_same_school_and_year_is_refused(client, network, agreement):
    client.force_login(network.people["network_admin"])
    response = client.post("/oversight/agreements/", {"school": network.school.pk, "goals": ""})
    # The school is no longer offered: it already has its agreement.
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert PartnershipAgreement.objects.count() == 1


def test_agreeing_needs_content(client, network):
    empty = agreement_create(school=network.school, school_year=network.school_year)
    client.force_login(network.people["school_leader"])
    response = client.post(
        f"/oversight/agreements/{empty.pk}/agree/", {"side": "school"}, follow=True
    )
    assert "Schrijf eerst de doelen" in response.content.decode()
    empty.refresh_from_db()
    assert empty.school_agreed_at is None


def test_year_end_balance_sets_agreed_beside_what_happened(client, network, agreement):
    # The student teacher's placement at the school (counted from the placements).
    make_placement(network, student=network.people["student_teacher"])
    client.force_login(network.people["bridge_builder"])
    response = client.get(f"/oversight/agreements/{agreement.pk}/")
    assert response.status_code == 200
    balance = {line.item.description: line for line in response.context["balance"]}
    # Five places agreed, one student teacher placed.
    assert balance["Stageplaatsen"].actual == 1
    assert balance["Stageplaatsen"].status == "short"
    # One bridge-builder agreed and assigned.
    assert balance["Bruggenbouwer"].actual == 1
    assert balance["Bruggenbouwer"].status == "met"
    html = response.content.decode()
    # The school year (2025-2026) is over: what fell short is called so.
    assert "(niet gehaald)" in html and "Gebeurd" in html
    assert "Wat de school bijdraagt en terugkrijgt" in html
    # The bridge-builder reads but cannot change or agree.
    assert "Voeg een bijdrage of return toe" not in html
    assert 'name="side"' not in html


def test_agreement_csv(client, network, agreement):
    client.force_login(network.people["school_leader"])
    response = client.get(f"/oversight/agreements/{agreement.pk}/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "Stageplaatsen;5.0;plaatsen" in text or "Stageplaatsen;5;plaatsen" in text


def test_items_are_kept_per_party(agreement):
    assert set(agreement.items.values_list("party", flat=True)) == {
        AgreementItem.Party.SCHOOL,
        AgreementItem.Party.INSTITUTION,
    }


@pytest.mark.parametrize("persona", ["bridge_builder", "coach", "process_facilitator"])
def test_readers_cannot_start_an_agreement(client, network, agreement, persona):
    client.force_login(network.people[persona])
    response = client.post(
        "/oversight/agreements/", {"school": network.other_school.pk, "goals": "Doel"}
    )
    assert response.status_code == 403
    assert PartnershipAgreement.objects.count() == 1


def test_the_school_leader_cannot_start_one_for_another_school(client, network):
    client.force_login(network.people["school_leader"])
    response = client.post(
        "/oversight/agreements/", {"school": network.other_school.pk, "goals": "Doel"}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not PartnershipAgreement.objects.exists()


def test_too_long_goals_are_refused_and_kept(client, network, agreement):
    client.force_login(network.people["school_leader"])
    goals = "Samen leren. " * 400  # over 5000 characters
    response = client.post(f"/oversight/agreements/{agreement.pk}/goals/", {"goals": goals})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Zorg dat deze waarde niet meer dan 5000 tekens bevat" in html
    assert "Samen leren. Samen leren." in html
    agreement.refresh_from_db()
    assert agreement.goals == "Samen opleiden"


def test_agreement_list_csv(client, network, agreement):
    client.force_login(network.people["school_leader"])
    client.post(f"/oversight/agreements/{agreement.pk}/agree/", {"side": "school"})
    response = client.get("/oversight/export/agreements.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "School;Onderdelen;Akkoord van de school;Akkoord van de lerarenopleiding"
    assert lines[1].startswith("Basisschool De Regenboog;2;Karim Benali 20")
    assert lines[1].endswith(";")


def test_removing_an_item_asks_first_and_works_without_javascript(client, network, agreement):
    item = agreement.items.get(description="Stageplaatsen")
    url = f"/oversight/agreements/{agreement.pk}/items/{item.pk}/delete/"
    client.force_login(network.people["school_leader"])
    detail = client.get(f"/oversight/agreements/{agreement.pk}/").content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a one-click form
    assert f'action="{url}"' not in detail

    confirm = client.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Stageplaatsen" in html and "Beide partners moeten daarna opnieuw akkoord gaan" in html
    assert f'action="{url}"' in html
    assert agreement.items.filter(pk=item.pk).exists()

    assert client.post(url).status_code == 302
    assert not agreement.items.filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("coach", 403), ("outsider", 404), ("school_leader", 200)]
)
def test_the_removal_question_is_guarded_like_the_removal(
    client, network, agreement, persona, status
):
    item = agreement.items.first()
    client.force_login(network.people[persona])
    url = f"/oversight/agreements/{agreement.pk}/items/{item.pk}/delete/"
    assert client.get(url).status_code == status


def test_the_agreement_list_shows_what_each_person_may_open_and_no_more(network, agreement):
    """The list reads its rule from the person's scope (``agreements_for``); the
    agreement pages use ``PartnershipAgreement.objects.visible_to``: both name the
    same agreements for every persona, in both school years, for a role at a school,
    a facilitated school and a school with no tie at all."""
    from oversight.selectors import agreements_for
    from tests import factories

    last_year = factories.SchoolYearFactory(name="2024-2025", is_current=False)
    older = agreement_create(school=network.school, school_year=last_year, goals="Vorig jaar")
    other = agreement_create(
        school=network.other_school, school_year=network.school_year, goals="Ander"
    )
    untied = factories.SchoolFactory(partnership=network.partnership, name="Zonnebloem")
    unrelated = agreement_create(school=untied, school_year=network.school_year, goals="Los")
    expected = {
        "coach": {agreement},
        "school_leader": {agreement},
        "mentor": {agreement},
        "bridge_builder": {agreement},
        "process_facilitator": {agreement},
        "outsider": {other},
        "placement_coordinator": set(),
        "network_admin": {agreement, other, unrelated},
    }
    for persona, wanted in expected.items():
        person = network.people[persona]
        listed = agreements_for(person, network.school_year)
        assert set(listed) == wanted, persona
        assert set(listed) == set(
            PartnershipAgreement.objects.visible_to(person).filter(school_year=network.school_year)
        ), persona
    # last year: only the admin (nobody here held a role in it)
    assert agreements_for(network.people["coach"], last_year) == []
    assert agreements_for(network.people["network_admin"], last_year) == [older]


def test_the_agreement_list_counts_items_and_starts_only_what_one_may(client, network, agreement):
    client.force_login(network.people["school_leader"])
    html = client.get("/oversight/agreements/").content.decode()
    assert ">2</td>" in html  # the two items
    # the school leader's own school has its agreement: nothing left to start
    assert "Start the agreement" not in html and "Start de overeenkomst" not in html
    client.force_login(network.people["network_admin"])
    html = client.get("/oversight/agreements/").content.decode()
    assert f'<option value="{network.other_school.pk}">Atheneum Noord</option>' in html
    assert f'<option value="{network.school.pk}">' not in html
