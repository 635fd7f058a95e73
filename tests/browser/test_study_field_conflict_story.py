"""Two teammates edit the same study field in place; the second save is refused (409)
and must not be lost in the browser."""

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_refused_save_shows_the_conflict_the_typed_text_and_the_saved_version(
    browser, live_server, demo_network
):
    from research_cycle import demo

    demo.seed(demo_network)
    team = demo_network.home_team
    contexts = [browser.new_context(base_url=live_server.url, locale="nl-BE") for _ in range(2)]
    coach, teacher = (context.new_page() for context in contexts)
    try:
        for page, email in ((coach, "coach@demo.test"), (teacher, "research-teacher@demo.test")):
            page.set_default_timeout(10_000)
            log_in(page, email)
            page.goto(f"/teams/{team.pk}/")
            page.get_by_test_id("edit-hypotheses").click()
        coach_field = coach.locator("#study-hypotheses")
        teacher_field = teacher.locator("#study-hypotheses")
        expect(coach_field.get_by_label("Hypothesen")).to_be_visible()
        expect(teacher_field.get_by_label("Hypothesen")).to_be_visible()

        # The research teacher saves first.
        teacher_field.get_by_label("Hypothesen").fill("Vrije keuze verhoogt de leestijd.")
        teacher_field.get_by_role("button", name="Bewaren").click()
        expect(teacher.get_by_test_id("value-hypotheses")).to_have_text(
            "Vrije keuze verhoogt de leestijd."
        )

        # The coach's save comes second: refused, but nothing is lost.
        coach_field.get_by_label("Hypothesen").fill("Leesclubs verhogen de motivatie.")
        coach_field.get_by_role("button", name="Bewaren").click()
        expect(coach_field).to_contain_text("Iemand anders heeft dit veld bewaard")
        expect(coach_field.get_by_label("Hypothesen")).to_have_value(
            "Leesclubs verhogen de motivatie."
        )
        expect(coach_field.get_by_test_id("saved-version")).to_contain_text(
            "Vrije keuze verhoogt de leestijd."
        )

        # Having compared, the coach saves again on purpose, and that save counts.
        coach_field.get_by_label("Hypothesen").fill(
            "Vrije keuze verhoogt de leestijd; leesclubs de motivatie."
        )
        coach_field.get_by_role("button", name="Bewaren").click()
        expect(coach.get_by_test_id("value-hypotheses")).to_have_text(
            "Vrije keuze verhoogt de leestijd; leesclubs de motivatie."
        )
    finally:
        for context in contexts:
            context.close()
