"""The header holds every link a person needs, on one line on a laptop, in both languages."""

import pytest
from playwright.sync_api import expect

from .conftest import go_to, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("width", [1200, 1280])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_admins_full_header_fits_on_one_line(
    browser, live_server, demo_network, width, language
):
    """The network admin sees the most links (and a busy inbox badge); none may fall
    off the screen or wrap."""
    from accounts.models import User
    from notifications.models import Notification

    admin = User.objects.get(email="admin@demo.test")
    Notification.objects.bulk_create(
        Notification(
            recipient=admin, kind="comment_in_my_team", event_key=str(n), target_id=n, url="/"
        )
        for n in range(45)
    )
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    log_in(page, "admin@demo.test")
    if language == "en":
        page.get_by_test_id("language-en").click()
    header = page.locator("header.site-header")
    # One line: the header is no taller than a single row of links.
    assert header.bounding_box()["height"] < 70
    for element in header.locator(".nav-link:visible, .language-switcher").all():
        box = element.bounding_box()
        assert box["x"] + box["width"] <= width, element.inner_text()
    context.close()


def test_grouped_links_open_from_the_keyboard(page, demo_network):
    log_in(page, "admin@demo.test")
    menu = page.get_by_test_id("nav-training")
    menu.focus()
    page.keyboard.press("Enter")
    placements = page.get_by_role("link", name="Stages", exact=True)
    expect(placements).to_be_visible()
    page.keyboard.press("Escape")
    expect(placements).to_be_hidden()
    go_to(page, "nav-oversight", "Monitoring")
    expect(page).to_have_url(f"{page.url.split('/monitoring/')[0]}/monitoring/")
