"""Capacity is a rule of the database: two coordinators allocating the last place
at the same moment, on separate PostgreSQL connections, place one student; and
even code that skips the services cannot give one place twice."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from placements import services
from placements.models import Placement, PlacementSlot

from .conftest import add_student

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(*targets) -> tuple[list, list]:
    """Run the callables in threads released together; (results, exceptions)."""
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def worker(target):
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - returned to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_two_concurrent_allocations_of_the_last_place_place_one_student(world):
    line = world.stage_2.capacity_lines.get()  # one place
    first, second = add_student(world.network), add_student(world.network)
    results, errors = run_at_once(
        lambda: services.placement_propose(student=first, capacity=line, by=None),
        lambda: services.placement_propose(student=second, capacity=line, by=None),
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert "capacity" in errors[0].message_dict
    assert Placement.objects.filter(capacity=line).count() == 1


def test_the_same_student_twice_at_once_gets_one_placement_in_the_period(world):
    student = add_student(world.network)
    line = world.line  # two places
    results, errors = run_at_once(
        lambda: services.placement_propose(student=student, capacity=line, by=None),
        lambda: services.placement_propose(student=student, capacity=line, by=None),
    )
    assert len(results) == 1 and len(errors) == 1
    assert Placement.objects.filter(student=student).count() == 1


def test_without_the_services_the_database_still_refuses_a_place_given_twice(world):
    line = world.stage_2.capacity_lines.get()
    slot = PlacementSlot.objects.get(capacity=line)
    students = [add_student(world.network), add_student(world.network)]

    def insert(student):
        def run():
            with transaction.atomic():
                return Placement.objects.create(
                    student=student,
                    school_year=world.network.school_year,
                    institution=world.network.institution,
                    period=world.stage_2,
                    school=world.network.school,
                    capacity=line,
                    slot=slot,
                    level=line.level,
                )

        return run

    results, errors = run_at_once(insert(students[0]), insert(students[1]))
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], IntegrityError)
    assert Placement.objects.filter(capacity=line).count() == 1


def test_lowering_capacity_while_a_place_is_taken_keeps_the_placement(world):
    line = world.line  # two places
    network = world.network
    student = add_student(network)

    def lower():
        return services.capacity_state(
            school=network.school,
            institution=network.institution,
            school_year=network.school_year,
            lines=[
                services.LineInput(period=world.stage_1, level=line.level, subject="", places=0),
                services.LineInput(period=world.stage_2, level=line.level, subject="", places=1),
            ],
            mentors=[],
            by=None,
        )

    results, errors = run_at_once(
        lambda: services.placement_propose(student=student, capacity=line, by=None), lower
    )
    line.refresh_from_db()
    held = Placement.objects.filter(capacity=line).count()
    # Either order is fine; what never happens is a placement without its place.
    assert len(results) + len(errors) == 2
    assert PlacementSlot.objects.filter(capacity=line).count() == line.places >= held
