"""The team page's study fields are rendered once per process for what they show
(``research_cycle.templatetags.study_parts``): the same HTML as the edit's htmx swap
gives, the Edit link only for who may edit, and an edit, a first revision, a closed
cycle or another language shown at once."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from lxml import html as lxml_html

from research_cycle import services
from research_cycle.models import STUDY_FIELDS, ResearchTeam
from research_cycle.templatetags import study_parts
from research_cycle.views import _study_field_context

pytestmark = pytest.mark.django_db


def _field(client, network, persona: str, field: str) -> str:
    client.force_login(network.people[persona])
    response = client.get(f"/teams/{network.team.pk}/")
    assert response.status_code == 200
    (element,) = lxml_html.fromstring(response.content).xpath(f'//*[@id="study-{field}"]')
    return lxml_html.tostring(element, encoding="unicode", with_tail=False)


def _normalised(html: str) -> str:
    return lxml_html.tostring(
        lxml_html.fragment_fromstring(html.strip()), encoding="unicode", with_tail=False
    )


def _edit(cycle, network, field: str, value: str, version: int):
    return services.study_field_update(
        cycle=cycle,
        field=field,
        value=value,
        expected_version=version,
        user=network.people["coach"],
    )


@pytest.mark.parametrize("persona", ["coach", "school_leader"])
@pytest.mark.parametrize("field", ["dilemma", "findings"])
def test_a_remembered_field_is_what_the_edits_swap_gives(client, network, cycle, persona, field):
    _edit(cycle, network, "dilemma", "Lezen de **leerlingen** graag? <script>x()</script>", 0)
    shown = _field(client, network, persona, field)
    team = ResearchTeam.objects.get(pk=network.team.pk)
    request = RequestFactory().get("/")
    request.user = network.people[persona]
    swap = render_to_string(
        "research_cycle/workspace.html#study_field",
        _study_field_context(team, team.current_cycle, field, network.people[persona]),
        request=request,
    )
    assert shown == _normalised(swap)
    assert ("Bewerken" in shown) == (persona == "coach")
    assert "<script>" not in shown


def test_who_may_not_edit_gets_no_edit_link_after_who_may(client, network, cycle):
    edit = f'href="/teams/{network.team.pk}/study/dilemma/"'
    assert edit in _field(client, network, "coach", "dilemma")
    assert edit not in _field(client, network, "school_leader", "dilemma")
    assert edit in _field(client, network, "research_teacher", "dilemma")
    # each field twice (with its Edit link and without), not once per person
    assert len(study_parts._memo) == 2 * len(STUDY_FIELDS)


def test_an_edit_a_first_history_a_closed_cycle_and_a_language_show_at_once(client, network, cycle):
    history = f"/teams/{network.team.pk}/study/dilemma/history/"
    first = _field(client, network, "coach", "dilemma")
    assert "Nog niet ingevuld." in first and history not in first

    cycle = _edit(cycle, network, "dilemma", "Lezen ze graag?", 0)
    shown = _field(client, network, "coach", "dilemma")
    assert "Lezen ze graag?" in shown and history in shown

    _edit(cycle, network, "dilemma", "Lezen ze thuis?", 1)
    assert "Lezen ze thuis?" in _field(client, network, "coach", "dilemma")

    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    english = _field(client, network, "coach", "dilemma")
    assert ">Edit<" in english and ">History<" in english and "Bewerken" not in english

    cycle.refresh_from_db()
    cycle.completed_at = timezone.now()
    cycle.save(update_fields=["completed_at"])
    assert f'href="/teams/{network.team.pk}/study/dilemma/"' not in _field(
        client, network, "coach", "dilemma"
    )
