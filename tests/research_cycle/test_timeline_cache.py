"""The team page keeps what it shows of a cycle (stages, members, checklist, a page
of the timeline) under the cycle's version (issue 17,
``research_cycle.selectors.cycle_page``, ``CycleVersion``): the database itself
gives the cycle a new version on every write to anything the page shows of it, by
any path (services, ``queryset.update()``, raw SQL). What a person must notice:
every change shows on the next request, and nobody sees another person's links or
forms.

PostgreSQL only: the versions are written by triggers (on SQLite nothing is kept).
The page cache is off here, so these tests see the timeline's own cache."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from accounts.models import User
from inspiration import services as inspiration_services
from knowledge_base.models import Study
from network_sessions.models import NetworkSession
from privacy import services as privacy_services
from questionnaires.models import ResultsSnapshot
from research_cycle import selectors, services
from research_cycle.models import (
    Attachment,
    ChecklistCheck,
    ChecklistItem,
    Comment,
    CycleStage,
    CycleVersion,
    LogEntry,
    ResearchCycle,
    TeamMembership,
)
from tests import factories
from tests.knowledge_base.conftest import make_study

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("no_page_cache")]


def timeline(client, team, **query) -> str:
    """The text of the team page's timeline (as a reader sees it)."""
    response = client.get(
        reverse("research_cycle:team_workspace", kwargs={"pk": team.pk}), query, secure=True
    )
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    return " ".join(" ".join(page.xpath("//*[@id='timeline']")[0].itertext()).split())


def add_entry(cycle, author, summary, days_ago=0):
    return services.log_entry_create(
        cycle=cycle,
        author=author,
        stage=cycle.current_stage,
        occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        summary=summary,
    )


@pytest.fixture
def seen(client, network, cycle):
    """The coach has the page open once, with one entry and one comment (so the
    page is kept), and sees it again from the cache."""
    coach = network.people["coach"]
    entry = add_entry(cycle, coach, "Wij observeerden de leeshoek.")
    services.comment_add(entry=entry, author=coach, body="Mooie eerste stap.")
    client.force_login(coach)
    first = timeline(client, network.team)
    with CaptureQueriesContext(connection) as queries:
        assert timeline(client, network.team) == first
    assert not [q for q in queries if "research_cycle_logentry" in q["sql"]], (
        "the second ask reads no entries: it is kept"
    )
    return entry


def test_a_cycle_gets_a_version_when_it_is_made_and_a_new_one_on_every_entry(network, cycle):
    first = CycleVersion.objects.get(cycle=cycle).version
    add_entry(cycle, network.people["coach"], "Nieuw")
    assert CycleVersion.objects.get(cycle=cycle).version != first


def test_a_new_entry_shows_at_once(client, network, cycle, seen):
    add_entry(cycle, network.people["research_teacher"], "De kleuters kozen zelf hun boek.")
    assert "De kleuters kozen zelf hun boek." in timeline(client, network.team)


def test_an_edited_entry_shows_its_new_text(client, network, seen):
    services.log_entry_update(
        entry=seen,
        user=seen.author,
        stage=seen.stage,
        occurred_on=seen.occurred_on,
        summary="Wij observeerden de leeshoek twee weken.",
    )
    text = timeline(client, network.team)
    assert "Wij observeerden de leeshoek twee weken." in text


def test_a_deleted_entry_is_gone(client, network, seen):
    services.log_entry_delete(entry=seen)
    assert "Wij observeerden de leeshoek." not in timeline(client, network.team)


def test_an_entry_changed_by_a_bulk_update_or_raw_sql_shows(client, network, seen):
    LogEntry.objects.filter(pk=seen.pk).update(summary="Via een bulkwijziging.")
    assert "Via een bulkwijziging." in timeline(client, network.team)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE research_cycle_logentry SET summary = %s WHERE id = %s",
            ["Rechtstreeks in de databank.", seen.pk],
        )
    assert "Rechtstreeks in de databank." in timeline(client, network.team)


def test_a_new_and_a_deleted_comment_show(client, network, seen):
    services.comment_add(
        entry=seen, author=network.people["research_teacher"], body="Welke boeken?"
    )
    assert "Welke boeken?" in timeline(client, network.team)
    Comment.objects.filter(body="Welke boeken?").delete()
    assert "Welke boeken?" not in timeline(client, network.team)


def test_an_attachment_and_its_preview_state_show(client, network, seen):
    attachment = Attachment.objects.create(
        log_entry=seen,
        file="attachments/x/observatie.pdf",
        original_name="observatie.pdf",
        content_type="application/pdf",
        size=2048,
    )
    assert "observatie.pdf" in timeline(client, network.team)
    Attachment.objects.filter(pk=attachment.pk).update(original_name="leeshoek.pdf")
    text = timeline(client, network.team)
    assert "leeshoek.pdf" in text and "observatie.pdf" not in text


def test_questionnaire_results_attached_to_an_entry_show(client, network, seen):
    ResultsSnapshot.objects.create(
        log_entry=seen,
        title="Leesplezier bevraagd",
        round_name="Ronde 1",
        responses=6,
        figures=[],
    )
    assert "Leesplezier bevraagd" in timeline(client, network.team)


def test_a_stage_transition_shows(client, network, cycle, seen):
    services.cycle_advance_stage(cycle=cycle, user=network.people["coach"], reason="Klaar")
    stage_two = CycleStage.objects.get(order=2)
    assert stage_two.name in timeline(client, network.team)


def test_a_knowledge_injection_and_its_study_s_new_title_show(client, network, seen):
    study = make_study(
        school=network.other_school, school_year=network.school_year, title="Boekenkringen"
    )
    inspiration_services.injection_send(
        team=network.team,
        sender=network.people["bridge_builder"],
        kind="study",
        note="Lees dit eens.",
        study=study,
    )
    assert "Boekenkringen" in timeline(client, network.team)
    Study.objects.filter(pk=study.pk).update(title="Boekenkringen in de kleuterklas")
    assert "Boekenkringen in de kleuterklas" in timeline(client, network.team)


def test_a_session_an_injection_points_to_shows_its_new_title(client, network, seen):
    starts = timezone.now() + datetime.timedelta(days=3)
    session = NetworkSession.objects.create(
        kind=NetworkSession.Kind.KNOWLEDGE,
        title="Lezen in de kleuterklas",
        school_year=network.school_year,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        organiser=network.people["bridge_builder"],
    )
    inspiration_services.injection_send(
        team=network.team,
        sender=network.people["bridge_builder"],
        kind="session",
        note="Kom ook.",
        session=session,
    )
    assert "Lezen in de kleuterklas" in timeline(client, network.team)
    NetworkSession.objects.filter(pk=session.pk).update(title="Voorlezen met ouders")
    assert "Voorlezen met ouders" in timeline(client, network.team)


def test_a_renamed_author_or_stage_shows_under_the_new_name(client, network, seen):
    User.objects.filter(pk=network.people["coach"].pk).update(full_name="Sara Peeters-Claes")
    assert "Sara Peeters-Claes" in timeline(client, network.team)
    CycleStage.objects.filter(order=1).update(name_nl="Het dilemma")
    assert "Het dilemma" in timeline(client, network.team)


def test_a_login_does_not_renew_every_timeline(client, network, cycle, seen):
    """Only a changed name renews every cycle's version, not any write to a person."""
    before = CycleVersion.objects.get(cycle=cycle).version
    User.objects.filter(pk=network.people["coach"].pk).update(last_login=timezone.now())
    assert CycleVersion.objects.get(cycle=cycle).version == before


def test_each_page_of_the_timeline_is_kept_apart(client, network, cycle):
    coach = network.people["coach"]
    for day in range(25):  # two pages of 20
        add_entry(cycle, coach, f"Dag {day} van de observatie", days_ago=day)
    client.force_login(coach)
    first, second = timeline(client, network.team), timeline(client, network.team, page=2)
    assert "Dag 0 van de observatie" in first and "Dag 0 van de observatie" not in second
    assert "Dag 24 van de observatie" in second and "Dag 24 van de observatie" not in first
    # Asked again, from the cache: each its own.
    assert timeline(client, network.team, page=2) == second
    assert timeline(client, network.team) == first


def test_the_kept_timeline_holds_nothing_of_the_person_who_asked_first(client, network, seen):
    """The author sees the edit links of their own entry; a team member who is not
    the author, asking the same kept page next, does not, and gets their own
    comment form."""
    coach, teacher = network.people["coach"], network.people["research_teacher"]
    edit = reverse("research_cycle:entry_edit", kwargs={"entry_pk": seen.pk})
    client.force_login(coach)
    mine = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": network.team.pk}))
    assert edit in mine.content.decode()
    client.force_login(teacher)
    theirs = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": network.team.pk}))
    html = theirs.content.decode()
    assert edit not in html
    # the mention list of the comment form: everyone but oneself
    options = lxml_html.fromstring(theirs.content).xpath("//select[@name='mention']")[0]
    assert "Sara Peeters" in options.text_content()
    assert "Lotte Janssens" not in options.text_content()


def test_an_outsider_still_gets_404_for_a_kept_timeline(client, network, seen):
    client.force_login(network.people["outsider"])
    response = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": network.team.pk}))
    assert response.status_code == 404


def test_a_new_cycle_on_a_reused_id_gets_a_version_of_its_own(network, cycle):
    """A cycle made again with an id used before (a restored or recreated database)
    never finds the old cycle's kept pages: making it gives it a new version."""
    old = CycleVersion.objects.get(cycle=cycle).version
    pk = cycle.pk
    network.team.current_cycle = None
    network.team.save(update_fields=["current_cycle"])
    ResearchCycle.objects.filter(pk=pk).delete()
    again = ResearchCycle.objects.create(
        pk=pk,
        team=network.team,
        current_stage=CycleStage.objects.get(order=1),
        stage_entered_at=timezone.now(),
        started_at=timezone.now(),
    )
    assert CycleVersion.objects.get(cycle=again).version != old


def test_a_kept_page_of_a_long_timeline_reads_none_of_it(
    client, network, long_timeline, django_assert_max_num_queries
):
    """Query budget of the team page asked again (issue 17): 500 entries, 50 with a
    comment; the first ask reads the page's entries, comments, transitions and
    injections, the next none of them."""
    coach = network.people["coach"]
    client.force_login(coach)
    with CaptureQueriesContext(connection) as first:
        shown = timeline(client, network.team)
    with django_assert_max_num_queries(len(first) - 4) as again:
        assert timeline(client, network.team) == shown
    assert not [q for q in again.captured_queries if "research_cycle_comment" in q["sql"]]
    assert "Stap 0" in shown and "Pagina 1 van 25" in shown


def test_an_erased_person_s_name_leaves_the_kept_timeline(client, network, seen):
    """Erasure hands the person's entries and comments to a stand-in ("Teamlid 1"):
    the page kept before shows the stand-in, not the name."""
    second = factories.UserFactory(email="coach2@school.test", full_name="Nora Coach")
    factories.TeamMembershipFactory(team=network.team, user=second, role="coach")
    request = privacy_services.erasure_request(user=network.people["coach"])
    privacy_services.erasure_confirm(request=request, by=None)
    client.force_login(second)
    text = timeline(client, network.team)
    assert "Wij observeerden de leeshoek." in text and "Teamlid 1" in text
    assert "Sara Peeters" not in text


def checklist_of(client, team) -> dict[str, bool]:
    response = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": team.pk}))
    page = lxml_html.fromstring(response.content)
    return {
        " ".join(li.text_content().split()): "btn-success" in li.xpath(".//button")[0].get("class")
        for li in page.xpath("//*[@id='checklist']//li")
    }


def members_of(client, team) -> str:
    response = client.get(reverse("research_cycle:team_workspace", kwargs={"pk": team.pk}))
    page = lxml_html.fromstring(response.content)
    section = page.xpath("//section[@aria-labelledby='members-title']")[0]
    return " ".join(section.text_content().split())


def test_a_checked_item_shows_checked_at_once(client, network, cycle, seen):
    before = checklist_of(client, network.team)
    assert before and not any(before.values())
    item = ChecklistItem.objects.filter(stage=cycle.current_stage).order_by("order").first()
    services.checklist_set(cycle=cycle, item=item, checked=True, user=network.people["coach"])
    after = checklist_of(client, network.team)
    assert sum(after.values()) == 1
    ChecklistCheck.objects.filter(cycle=cycle).delete()
    assert not any(checklist_of(client, network.team).values())


def test_a_checklist_item_s_new_text_shows(client, network, cycle, seen):
    item = ChecklistItem.objects.filter(stage=cycle.current_stage).order_by("order").first()
    ChecklistItem.objects.filter(pk=item.pk).update(text_nl="Het dilemma staat op papier")
    assert any("Het dilemma staat op papier" in text for text in checklist_of(client, network.team))


def test_a_new_member_shows_and_a_member_who_left_is_gone(client, network, seen):
    newcomer = factories.UserFactory(full_name="Yasmina El Amrani")
    membership = factories.TeamMembershipFactory(
        team=network.team, user=newcomer, role="research_teacher"
    )
    assert "Yasmina El Amrani" in members_of(client, network.team)
    TeamMembership.objects.filter(pk=membership.pk).delete()
    assert "Yasmina El Amrani" not in members_of(client, network.team)


def test_the_kept_page_holds_no_email_address_or_password_of_the_people_it_names(
    client, network, cycle, seen
):
    """What is kept of the people on the page: their ids and names only."""
    kept = selectors.cycle_page(
        next(c for c in selectors.workspace(network.team)["cycles"] if c.pk == cycle.pk), 1
    )
    people = [m.user for m in kept.members] + [e.author for e in kept.timeline.entries]
    people += [c.author for e in kept.timeline.entries for c in e.comments.all()]
    assert people
    for person in people:
        assert {"email", "password", "last_login"} <= person.get_deferred_fields()


def test_ticking_and_unticking_with_htmx_answers_with_the_new_state(client, network, cycle, seen):
    """The checklist fragment htmx swaps in after a tick is read after the tick, not
    from the page kept before it."""
    item = ChecklistItem.objects.filter(stage=cycle.current_stage).order_by("order").first()
    url = reverse(
        "research_cycle:checklist_toggle", kwargs={"pk": network.team.pk, "item_pk": item.pk}
    )
    ticked = client.post(url, {"checked": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert ticked.count('aria-pressed="true"') == 1
    unticked = client.post(url, {"checked": "0"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-pressed="true"' not in unticked
    assert not any(checklist_of(client, network.team).values())


def test_a_page_past_the_last_is_shown_but_not_kept(client, network, cycle, seen):
    """``?page=`` is typed by anyone: a page that does not exist shows the last one
    and is read every time, so typed page numbers cannot fill the cache."""
    shown = timeline(client, network.team, page=99)
    assert "Wij observeerden de leeshoek." in shown
    with CaptureQueriesContext(connection) as queries:
        assert timeline(client, network.team, page=99) == shown
    assert [q for q in queries if "research_cycle_logentry" in q["sql"]]
    assert not any(":99:" in key for key in selectors._cycle_pages._values)
