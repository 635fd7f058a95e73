"""Every placement page by persona and method (outsiders 404, onlookers 403),
bad input answered with field messages, and query budgets."""

import pytest
from django.db import transaction
from django.urls import reverse

from placements import services
from placements.models import HostingOffer, Placement, PlacementRequest
from research_cycle.services import cycle_start
from tests.conftest import CONTINUUM_PERSONAS, PERSONAS

from .conftest import add_school_with_line, add_student

pytestmark = pytest.mark.django_db

EVERYONE = [*PERSONAS, *CONTINUUM_PERSONAS]


def statuses(default, **by_persona):
    """Expected status per persona (anonymous: the login redirect)."""
    return {p: by_persona.get(p, default) for p in EVERYONE} | {None: 302}


# Who sees what around the fixtures: the home school's capacity page, stage 1 (a
# period of the network's institution) and the persona student teacher's proposal.
SCHOOL_CONTACTS = {"coach", "school_leader", "bridge_builder", "network_admin"}
AT_INSTITUTION = {
    "student_teacher",
    "bridge_builder",
    "process_facilitator",
    "placement_coordinator",
}
PLACEMENT_SEERS = {
    "student_teacher",
    "mentor",
    "bridge_builder",
    "placement_coordinator",
    "school_leader",
    "coach",
    "network_admin",
}
MANAGERS = {"placement_coordinator", "network_admin"}


def by_group(members, inside, watchers=(), watcher_status=403, outside=404):
    return statuses(
        outside,
        **dict.fromkeys(watchers, watcher_status),
        **dict.fromkeys(members, inside),
    )


def allocators(ok):
    return by_group(MANAGERS, ok, AT_INSTITUTION - MANAGERS)


def managers(ok):
    return by_group(MANAGERS, ok, PLACEMENT_SEERS - MANAGERS)


MATRIX = {
    ("home", "get"): statuses(200),
    ("capacity", "get"): by_group(SCHOOL_CONTACTS, 200, {"placement_coordinator"}),
    ("capacity", "post"): by_group(SCHOOL_CONTACTS, 200, {"placement_coordinator"}),
    ("preferences", "get"): by_group(AT_INSTITUTION | {"network_admin"}, 200),
    ("preferences", "post"): by_group(
        {"student_teacher"}, 200, (AT_INSTITUTION | {"network_admin"}) - {"student_teacher"}
    ),
    ("allocation", "get"): allocators(200),
    ("allocation_apply", "post"): allocators(302),
    ("allocation_confirm", "post"): allocators(302),
    ("place", "post"): allocators(400),
    ("detail", "get"): by_group(PLACEMENT_SEERS, 200),
    ("edit", "get"): managers(200),
    ("edit", "post"): managers(302),
    ("move", "post"): managers(400),
    ("unassign", "post"): managers(302),
    ("transition", "post"): managers(302),
    ("cancel", "get"): managers(200),
    ("cancel", "post"): managers(400),
}


def url_for(name, world, proposed):
    args = {
        "home": [],
        "capacity": [world.network.school.pk],
        "preferences": [world.stage_1.pk],
        "allocation": [world.stage_1.pk],
        "allocation_apply": [world.stage_1.pk],
        "allocation_confirm": [world.stage_1.pk],
        "place": [world.stage_1.pk],
    }.get(name, [proposed.pk])
    return reverse(f"placements:{name}", args=args)


@pytest.mark.parametrize(("name", "method"), list(MATRIX))
def test_permission_matrix(client, world, proposed, name, method):
    url = url_for(name, world, proposed)
    got = {}
    for persona in MATRIX[(name, method)]:
        client.logout()
        if persona is not None:
            client.force_login(world.people[persona])
        with transaction.atomic():
            got[persona] = getattr(client, method)(url, {}).status_code
            transaction.set_rollback(True)
    assert got == MATRIX[(name, method)]


@pytest.mark.parametrize(
    "name", ["allocation_apply", "allocation_confirm", "place", "move", "unassign", "transition"]
)
def test_actions_take_post_only(client, world, proposed, name):
    client.force_login(world.people["placement_coordinator"])
    assert client.get(url_for(name, world, proposed)).status_code == 405


# --- Bad input --------------------------------------------------------------------


def test_capacity_over_the_limit_and_a_foreign_mentor_get_field_messages(client, world, english):
    client.force_login(world.people["coach"])
    url = reverse("placements:capacity", args=[world.network.school.pk])
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-period": world.stage_1.pk,
        "form-0-level": "primary",
        "form-0-subject": "Wiskunde",
        "form-0-places": "31",
        "mentors": [world.people["outsider"].pk],
        "note": "Graag op woensdag",
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 30." in page
    assert "Select a valid choice." in page
    assert 'value="Wiskunde"' in page and "Graag op woensdag" in page
    world.line.refresh_from_db()
    assert world.line.places == 2


def test_capacity_below_the_places_taken_is_refused_above_the_lines(
    client, world, proposed, english
):
    client.force_login(world.people["coach"])
    url = reverse("placements:capacity", args=[world.network.school.pk])
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-period": world.stage_1.pk,
        "form-0-level": "primary",
        "form-0-subject": "",
        "form-0-places": "0",
        "mentors": [world.people["mentor"].pk],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "1 place is taken" in response.content.decode()
    assert world.stage_2.capacity_lines.exists()  # nothing half-written


def test_stating_capacity_through_the_page(client, world, english):
    network = world.network
    client.force_login(world.people["outsider"])  # coach of the other school
    url = reverse("placements:capacity", args=[network.other_school.pk])
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-period": world.stage_2.pk,
        "form-0-level": "secondary_1",
        "form-0-subject": "Frans",
        "form-0-places": "3",
        "form-1-period": "",
        "form-1-level": "primary",
        "form-1-subject": "",
        "form-1-places": "",
        "mentors": [world.people["outsider"].pk],
    }
    response = client.post(url, data, follow=True)
    assert "Thank you" in response.content.decode()
    offer = HostingOffer.objects.get(school=network.other_school)
    assert offer.answered_by == world.people["outsider"]
    assert [(line.subject, line.places) for line in offer.lines.all()] == [("Frans", 3)]


def test_preferences_twice_the_same_place_keep_what_was_typed(client, world, english):
    student = add_student(world.network)
    client.force_login(student)
    url = reverse("placements:preferences", args=[world.stage_1.pk])
    response = client.post(
        url,
        {"choice_1": world.line.pk, "choice_2": world.line.pk, "note": "Liefst in de voormiddag"},
    )
    page = response.content.decode()
    assert "You chose this place twice." in page
    assert "Liefst in de voormiddag" in page
    assert not PlacementRequest.objects.filter(student=student).exists()
    response = client.post(
        url, {"choice_1": world.line.pk, "wants_research_team": "on"}, follow=True
    )
    assert PlacementRequest.objects.get(student=student).preferences.get().capacity == world.line


def test_placing_over_capacity_by_hand_says_so_on_the_field(client, world, english):
    client.force_login(world.people["placement_coordinator"])
    line = world.stage_2.capacity_lines.get()  # one place
    requests = []
    for _ in range(2):
        student = add_student(world.network)
        requests.append(
            services.request_state(student=student, period=world.stage_2, choices=[line])
        )
    url = reverse("placements:place", args=[world.stage_2.pk])
    assert client.post(url, {"request": requests[0].pk, "capacity": line.pk}).status_code == 302
    response = client.post(url, {"request": requests[1].pk, "capacity": line.pk})
    assert response.status_code == 400
    assert "has no free place left" in response.content.decode()
    assert Placement.objects.filter(period=world.stage_2).count() == 1


def test_a_mentor_of_another_school_is_not_a_choice(client, world, proposed, english):
    client.force_login(world.people["placement_coordinator"])
    url = reverse("placements:edit", args=[proposed.pk])
    response = client.post(url, {"mentor": world.people["outsider"].pk, "team_task": "Enquête"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    response = client.post(url, {"team_task": "Enquête"})
    assert "needs a research team" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.mentor == world.people["mentor"] and proposed.team_task == ""


def test_moving_into_an_overlapping_period_is_not_offered_and_cancel_needs_a_reason(
    client, world, proposed, english
):
    client.force_login(world.people["placement_coordinator"])
    response = client.post(
        reverse("placements:move", args=[proposed.pk]),
        {"capacity": world.stage_2.capacity_lines.get().pk},
    )
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()
    response = client.post(reverse("placements:cancel", args=[proposed.pk]), {"reason": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_the_coordinator_allocates_and_confirms_through_the_pages(
    client, world, mailoutbox, django_capture_on_commit_callbacks, english
):
    client.force_login(world.people["placement_coordinator"])
    first, second = add_student(world.network), add_student(world.network)
    services.request_state(student=first, period=world.stage_1, choices=[world.line])
    services.request_state(student=second, period=world.stage_1, choices=[world.line])
    page = client.get(reverse("placements:allocation", args=[world.stage_1.pk])).content.decode()
    assert page.count("First choice.") == 2
    client.post(reverse("placements:allocation_apply", args=[world.stage_1.pk]))
    assert Placement.objects.filter(state="proposed").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("placements:allocation_confirm", args=[world.stage_1.pk]), follow=True
        )
    assert "2 placements confirmed" in response.content.decode()
    assert Placement.objects.filter(state="confirmed").count() == 2
    # One mail per placement to its student, mentor, coach and bridge-builder.
    assert len(mailoutbox) == 2 * 4
    assert {m.to[0] for m in mailoutbox} >= {first.email, second.email}


def test_the_page_says_why_each_student_got_their_place(client, world, english):
    """Before and after proposing: "second choice: first choice full"."""
    client.force_login(world.people["placement_coordinator"])
    home_line = world.stage_2.capacity_lines.get()  # one place
    other_school, other_line = add_school_with_line(world.network, world.stage_2, 1)
    early, late = add_student(world.network), add_student(world.network)
    services.request_state(student=early, period=world.stage_2, choices=[home_line, other_line])
    services.request_state(student=late, period=world.stage_2, choices=[home_line, other_line])
    url = reverse("placements:allocation", args=[world.stage_2.pk])
    why = "Second choice: first choice full (students with priority)."
    for _ in ("suggested", "proposed"):
        page = client.get(url).content.decode()
        assert page.count("First choice.") == 1 and page.count(why) == 1
        client.post(reverse("placements:allocation_apply", args=[world.stage_2.pk]))
    assert Placement.objects.get(student=late).school == other_school


def test_the_navigation_links_to_placements_for_the_people_who_use_them(client, world):
    for persona in EVERYONE:
        client.force_login(world.people[persona])
        page = client.get(reverse("dashboard")).content.decode()
        linked = f'href="{reverse("placements:home")}"' in page
        assert linked == (persona not in {"process_facilitator"}), persona


def test_the_team_task_shows_in_the_workspace_and_its_timeline(client, world, proposed):
    services.placement_update(
        placement=proposed,
        mentor=proposed.mentor,
        bridge_builder=proposed.bridge_builder,
        research_team=world.network.team,
        team_task="Leesgesprekken opnemen en uittypen.",
    )
    services.placement_confirm(placement=proposed, by=None)
    cycle_start(team=world.network.team, user=world.people["coach"])
    client.force_login(world.people["coach"])
    page = client.get(reverse("research_cycle:team_workspace", args=[world.network.team.pk]))
    html = page.content.decode()
    assert 'data-testid="team-placements"' in html and 'data-testid="timeline-placements"' in html
    assert html.count("Leesgesprekken opnemen en uittypen.") == 2


def _home_sections(client, person) -> dict[str, str]:
    """The placements home's sections this person sees: {testid: its HTML}."""
    client.force_login(person)
    page = client.get(reverse("placements:home")).content.decode()
    sections = {}
    for testid in ("capacity-schools", "coordinated-periods", "student-periods"):
        marker = f'data-testid="{testid}"'
        if marker in page:
            start = page.index(marker)
            sections[testid] = page[start : page.index("</ul>", start)]
    return sections


def test_the_placements_home_shows_each_person_what_their_roles_give(client, world, english):
    """The lists a person's roles leave empty cost no query (the scope tells), and
    the ones they hold are there with their own state."""
    people = world.people
    services.request_state(
        student=people["student_teacher"], period=world.stage_1, choices=[world.line]
    )
    student = _home_sections(client, people["student_teacher"])
    assert set(student) == {"student-periods"}
    stage_1, stage_2 = (
        student["student-periods"].split("Stage 1")[1].split("</li>")[0],
        student["student-periods"].split("Stage 2")[1].split("</li>")[0],
    )
    assert "Stated" in stage_1 and "Still to state" in stage_2
    coordinator = _home_sections(client, people["placement_coordinator"])
    assert set(coordinator) == {"coordinated-periods"}
    assert "Stage 1" in coordinator["coordinated-periods"]
    leader = _home_sections(client, people["school_leader"])
    assert set(leader) == {"capacity-schools"}
    assert world.network.school.name in leader["capacity-schools"]
    assert "Stated" in leader["capacity-schools"]
    assert _home_sections(client, people["mentor"]) == {}
    admin = _home_sections(client, people["network_admin"])
    assert {"capacity-schools", "coordinated-periods"} <= set(admin)
