"""Whitenoise's compressed manifest storage, each static URL worked out once.

``{% static %}`` asks the storage for a URL on every use: a manifest lookup, URL
splitting and joining, a few tenths of a millisecond a page (issue 17's profiles,
six links in every page's head). The manifest is written by ``collectstatic``
before the process starts and never changes while it runs, so the URL of a name is
kept per process (a dict: a name per static file). A name missing from the manifest
raises every time, as before (errors are not kept).
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool, bool], str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        key = (name or "", force, settings.DEBUG)
        found = self._urls.get(key)
        if found is None:
            found = self._urls[key] = super().url(name, force)
        return found
