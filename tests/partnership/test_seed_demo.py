import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from partnership.demo import DEMO_PEOPLE
from research_cycle.models import LogEntry, ResearchTeam
from schools.models import RoleMembership, School

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        School.objects.count(),
        RoleMembership.objects.count(),
        ResearchTeam.objects.count(),
        LogEntry.objects.count(),
    )


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0


def test_seed_demo_builds_the_demo_network_and_is_idempotent(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert School.objects.count() == 30
    assert {email for email, _name, _lang in DEMO_PEOPLE.values()} <= set(
        User.objects.values_list("email", flat=True)
    )
    # The personas share one school; the other coach belongs elsewhere.
    coach_school = RoleMembership.objects.get(user__email="coach@demo.test", role="coach").school
    leader_school = RoleMembership.objects.get(user__email="school-leader@demo.test").school
    other_school = RoleMembership.objects.get(user__email="other-coach@demo.test").school
    assert coach_school == leader_school != other_school
    # Every demo login works with the documented password.
    assert client.login(email="coach@demo.test", password="leerbrug-demo")
    assert LogEntry.objects.filter(cycle__team__school=coach_school).count() >= 5


def test_seed_demo_with_force_runs_without_debug(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert School.objects.count() == 30
