"""A coach drops three files on the log-entry form, sees the upload progress, and then
the thumbnails of the PDF and the photo in the timeline (the preview task runs
eagerly in the test settings, as soon as the entry is committed)."""

import base64
import io
import os
import re

import pytest
from PIL import Image
from playwright.sync_api import expect
from weasyprint import HTML

from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_with_history(demo_network):
    from research_cycle import demo

    demo.seed(demo_network)
    return demo_network


def photo() -> bytes:
    """Noise does not compress: about 700 KB, so the upload takes a moment."""
    output = io.BytesIO()
    Image.frombytes("RGB", (480, 480), os.urandom(480 * 480 * 3)).save(output, "PNG")
    return output.getvalue()


FILES = {
    "leesenquete.pdf": (
        "application/pdf",
        lambda: HTML(string="<h1>Leesenquête groep 5</h1><p>48 antwoorden.</p>").write_pdf(),
    ),
    "bord.png": ("image/png", photo),
    "antwoorden.csv": ("text/csv", lambda: b"vraag;ja;nee\nLees je graag?;31;17\n"),
}

DROP = """([zone, files]) => {
  const transfer = new DataTransfer();
  for (const [name, type, data] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  for (const kind of ["dragenter", "dragover", "drop"]) {
    const init = { bubbles: true, cancelable: true, dataTransfer: transfer };
    zone.dispatchEvent(new DragEvent(kind, init));
  }
}"""

# Remember every status the upload shows: the swap to the next page removes them.
WATCH_STATUS = """() => {
  window.uploadStatuses = [];
  new MutationObserver(() => {
    document.querySelectorAll("form [role=status]").forEach((status) => {
      const text = status.textContent;
      if (text && window.uploadStatuses.at(-1) !== text) window.uploadStatuses.push(text);
    });
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""


def test_a_coach_drops_three_files_and_sees_progress_then_previews(page, demo_with_history):
    team = demo_with_history.home_team
    log_in(page, "coach@demo.test")
    page.goto(f"/teams/{team.pk}/")
    page.get_by_role("link", name="Voortgang noteren").first.click()
    page.get_by_label("Wat we deden").fill("Leesenquête afgenomen en het bord gefotografeerd.")

    zone = page.locator(".drop-zone")
    expect(zone).to_contain_text("Sleep bestanden hierheen, of kies ze.")
    files = [
        [name, content_type, base64.b64encode(make()).decode()]
        for name, (content_type, make) in FILES.items()
    ]
    # Two drops: the second adds to what the first brought.
    page.evaluate(DROP, [zone.element_handle(), files[:1]])
    page.evaluate(DROP, [zone.element_handle(), files[1:]])
    chosen = zone.get_by_role("list", name="Gekozen bestanden").get_by_role("listitem")
    expect(chosen).to_have_text(list(FILES))
    assert page.get_by_label("Bijlagen").evaluate("input => input.files.length") == 3

    # A slow line, so the progress shows.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 400_000},
    )
    page.evaluate(WATCH_STATUS)
    page.get_by_role("button", name="Bewaren").click()
    expect(page.locator("progress.upload-progress")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"Bezig met opladen… \d+%"))

    expect(page.get_by_text("Je logboeknotitie is bewaard.")).to_be_visible(timeout=20_000)
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    statuses = page.evaluate("window.uploadStatuses")
    percentages = [int(s[:-1].rsplit(" ", 1)[1]) for s in statuses if s.endswith("%")]
    assert percentages and percentages == sorted(percentages)
    assert statuses[-1] == "Opgeladen; bezig met bewaren…"
    expect(page).to_have_url(re.compile(rf"/teams/{team.pk}/$"))

    entry = page.locator(".timeline-entry").first
    expect(entry).to_contain_text("Leesenquête afgenomen")
    for name in ("leesenquete.pdf", "bord.png"):
        preview = entry.get_by_role("img", name=f"Voorbeeld van {name}")
        expect(preview).to_be_visible()
        # The thumbnail really loaded (through the permission-checked view).
        assert preview.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(entry.get_by_role("link", name="Downloaden antwoorden.csv")).to_be_visible()

    # The PDF opens in the browser, sandboxed.
    pdf_url = entry.get_by_role("link", name="leesenquete.pdf", exact=True).get_attribute("href")
    response = page.request.get(pdf_url)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["content-security-policy"].startswith("sandbox")


def test_a_refused_file_is_named_after_the_upload(page, demo_with_history):
    team = demo_with_history.home_team
    log_in(page, "coach@demo.test")
    page.goto(f"/teams/{team.pk}/entries/new/")
    page.get_by_label("Wat we deden").fill("Met een verkeerd bestand.")
    page.get_by_label("Bijlagen").set_input_files(
        [
            {"name": "ok.txt", "mimeType": "text/plain", "buffer": b"goed"},
            {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"},
        ]
    )
    page.get_by_role("button", name="Bewaren").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("“virus.exe” is geen toegestaan bestandstype")
    expect(summary).to_be_focused()  # as after a page load: the keyboard is on the errors
    field_errors = page.locator("#div_id_files .invalid-feedback")
    expect(field_errors.get_by_text("“virus.exe” is geen toegestaan bestandstype")).to_be_visible()
    expect(field_errors.get_by_text("Er is nog niets bewaard.")).to_be_visible()
    expect(field_errors).not_to_contain_text("ok.txt")
    expect(page.get_by_label("Wat we deden")).to_have_value("Met een verkeerd bestand.")
    # The form that came back is enhanced again: files can be dropped on it.
    expect(page.locator(".drop-zone")).to_be_visible()
