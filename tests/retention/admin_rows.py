"""Rows for the admin's changelist query budget test (tests/partnership/test_admin.py)."""

from django.utils import timezone

from retention.models import ConfirmationReminder, StaffConfirmation, StaffConfirmationEntry
from schools.models import School
from tests import factories


def fill(network, rows: int) -> None:
    for school in School.objects.all()[:rows]:
        user = factories.UserFactory()
        confirmation = StaffConfirmation.objects.create(
            school=school,
            school_year=network.school_year,
            confirmed_by=user,
            confirmed_at=timezone.now(),
        )
        StaffConfirmationEntry.objects.create(confirmation=confirmation, person=user, status="left")
        ConfirmationReminder.objects.create(
            recipient=user, school=school, school_year=network.school_year
        )
