"""A pupil answers the team's questionnaire on a 375 px phone from the QR link,
and the coach sees it in the chart; an Arabic form reads right to left."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def demo_with_questionnaires(demo_network):
    from questionnaires import demo as questionnaires_demo
    from research_cycle import demo as research_cycle_demo

    research_cycle_demo.seed(demo_network)
    questionnaires_demo.seed(demo_network)
    return demo_network


def test_a_pupil_answers_on_a_phone_and_the_coach_sees_the_chart(
    browser, page, live_server, settings, demo_with_questionnaires
):
    import io

    import zxingcpp
    from PIL import Image

    from questionnaires.models import Questionnaire

    settings.LEERBRUG_BASE_URL = live_server.url  # the printed code points at this server

    pupils = Questionnaire.objects.get(perspective="pupils")
    log_in(page, "coach@demo.test")
    page.goto(f"/teams/{pupils.team_id}/questionnaires/{pupils.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe graag lees jij?")
    link = page.get_by_test_id("public-link").get_attribute("href")
    qr = page.request.get(f"/teams/{pupils.team_id}/questionnaires/{pupils.pk}/rounds/2/qr.png")
    assert qr.ok and qr.body()[:8] == b"\x89PNG\r\n\x1a\n"
    # The pupil's phone reads the printed code, and goes where it says.
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.body())))
    assert code.text == f"{live_server.url}{link}"

    phone = browser.new_context(viewport=PHONE, locale="nl-BE")
    pupil = phone.new_page()
    pupil.goto(code.text)
    expect(pupil.get_by_test_id("step")).to_have_text("Vraag 1 van 5")
    assert pupil.evaluate("document.scripts.length") == 0  # no JavaScript needed
    assert pupil.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pupil.get_by_role("button", name="Volgende").click()  # nothing chosen
    expect(pupil.get_by_test_id("form-error")).to_be_visible()
    expect(pupil.get_by_text("Deze vraag heeft een antwoord nodig.")).to_be_visible()
    pupil.get_by_label("Heel graag").check()
    pupil.get_by_role("button", name="Volgende").click()
    expect(pupil.get_by_test_id("step")).to_have_text("Vraag 2 van 5")
    pupil.get_by_label("Heel graag").check()
    pupil.get_by_role("button", name="Volgende").click()
    pupil.get_by_label("In de bib").check()
    pupil.get_by_role("button", name="Volgende").click()
    pupil.get_by_label("Strips").check()
    pupil.get_by_role("button", name="Volgende").click()
    expect(pupil.get_by_test_id("no-names-warning")).to_be_visible()
    pupil.get_by_role("textbox").fill("Een leeshoek met kussens")
    pupil.get_by_role("button", name="Versturen").click()
    expect(pupil.get_by_test_id("thanks")).to_have_text("Je antwoorden zijn goed ontvangen.")
    pupil.screenshot(path="var/questionnaire-phone-thanks.png")
    phone.close()

    page.goto(f"/teams/{pupils.team_id}/questionnaires/{pupils.pk}/results/?round=1&round=2")
    expect(page.get_by_test_id("response-counts")).to_contain_text("Ronde 2 (na): 29 inzendingen")
    expect(page.get_by_test_id("question-chart")).to_have_count(8)
    expect(page.get_by_text("Een leeshoek met kussens")).to_be_visible()
    page.screenshot(path="var/questionnaire-results.png", full_page=True)


def test_an_arabic_form_reads_right_to_left(browser, live_server, demo_with_questionnaires):
    from django.utils import timezone

    from questionnaires import services
    from questionnaires.models import Questionnaire

    parents = Questionnaire.objects.get(perspective="parents")
    coach = parents.created_by
    questionnaire = services.questionnaire_create(
        team=parents.team,
        user=coach,
        title="Ouders en school",
        title_translations={"ar": "الآباء والمدرسة"},
        perspective="parents",
        languages=["ar"],
    )
    services.question_add(
        questionnaire=questionnaire,
        kind="scale",
        text={"nl": "Ik voel me welkom op school.", "ar": "أشعر بالترحيب في المدرسة."},
        options=[{"nl": "Oneens", "ar": "لا أوافق"}, {"nl": "Eens", "ar": "أوافق"}],
    )
    services.question_add(
        questionnaire=questionnaire, kind="open", text={"nl": "Tips?", "ar": "نصائح؟"}
    )
    today = timezone.localdate()
    services.consent_confirm(
        questionnaire=questionnaire, user=coach, asks_no_names=True, today=today, now=timezone.now()
    )
    round_ = services.round_open(
        questionnaire=questionnaire, closes_on=today + datetime.timedelta(days=5), today=today
    )
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="nl-BE")
    page = phone.new_page()
    page.goto(f"/q/{round_.token}/")
    page.get_by_role("link", name="العربية").click()
    expect(page).to_have_url(re.compile(r"lang=ar"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("الآباء والمدرسة")
    assert heading.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Right to left: the radio button sits at the right of its label.
    choice = page.locator(".choice").first
    radio, label = choice.locator("input").bounding_box(), choice.locator("span").bounding_box()
    assert radio["x"] > label["x"]
    # The Arabic text is shaped by a real font (not empty boxes): glyphs have width.
    assert heading.bounding_box()["width"] > 60
    fonts = page.evaluate(
        "document.fonts.check('16px \"DejaVu Sans\"', 'ش')"
        " || document.fonts.check('16px sans-serif', 'ش')"
    )
    assert fonts
    page.get_by_role("button", name="إرسال").click()  # the required scale left empty
    expect(page.get_by_text("هذا السؤال يحتاج إلى إجابة.")).to_have_count(2)
    page.screenshot(path="var/questionnaire-arabic.png", full_page=True)
    phone.close()
