"""The team page's timeline entries: the part everyone sees is rendered once per
process (``research_cycle.templatetags.timeline_parts``), keyed on everything it
shows; the edit links and the comment form stay each person's own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from research_cycle import services
from research_cycle.templatetags import timeline_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(network):
    coach = network.people["coach"]
    cycle = services.cycle_start(team=network.team, user=coach)
    return services.log_entry_create(
        cycle=cycle,
        author=coach,
        stage=cycle.current_stage,
        occurred_on=timezone.localdate(),
        summary="Eerste overleg met de klas",
    )


def page(client, network, persona) -> str:
    client.force_login(network.people[persona])
    response = client.get(f"/teams/{network.team.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_two_people_each_see_their_own_links_and_form_around_the_same_entry(client, network, entry):
    edit = f"/entries/{entry.pk}/edit/"
    coach, teacher = network.people["coach"], network.people["research_teacher"]
    mention = '<option value="{}">{}</option>'
    for persona, own, other in [
        ("coach", coach, teacher),
        ("research_teacher", teacher, coach),
        ("coach", coach, teacher),
    ]:
        html = page(client, network, persona)
        assert html.count("Eerste overleg met de klas") == 1
        assert (edit in html) == (persona == "coach")  # only the author edits
        assert mention.format(own.pk, own.full_name) not in html  # nobody mentions oneself
        assert mention.format(other.pk, other.full_name) in html
    assert len(timeline_parts._memo) == 1  # rendered once for both of them
    # the school leader reads and comments but does not log: no edit link, a form
    html = page(client, network, "school_leader")
    assert "Eerste overleg met de klas" in html and edit not in html
    assert f'id="comment-{entry.pk}"' in html


def rewrite(entry, coach, **extra):
    """The coach saves the entry with a second version of its summary."""
    services.log_entry_update(
        entry=entry,
        user=coach,
        stage=entry.stage,
        occurred_on=entry.occurred_on,
        summary="Tweede versie van het verslag",
        **extra,
    )


def test_an_edit_a_comment_an_attachment_and_a_new_name_show_at_once(client, network, entry):
    coach, teacher = network.people["coach"], network.people["research_teacher"]
    assert "Eerste overleg met de klas" in page(client, network, "research_teacher")
    rewrite(entry, coach)
    html = page(client, network, "research_teacher")
    assert "Tweede versie van het verslag" in html and "Eerste overleg" not in html
    services.comment_add(entry=entry, author=teacher, body="Mooi verslag!")
    assert "Mooi verslag!" in page(client, network, "coach")
    rewrite(entry, coach, files=[SimpleUploadedFile("lesnotities.txt", b"Wat lees je graag?")])
    assert "lesnotities.txt" in page(client, network, "research_teacher")
    coach.full_name = "Karim Nieuwenaam"
    coach.save()
    html = page(client, network, "research_teacher")
    # the entry's byline (the members list shows the name too, uncached)
    assert '<span class="small text-body-secondary">Karim Nieuwenaam</span>' in html
    assert "Tweede versie van het verslag" in html and "Mooi verslag!" in html


def test_the_same_entry_in_each_language(client, network, entry):
    services.comment_add(entry=entry, author=network.people["coach"], body="Klaar")
    nl = page(client, network, "research_teacher")
    person = network.people["research_teacher"]
    person.preferred_language = "en"
    person.save()
    en = page(client, network, "research_teacher")
    assert 'aria-label="Reacties"' in nl and 'aria-label="Comments"' in en


def test_the_memo_stays_within_its_bound_and_the_page_stays_whole(
    client, network, entry, monkeypatch
):
    monkeypatch.setattr(timeline_parts._memo, "max_characters", 1)  # nothing fits
    html = page(client, network, "research_teacher")
    assert "Eerste overleg met de klas" in html and f'id="comment-{entry.pk}"' in html
    assert len(timeline_parts._memo) == 0 and timeline_parts._memo.size == 0
    monkeypatch.setattr(timeline_parts._memo, "max_characters", 8_000_000)
    page(client, network, "research_teacher")
    assert len(timeline_parts._memo) == 1 and timeline_parts._memo.size > 0


def test_each_entry_has_a_comment_form_of_its_own_that_posts(network, entry):
    """The form is rendered once per page and given each entry's pk: every entry's
    form posts its comment to that entry, with a token that passes the CSRF check."""
    import re

    from django.test import Client

    coach, teacher = network.people["coach"], network.people["research_teacher"]
    second = services.log_entry_create(
        cycle=entry.cycle,
        author=coach,
        stage=entry.stage,
        occurred_on=timezone.localdate(),
        summary="Tweede overleg",
    )
    teacher.full_name = f"Lotte {timeline_parts._ENTRY_MARKER}"  # a name like the marker
    teacher.save()
    client = Client(enforce_csrf_checks=True)
    client.force_login(coach)
    html = client.get(f"/teams/{network.team.pk}/").content.decode()
    forms = re.findall(
        r'<form method="post" action="(/entries/\d+/[^"]*)"[^>]*>(.*?)</form>', html, re.S
    )
    comment_forms = {action: body for action, body in forms if 'name="body"' in body}
    assert len(comment_forms) == 2
    for item in (entry, second):
        action = next(a for a in comment_forms if f"/entries/{item.pk}/" in a)
        body = comment_forms[action]
        assert f'id="comment-{item.pk}"' in body and f'for="mention-{item.pk}"' in body
        assert f'<option value="{teacher.pk}">Lotte {timeline_parts._ENTRY_MARKER}</option>' in body
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        response = client.post(
            action, {"body": f"Reactie op {item.pk}", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert item.comments.get().body == f"Reactie op {item.pk}"


def test_a_stage_transition_shows_its_mover_and_reason_and_follows_a_new_name(
    client, network, entry
):
    coach = network.people["coach"]
    services.cycle_advance_stage(cycle=entry.cycle, user=coach, reason="<b>Tijd</b> dringt")
    html = page(client, network, "research_teacher")
    assert html.count("<strong>Sara Peeters</strong>") == 2  # started, then moved on
    assert "Reden: &lt;b&gt;Tijd&lt;/b&gt; dringt" in html  # the reason, escaped
    assert len(timeline_parts._transitions) == 2
    coach.full_name = "Sara Nieuwenaam"
    coach.save()
    html = page(client, network, "research_teacher")
    assert "<strong>Sara Peeters</strong>" not in html
    assert html.count("<strong>Sara Nieuwenaam</strong>") == 2
    person = network.people["research_teacher"]
    person.preferred_language = "en"
    person.save()
    html = page(client, network, "research_teacher")
    assert "Reason: &lt;b&gt;Tijd&lt;/b&gt; dringt" in html and "started the cycle at" in html


def test_an_entry_rendered_outside_a_view_still_has_its_own_comment_form(network, entry):
    """A mail or a benchmark may render the timeline with no request: the entry
    still gets a form posting to itself, with no placeholder for a token."""
    from django.template import Context, Template

    from config.rendered_memo import CSRF_PLACEHOLDER
    from research_cycle.models import TeamMembership
    from research_cycle.permissions import team_access
    from research_cycle.selectors import TimelineItem

    teacher = network.people["research_teacher"]
    html = Template("{% load timeline_parts %}{% timeline_items timeline %}").render(
        Context(
            {
                "timeline": [TimelineItem("entry", entry.occurred_on, entry)],
                "user": teacher,
                "access": team_access(teacher, network.team),
                "members": TeamMembership.objects.filter(team=network.team).select_related("user"),
            }
        )
    )
    assert f'action="/entries/{entry.pk}/comments/"' in html
    assert "Eerste overleg met de klas" in html
    assert CSRF_PLACEHOLDER not in html and str(timeline_parts._ENTRY_MARKER) not in html
    assert f'<option value="{network.people["coach"].pk}">' in html
    assert html.rstrip().endswith("</li>")
