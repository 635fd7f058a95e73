"""``attached``: results attached to a diary entry, ready for ``_attached_results.html``."""

from django import template

from ..selectors import AttachedResults, shown_snapshot

register = template.Library()


@register.filter
def attached(snapshots) -> list[AttachedResults]:
    """The entry's (prefetched) snapshots: a diary entry holds figures, never answers."""
    return [shown_snapshot(snapshot, []) for snapshot in snapshots]
