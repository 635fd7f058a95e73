"""Rendered HTML remembered per process, under a digest of everything it shows.

The parts of a page that are the same for everyone who sees the same things (a
timeline entry, the page's header and footer) are rendered **without the request**
from a context of plain values, and remembered under a digest (BLAKE2b, 160 bits)
of those values. The HTML is then a pure function of its key: a change to anything
it shows is a new key (never stale), and nothing in it can be another person's
unless that person's values are the same. The memo is bounded in entries and in
characters; the least recently shown go first.

A part with a form needs the person's CSRF token: it is rendered with
``CSRF_PLACEHOLDER`` as the token, and ``with_csrf`` puts the request's own token in
its place on the way out.
"""

import hashlib
import secrets
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject


def _length(value: str | dict[str, str]) -> int:
    return sum(map(len, value.values())) if isinstance(value, dict) else len(value)


class RenderedMemo[Value: (str, dict[str, str])]:
    def __init__(self, *, max_entries: int, max_characters: int) -> None:
        self.max_entries = max_entries
        self.max_characters = max_characters
        self._values: OrderedDict[bytes, Value] = OrderedDict()
        self.size = 0
        self._lock = threading.Lock()
        _every_memo.add(self)

    def __len__(self) -> int:
        return len(self._values)

    def get(self, shown: tuple, render: Callable[[], Value]) -> Value:
        """The remembered rendering of ``shown``, else ``render()`` (and remember it).
        ``shown`` must hold every value the rendering depends on."""
        key = hashlib.blake2b(repr(shown).encode(), digest_size=20).digest()
        with self._lock:
            found = self._values.get(key)
            if found is not None:
                self._values.move_to_end(key)
                return found
        value = render()
        with self._lock:
            if key not in self._values:
                self._values[key] = value
                self.size += _length(value)
            while self._values and (
                len(self._values) > self.max_entries or self.size > self.max_characters
            ):
                self.size -= _length(self._values.popitem(last=False)[1])
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.size = 0


#: Every memo of the process, so ``forget_all`` can reach them (weakly: a memo made
#: in a test goes when the test does).
_every_memo: "weakref.WeakSet[RenderedMemo]" = weakref.WeakSet()


def forget_all() -> None:
    """Drop every remembered rendering of every memo (tests: a test that counts
    renderings starts from none)."""
    for memo in list(_every_memo):
        memo.clear()


#: Stands in for the CSRF token in rendered HTML (hex: escaping leaves it as it is;
#: random per process: no text a person writes can contain it).
CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(16)


def with_csrf(html: str, request: Any) -> str:
    """``html`` with the request's CSRF token for the placeholder (``get_token``, as
    ``{% csrf_token %}`` calls it, so the cookie is set); with no request (rendered
    outside a view) the placeholder goes and no token is given."""
    if CSRF_PLACEHOLDER not in html:
        return html
    return html.replace(CSRF_PLACEHOLDER, "" if request is None else _token(request))


def csrf(request: Any) -> dict[str, Any]:
    """Context processor: ``{% csrf_token %}`` with the same once-masked token as the
    remembered parts of the page (Django's own processor, listed first by the
    engine, masks the secret once more for the template's forms)."""
    return {"csrf_token": SimpleLazyObject(lambda: _token(request))}


def _token(request: Any) -> str:
    """``get_token(request)``, masked once per request and secret: every form of a
    page carries the same token, as the forms of one template do with
    ``{% csrf_token %}`` (masking draws 32 random characters each time). A new
    secret (a login rotates it) gets a new token."""
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_leerbrug_csrf_token", None)
    if secret is not None and kept is not None and kept[0] == secret:
        return str(kept[1])
    token = get_token(request)
    request._leerbrug_csrf_token = (request.META.get("CSRF_COOKIE"), token)
    return token
