"""Rows for the admin changelist budget test (tests/partnership/test_admin.py)."""

from monitoring.models import Instrument, Round
from tests import factories


def fill(network, rows: int) -> None:
    instruments = Instrument.objects.bulk_create(
        [Instrument(name_nl=f"Vragenlijst {n}", name_en=f"Questionnaire {n}") for n in range(rows)]
    )
    Round.objects.bulk_create(
        [
            Round(
                school=factories.SchoolFactory(partnership=network.partnership),
                school_year=network.school_year,
                instrument=instrument,
                moment="start",
                closes_on=network.school_year.ends_on,
            )
            for instrument in instruments
        ]
    )
