"""The demo's retention data, and the retention section of the yearly review."""

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from partnership.models import Partnership, SchoolYear
from partnership.yearly_review import sections
from retention.models import Baseline, StaffConfirmation
from retention.review import section
from retention.selectors import Shown, network_figures

from .cohort import EXPECTED, hand_made_cohort

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_five_cohorts_some_shown_and_some_not(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    confirmations = StaffConfirmation.objects.count()
    call_command("seed_demo")  # idempotent
    assert StaffConfirmation.objects.count() == confirmations > 0
    current = SchoolYear.objects.current()
    assert SchoolYear.objects.filter(starts_on__lt=current.starts_on).count() >= 5
    figures = network_figures(partnership=Partnership.objects.get(), as_of=current)
    states = {p.shown for c in figures.cohorts for p in c.points}
    assert {Shown.SHOWN, Shown.SMALL, Shown.PROTECTED} <= states
    assert all(p.shown == Shown.SHOWN for p in figures.levels[0].points)
    # The demo school leader has this year's confirmation to do, from the dashboard.
    client.force_login(User.objects.get(email="school-leader@demo.test"))
    dashboard = client.get("/dashboard/").content.decode()
    assert 'data-testid="retention-panel"' in dashboard and "/confirm/" in dashboard


def test_the_baseline_is_data_with_its_definition_and_source(login, network):
    primary = Baseline.objects.get(level="primary")
    assert (primary.share_leaving, primary.years) == (24, 5)
    assert Baseline.objects.get(level="secondary").share_leaving == 44
    assert primary.source == "Schriftelijke vraag Vlaams Parlement, 2018"
    assert primary.cited_in == "Tijdschrift voor Lerarenopleiders 44(4), 2023"
    client = login(network.people["bridge_builder"])
    client.cookies["django_language"] = "en"
    page = client.get("/monitoring/retention/").content.decode()
    assert "24 % leave within 5 years (76 % still teaching)" in page
    assert "44 % leave within 5 years (56 % still teaching)" in page
    assert "Schriftelijke vraag Vlaams Parlement, 2018" in page
    assert primary.definition_en in page
    # Edited in the admin, the page follows.
    primary.share_leaving = 30
    primary.save()
    page = client.get("/monitoring/retention/").content.decode()
    assert "30 % leave within 5 years (70 % still teaching)" in page


def test_the_review_section_has_the_hand_count(network):
    hand_made_cohort(network)
    with translation.override("nl"):
        result = section(partnership=network.partnership, school_year=network.school_year)
    assert result.key == "retention"
    primary = result.tables[0]
    assert [row[:5] for row in primary.rows] == [[k, *EXPECTED[k]] for k in range(1, 6)]
    assert [str(row[5]) for row in primary.rows] == ["57.1", "28.6", "14.3", "28.6", "14.3"]
    figures = {f.label: f.value for f in result.figures}
    # The home school has this year's starters and has not confirmed this year.
    assert figures["Scholen met beginnende leraren of zij-instromers om te bevestigen"] == 1
    assert figures["Scholen die hun personeel bevestigden"] == 0
    with translation.override("nl"):
        listed = sections(partnership=network.partnership, school_year=network.school_year)
    assert result in listed


def test_no_section_without_starters(network):
    from schools.models import INDUCTION_ROLES

    network.school.role_memberships.filter(role__in=INDUCTION_ROLES).delete()
    assert section(partnership=network.partnership, school_year=network.school_year) is None
