"""Vacancies for the admin changelist budget (tests/partnership/test_admin.py)."""

from .conftest import VacancyFactory


def fill(network, rows: int) -> None:
    VacancyFactory.create_batch(rows, school=network.school)
