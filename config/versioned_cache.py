"""Values read from the database, kept under a key that holds their data's version.

A value kept here is read again only when its key changes, so the key must hold
the *version of everything the value shows*: a value the database itself replaces
on every write to those rows (a trigger, e.g. ``research_cycle.CycleVersion``
or the library version), read **before** the value is read. Then a value read
after a write is at least as new as the version it is kept under, and a write
after the version was read makes a new version no kept value is under: nothing
kept can be stale, and no invalidation rule is needed.

Two layers: the shared cache (Redis in production, so every process and a new
one find what another read) and, in front of it, the last values this process
used (no round trip, no unpickling). The values of the second layer are shared
between requests as they are: nothing may change a value it is given.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import cast

from django.core.cache import cache


class VersionedCache[Value]:
    def __init__(self, name: str, *, seconds: int, per_process: int) -> None:
        self.name = name
        self.seconds = seconds
        self.per_process = per_process
        self._values: OrderedDict[str, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self,
        key: str,
        read: Callable[[], Value],
        kind: type,
        keep: Callable[[Value], bool] = lambda value: True,
    ) -> Value:
        """The value kept under ``key`` (which holds the version), else ``read()``,
        kept if ``keep`` says so (a value asked under a key nobody else will ask,
        e.g. a page past the last one of a typed address, is not). ``kind``: what a
        kept value must be (anything else is read anew)."""
        key = f"{self.name}:{key}"
        with self._lock:
            found = self._values.get(key)
        if found is None:
            shared = cache.get(key)
            if isinstance(shared, kind):
                found = cast(Value, shared)
            else:
                found = read()
                if not keep(found):
                    return found
                cache.set(key, found, self.seconds)
        with self._lock:
            self._values[key] = found
            self._values.move_to_end(key)
            while len(self._values) > self.per_process:
                self._values.popitem(last=False)
        return found
