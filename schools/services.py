"""Writes of the schools app. Services trust their caller (the view checks
``schools.change_publicity``)."""

from django.db import transaction

from .models import School, SchoolPublicity


def publicity_update(*, school: School, **settings: bool) -> SchoolPublicity:
    """Store what the school shows on its public page (the row is made the first time)."""
    with transaction.atomic():
        publicity, _created = SchoolPublicity.objects.update_or_create(
            school=school, defaults=settings
        )
    return publicity
