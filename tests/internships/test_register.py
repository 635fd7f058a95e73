"""The mentor register: who mentors, how many student teachers they guided per
school year, and the mentor training on record."""

import datetime

import pytest

from internships import services
from placements.models import HostingOffer, Placement
from tests import factories

from .helpers import make_placement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def test_the_register_counts_guided_student_teachers_per_year(client, network, internship):
    mentor = network.people["mentor"]
    previous = factories.SchoolYearFactory(name="2024-2025")
    make_placement(
        network,
        student=factories.UserFactory(),
        mentor=mentor,
        state=Placement.State.COMPLETED,
        school_year=previous,
        starts_on=datetime.date(2025, 2, 3),
        ends_on=datetime.date(2025, 3, 14),
    )
    # Cancelled and proposed placements are not guidance.
    for state in (Placement.State.CANCELLED, Placement.State.PROPOSED):
        make_placement(network, student=factories.UserFactory(), mentor=mentor, state=state)
    services.mentor_training_add(
        mentor=mentor,
        title="Basisopleiding mentor",
        completed_on=datetime.date(2025, 10, 1),
        hours=12,
    )
    client.force_login(network.people["placement_coordinator"])
    response = client.get("/internships/mentors/")
    (row,) = response.context["rows"]
    assert row.mentor == mentor and row.school == network.school
    assert row.guided == [("2025-2026", 1), ("2024-2025", 1)]
    assert row.training_hours == 12 and row.trainings == 1
    html = response.content.decode()
    assert "2025-2026: 1 · 2024-2025: 1" in html

    page = client.get(f"/internships/mentors/{mentor.pk}/").content.decode()
    assert "Basisopleiding mentor" in page
    assert page.count('data-testid="guided-placement"') == 2


def test_teachers_named_in_a_hosting_offer_are_in_the_register(client, network):
    teacher = factories.UserFactory(full_name="Jonas Mertens")
    offer = HostingOffer.objects.create(
        school=network.school, school_year=network.school_year, institution=network.institution
    )
    offer.mentors.add(teacher)
    client.force_login(network.people["school_leader"])
    html = client.get("/internships/mentors/").content.decode()
    assert "Jonas Mertens" in html and "nog niemand" in html


def test_a_mentor_sees_only_their_own_row(client, network, internship):
    other_mentor = factories.UserFactory(full_name="Bram Dewulf")
    make_placement(
        network, student=factories.UserFactory(), mentor=other_mentor, school=network.other_school
    )
    client.force_login(network.people["mentor"])
    rows = client.get("/internships/mentors/").context["rows"]
    assert [row.mentor for row in rows] == [network.people["mentor"]]
    assert client.get(f"/internships/mentors/{other_mentor.pk}/").status_code == 404
    # The home school's bridge-builder does not see the other school's mentor either.
    client.force_login(network.people["bridge_builder"])
    rows = client.get("/internships/mentors/").context["rows"]
    assert [row.mentor for row in rows] == [network.people["mentor"]]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"completed_on": "2026-03-05"}, "completed_on", "zodra ze afgerond is"),
        ({"hours": "0"}, "hours", "tussen 0 en 1000"),
        ({"hours": "-4"}, "hours", "tussen 0 en 1000"),
        ({"hours": "2000"}, "hours", "tussen 0 en 1000"),
        ({"title": ""}, "title", "Dit veld is verplicht"),
    ],
)
def test_training_with_bad_input_is_refused_with_a_field_message(
    client, network, internship, data, field, message
):
    mentor = network.people["mentor"]
    client.force_login(network.people["placement_coordinator"])
    values = {"title": "Feedback geven", "completed_on": "2026-02-01", "hours": "3"} | data
    response = client.post(f"/internships/mentors/{mentor.pk}/training/", values)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Feedback geven"' in response.content.decode() or field == "title"
    assert not mentor.mentor_trainings.exists()


@pytest.mark.parametrize("way", ["placement", "hosting offer", "training", "none"])
def test_a_teacher_opens_the_register_once_they_are_in_it_in_any_way(client, network, way):
    teacher = factories.UserFactory(full_name="Lies Claes")
    client.force_login(teacher)
    assert client.get("/internships/mentors/").status_code == 404
    if way == "placement":
        make_placement(network, student=factories.UserFactory(), mentor=teacher)
    elif way == "hosting offer":
        offer = HostingOffer.objects.create(
            school=network.school, school_year=network.school_year, institution=network.institution
        )
        offer.mentors.add(teacher)
    elif way == "training":
        services.mentor_training_add(
            mentor=teacher, title="Coachen", completed_on=datetime.date(2025, 10, 1), hours=6
        )
    client.force_login(teacher)  # a new request: the scope is read anew
    response = client.get("/internships/mentors/")
    assert response.status_code == (404 if way == "none" else 200)
    if way in {"placement", "hosting offer"}:
        assert [row.mentor for row in response.context["rows"]] == [teacher]
