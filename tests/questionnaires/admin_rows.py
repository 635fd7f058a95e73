"""Rows for the admin's changelist query budget test (tests/partnership/test_admin.py)."""

from questionnaires.models import RetentionPolicy
from tests import factories


def fill(network, rows: int) -> None:
    """``rows`` networks, each with its own answer retention period."""
    for months in range(rows):
        RetentionPolicy.objects.create(
            partnership=factories.PartnershipFactory(), months=months + 6
        )
