"""Even an admin with the whole database cannot tie an answer to a person: no
column of a response or score points to an invitation or a person, nothing has a
time, ids are random, and on PostgreSQL the rows of a round share one transaction id."""

import pytest
from django.db import connection

from monitoring.models import Invitation, Response, Round, Score
from monitoring.services import response_submit

from .conftest import add_teachers, answers_for, invite, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(network, instrument):
    """Eight people invited in a known order; they answer in another known order,
    each with a value that identifies them (person i answers i % 6 + 1)."""
    round_ = make_round(network.school, network.school_year, instrument)
    people = add_teachers(network.school, network.school_year, 8)
    invitations = invite(round_, people)
    order = [5, 2, 7, 0, 3]
    for index in order:
        response_submit(
            invitation_key=invitations[index].key,
            answers=answers_for(instrument, index % 6 + 1),
        )
    return round_, invitations, order


def test_responses_and_scores_have_no_column_that_points_to_a_person_or_a_time():
    for model in (Response, Score):
        for field in model._meta.concrete_fields:
            target = field.related_model
            assert target not in {Invitation, *Invitation._meta.get_parent_list()}
            assert getattr(target, "_meta", None) is None or target._meta.label not in {
                "accounts.User",
                "monitoring.Invitation",
                "monitoring.InvitationMail",
            }
            assert field.get_internal_type() not in {"DateTimeField", "DateField", "TimeField"}
            assert field.get_internal_type() not in {"AutoField", "BigAutoField"}
    invitation_fields = {f.name for f in Invitation._meta.concrete_fields}
    assert not invitation_fields & {"used_at", "used_on", "created_at", "updated_at"}


def test_no_value_of_a_response_row_appears_in_the_invitations(answered):
    """Read every stored value as an admin with raw SQL: apart from the round, no
    response or score value occurs in any invitation row (so there is nothing to
    join on), and the invitation only knows *that* it was used."""
    round_, _invitations, _order = answered
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM monitoring_invitation WHERE round_id = %s", [round_.pk])
        columns = [c[0] for c in cursor.description]
        invitation_values = {
            str(value)
            for row in cursor.fetchall()
            for column, value in zip(columns, row, strict=True)
            if column not in {"round_id", "used"}
        }
        cursor.execute("SELECT * FROM monitoring_response WHERE round_id = %s", [round_.pk])
        columns = [c[0] for c in cursor.description]
        response_values = {
            str(value)
            for row in cursor.fetchall()
            for column, value in zip(columns, row, strict=True)
            if column not in {"round_id", "answers"}
        }
    assert set(columns) == {"id", "round_id", "answers", "batch"}
    assert not invitation_values & response_values
    assert Invitation.objects.filter(round=round_, used=True).count() == 5


def test_the_order_of_responses_says_nothing_about_the_order_of_answering(answered):
    """The ids are random: sorted by id (or by whatever a database returns them in)
    the responses do not come in the order people answered or were invited."""
    round_, _invitations, order = answered
    answered_values = [index % 6 + 1 for index in order]
    by_id = [
        next(iter(r.answers.values())) for r in Response.objects.filter(round=round_).order_by("pk")
    ]
    # Random UUIDs: a permutation unrelated to the order of answering. (A fixed
    # guard: an autoincrement id would reproduce ``answered_values`` exactly.)
    assert sorted(by_id) == sorted(answered_values)
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert Score._meta.pk.get_internal_type() == "UUIDField"


def test_a_batch_number_groups_at_least_five_people(answered):
    round_, _invitations, _order = answered
    batches = list(Response.objects.filter(round=round_).values_list("batch", flat=True))
    assert sorted(batches) == [0, 0, 0, 0, 0]
    assert Round.objects.get(pk=round_.pk).counted == 5


@pytest.mark.postgres
def test_on_postgresql_every_row_of_the_round_carries_the_same_transaction_id(answered):
    """Without the rewrite in ``response_submit``, the response and the invitation
    used with it would share their ``xmin`` and could be joined on it."""
    round_, _invitations, _order = answered
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM monitoring_invitation WHERE round_id = %s",
            [round_.pk],
        )
        invitation_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM monitoring_response WHERE round_id = %s",
            [round_.pk],
        )
        response_xmins = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT DISTINCT s.xmin::text FROM monitoring_score s "
            "JOIN monitoring_response r ON r.id = s.response_id WHERE r.round_id = %s",
            [round_.pk],
        )
        score_xmins = {row[0] for row in cursor.fetchall()}
        # A join on the transaction id matches every invitation to every response.
        cursor.execute(
            "SELECT count(*) FROM monitoring_invitation i JOIN monitoring_response r "
            "ON i.xmin = r.xmin WHERE i.round_id = %s",
            [round_.pk],
        )
        (pairs,) = cursor.fetchone()
    assert len(invitation_xmins) == 1
    assert invitation_xmins == response_xmins == score_xmins
    assert pairs == 8 * 5
