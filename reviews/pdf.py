"""The review as PDF, rendered on the server by WeasyPrint from the same template
as the page (its print layout). WeasyPrint fetches nothing from the network: the
only files it may load are the project's static files, found on disk."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

MIME_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class StaticFilesOnly(URLFetcher):
    """Serves ``STATIC_URL`` paths from the static files on disk; refuses every
    other address (WeasyPrint then leaves the resource out and logs why)."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = urlsplit(url).path
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"The review's PDF loads only static files, not {url}")
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        if not found:
            raise ValueError(f"No such static file: {path}")
        file = Path(str(found))
        body = file.read_bytes()
        mime_type = MIME_TYPES.get(file.suffix, "application/octet-stream")
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


#: Relative static paths in the template resolve against this made-up origin; the
#: fetcher above answers them from disk, so nothing is ever asked of it.
BASE_URL = "https://leerbrug.invalid/"


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()
