import pytest
from django.core.management import call_command

from accounts.models import User
from oversight.models import PartnershipAgreement
from oversight.selectors import team_rows, teams_needing_attention

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_every_state_to_the_demo_bridge_builder(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: the same states a second time
    bridge_builder = User.objects.get(email="bridge-builder@demo.test")
    rows = team_rows(bridge_builder)
    assert len(rows) == 4
    flagged = teams_needing_attention(bridge_builder)
    assert [(r.attention.inactive, r.attention.stuck) for r in flagged] == [
        (True, False),
        (False, True),
    ]
    assert sum(1 for r in rows if not r.attention.needed) == 2

    agreement = PartnershipAgreement.objects.get(school__name="Basisschool De Regenboog")
    assert agreement.is_agreed
    assert agreement.items.filter(party="school").exists()
    assert agreement.items.filter(party="institution", kind="contribution").count() >= 3
