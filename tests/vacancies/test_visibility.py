"""What each visitor finds on the board, its pages and its feed: the public sees
public open vacancies only; expired and withdrawn vacancies leave every list by
themselves (a query at read time, no job), except the school's own list."""

import pytest

from tests.factories import SchoolFactory, UserFactory

from .conftest import VacancyFactory, days

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {vacancy.title for vacancy in response.context["page"].object_list}


def test_the_public_sees_public_open_vacancies_only(client, vacancies):
    assert titles(client.get("/vacancies/")) == {"Publieke vacature"}
    feed = client.get("/vacancies/feed/").content.decode()
    assert "Publieke vacature" in feed
    for hidden in ("Interne vacature", "Verlopen vacature", "Ingetrokken vacature"):
        assert hidden not in feed
    for key in ("internal", "expired", "withdrawn", "elsewhere"):
        assert client.get(f"/vacancies/{vacancies[key].pk}/").status_code == 404


def test_an_internal_vacancy_reveals_nothing_to_the_public(client, vacancies):
    """Not its title, its school's listing, its contact: not in the list, the feed, the
    page, nor the filter's city choices."""
    internal = VacancyFactory(
        school=SchoolFactory(partnership=vacancies["public"].school.partnership, city="Geheimdorp"),
        title="Geheime vacature",
        contact_email="geheim@school.test",
    )
    for url in ("/vacancies/", "/vacancies/feed/", "/vacancies/?city=Geheimdorp"):
        body = client.get(url).content.decode()
        assert "Geheime vacature" not in body
        assert '<option value="Geheimdorp"' not in body
        assert "geheim@school.test" not in body
    assert client.get(f"/vacancies/{internal.pk}/").status_code == 404


def test_the_public_vacancy_shows_its_contact(client, vacancies):
    body = client.get(f"/vacancies/{vacancies['public'].pk}/").content.decode()
    assert "directie@regenboog.test" in body
    assert "02 555 01 23" in body


def test_people_of_the_network_see_every_open_vacancy(client, network, vacancies):
    client.force_login(network.people["starting_teacher"])
    assert titles(client.get("/vacancies/")) == {
        "Publieke vacature",
        "Interne vacature",
        "Vacature elders",
    }
    body = client.get(f"/vacancies/{vacancies['internal'].pk}/").content.decode()
    assert "directie@regenboog.test" in body


def test_someone_without_a_role_this_year_sees_what_the_public_sees(client, vacancies):
    client.force_login(UserFactory())
    assert titles(client.get("/vacancies/")) == {"Publieke vacature"}


def test_a_vacancy_is_open_on_its_closing_day_and_gone_the_day_after(client, network):
    school = network.school
    VacancyFactory(school=school, title="Sluit vandaag", is_public=True, closes_on=days(0))
    VacancyFactory(school=school, title="Sloot gisteren", is_public=True, closes_on=days(-1))
    assert titles(client.get("/vacancies/")) == {"Sluit vandaag"}


def test_the_school_still_sees_its_expired_and_withdrawn_vacancies(client, network, vacancies):
    client.force_login(network.people["school_leader"])
    assert "Verlopen vacature" not in titles(client.get("/vacancies/"))
    body = client.get("/vacancies/school/").content.decode()
    for title in ("Publieke vacature", "Interne vacature", "Verlopen vacature"):
        assert title in body
    assert "Vacature elders" not in body
    page = client.get(f"/vacancies/{vacancies['expired'].pk}/").content.decode()
    assert "Gesloten" in page
    assert "Opnieuw plaatsen als nieuwe vacature" in page


def test_posting_again_copies_the_text_and_asks_for_new_dates(client, network, vacancies):
    client.force_login(network.people["school_leader"])
    form = client.get(f"/vacancies/{vacancies['expired'].pk}/again/").context["form"]
    assert form.initial["title"] == "Verlopen vacature"
    assert "closes_on" not in form.initial


def test_filters_by_level_subject_and_city(client, network):
    client.force_login(network.people["student_teacher"])
    secondary = SchoolFactory(partnership=network.partnership, city="Jette", level="secondary")
    VacancyFactory(school=network.school, title="Lager Anderlecht", subject="Klasleraar")
    VacancyFactory(school=secondary, title="Wiskunde Jette", level="secondary", subject="Wiskunde")
    VacancyFactory(school=secondary, title="Frans Jette", level="secondary", subject="Frans")
    assert titles(client.get("/vacancies/?level=secondary")) == {"Wiskunde Jette", "Frans Jette"}
    assert titles(client.get("/vacancies/?subject=wisk")) == {"Wiskunde Jette"}
    assert titles(client.get("/vacancies/?city=Anderlecht")) == {"Lager Anderlecht"}
    response = client.get("/vacancies/?city=Nergens&level=tertiary")
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_pages_of_twenty(client, network):
    VacancyFactory.create_batch(25, school=network.school, is_public=True)
    first = client.get("/vacancies/")
    assert len(first.context["page"].object_list) == 20
    assert "Pagina 1 van 2" in first.content.decode()
    assert len(client.get("/vacancies/?page=2").context["page"].object_list) == 5
    assert len(client.get("/vacancies/?page=999999999999999999999").context["page"]) == 5


def test_the_feed_links_to_the_canonical_address(client, settings, vacancies):
    settings.LEERBRUG_BASE_URL = "https://leerbrug.example"
    feed = client.get("/vacancies/feed/").content.decode()
    assert f"https://leerbrug.example/vacancies/{vacancies['public'].pk}/" in feed
