"""Public school pages and the partnership page: only what the school chose to
show, nothing unpublished, nothing about people."""

import datetime

import pytest
from django.urls import reverse

from knowledge_base.models import Study, StudyAuthor
from schools.models import SchoolPublicity
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS
from tests.knowledge_base.conftest import make_study

pytestmark = pytest.mark.django_db

MARKER = "Geheimwoord"


@pytest.fixture
def school_page(network):
    school = network.school
    school.active_since = datetime.date(2019, 9, 1)
    school.save()
    network.team.theme = f"{MARKER} thema van dit jaar"
    network.team.save()
    published = make_study(
        school=school, school_year=network.school_year, title="Boekenkringen in het derde leerjaar"
    )
    StudyAuthor.objects.create(study=published, name=f"{MARKER} Auteur", consent="declined")
    for status in (Study.Status.DRAFT, Study.Status.SUBMITTED, Study.Status.CHANGES_REQUESTED):
        make_study(
            school=school,
            school_year=network.school_year,
            status=status,
            title=f"{MARKER} {status}",
        )
    make_study(school=network.other_school, school_year=network.school_year, title="Andere school")
    return reverse("schools:public_detail", args=[school.slug]), published


def test_the_page_shows_the_school_and_its_published_studies(client, network, school_page):
    url, published = school_page
    html = client.get(url).content.decode()
    assert network.school.name in html
    assert "Anderlecht" in html  # city
    assert 'data-testid="school-level"' in html
    assert published.title in html and published.get_absolute_url() in html
    assert "Andere school" not in html
    # Joined in September 2019: this is its seventh school year or more.
    assert 'data-testid="partner-years"' in html


def test_nothing_unpublished_private_or_personal_leaks(client, network, school_page):
    url, _published = school_page
    html = client.get(url).content.decode()
    assert MARKER not in html  # drafts, the private theme, a non-consenting author
    for person in network.people.values():
        assert person.full_name not in html


def test_the_school_may_show_its_current_theme_and_hide_the_rest(client, network, school_page):
    url, published = school_page
    SchoolPublicity.objects.create(
        school=network.school,
        show_current_theme=True,
        show_studies=False,
        show_city=False,
        show_partnership_years=False,
    )
    html = client.get(url).content.decode()
    assert f"{MARKER} thema van dit jaar" in html
    assert published.title not in html
    assert 'data-testid="school-city"' not in html
    assert 'data-testid="partner-years"' not in html


def test_an_unknown_school_is_404(client, network):
    assert client.get(reverse("schools:public_detail", args=["bestaat-niet"])).status_code == 404


def test_home_page_and_study_page_link_to_the_school(client, network, school_page):
    url, published = school_page
    assert url in client.get(reverse("home")).content.decode()
    assert url in client.get(published.get_absolute_url()).content.decode()


def test_the_page_costs_the_same_queries_with_more_studies(
    client, network, school_page, django_assert_num_queries
):
    url, _published = school_page
    SchoolPublicity.objects.create(school=network.school, show_current_theme=True)
    client.get(url)  # warm the session and language
    for number in range(40):
        make_study(school=network.school, school_year=network.school_year, title=f"Studie {number}")
    # The school, its studies, their themes, their number, the current theme.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


#: persona → status of GET and of a valid POST on the settings page.
SETTINGS_EXPECTED = {
    "coach": (200, 302),
    "research_teacher": (403, 403),
    "student_teacher": (403, 403),
    "bridge_builder": (403, 403),
    "school_leader": (200, 302),
    "process_facilitator": (403, 403),
    "network_admin": (200, 302),
    "outsider": (403, 403),
    "placement_coordinator": (403, 403),
    "mentor": (403, 403),
    "starting_teacher": (403, 403),
    "career_changer": (403, 403),
    None: (302, 302),
}


def test_every_persona_is_covered():
    assert set(SETTINGS_EXPECTED) == {*PERSONAS, *CONTINUUM_PERSONAS, None}


@pytest.mark.parametrize("persona", list(SETTINGS_EXPECTED))
def test_permission_matrix(network, login, persona):
    client = login(network.people[persona] if persona else None)
    public = reverse("schools:public_detail", args=[network.school.slug])
    assert client.get(public).status_code == 200
    url = reverse("schools:publicity_edit", args=[network.school.slug])
    get_status, post_status = SETTINGS_EXPECTED[persona]
    assert client.get(url).status_code == get_status
    response = client.post(url, {"show_city": "on", "show_current_theme": "on"})
    assert response.status_code == post_status
    changed = SchoolPublicity.objects.filter(school=network.school, show_current_theme=True)
    assert changed.exists() == (get_status == 200)


def test_the_partnership_page_shows_vision_and_goals_in_the_reader_language(client, network):
    partnership = network.partnership
    partnership.vision, partnership.vision_en = "Samen onderzoeken.", "Researching together."
    partnership.goals, partnership.goals_en = "- Samen opleiden", "- Training together"
    partnership.save()
    html = client.get(reverse("partnership_page")).content.decode()
    assert "Samen onderzoeken." in html and "Samen opleiden" in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("partnership_page")).content.decode()
    assert "Researching together." in html and "Training together" in html
