"""60 schools' worth of review records, built in bulk (the query budget and the PDF
benchmark): the oversight bulk network plus agreements with items, needs, school
leaders, sessions with attendance and a scored self-assessment."""

import datetime

from django.utils import timezone

from accounts.models import User
from network_sessions.models import NetworkSession, Participation
from oversight.models import AgreementItem, PartnershipAgreement
from reviews.demo import demo_framework
from reviews.models import CriterionScore, SchoolNeeds, SelfAssessment
from schools.models import Role, RoleMembership
from tests.oversight.bulk import BulkNetwork, build


def build_review(*, schools: int = 60) -> BulkNetwork:
    big = build(schools=schools, teams_per_school=1, entries_per_team=1, prefix="review")
    year = big.school_year
    partnership = big.schools[0].partnership
    leaders = User.objects.bulk_create(
        [User(email=f"leader{i}@review.test", full_name=f"Leider {i}") for i in range(schools)]
    )
    RoleMembership.objects.bulk_create(
        [
            RoleMembership(user=leader, role=Role.SCHOOL_LEADER, school=school, school_year=year)
            for leader, school in zip(leaders, big.schools, strict=True)
        ]
    )
    now = timezone.now()
    agreements = PartnershipAgreement.objects.bulk_create(
        [
            PartnershipAgreement(
                school=school,
                school_year=year,
                goals="Samen onderzoeken",
                school_agreed_by=leader,
                school_agreed_at=now,
                institution_agreed_by=big.admin,
                institution_agreed_at=now,
            )
            for leader, school in zip(leaders, big.schools, strict=True)
        ]
    )
    AgreementItem.objects.bulk_create(
        [
            AgreementItem(
                agreement=agreement,
                party=party,
                kind="contribution",
                description="Bijdrage",
                quantity=1,
                measure=measure,
            )
            for agreement in agreements
            for party, measure in [("school", "coaches"), ("institution", "placements")]
        ]
    )
    SchoolNeeds.objects.bulk_create(
        [
            SchoolNeeds(
                school=school,
                school_year=year,
                support=["training", "placements"],
                wishes=f"Wat school {i} volgend jaar wil: vorming over feedback en twee stagiairs.",
                filled_by=leaders[i],
            )
            for i, school in enumerate(big.schools)
        ]
    )
    for n in range(10):
        starts = now - datetime.timedelta(days=10 + n)
        session = NetworkSession.objects.create(
            kind="learning_network",
            title=f"Lerend netwerk {n}",
            school_year=year,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            organiser=big.bridge_builder,
        )
        Participation.objects.bulk_create(
            [Participation(session=session, user=leader, attended=True) for leader in leaders]
        )
    framework = demo_framework()
    assessment = SelfAssessment.objects.create(
        partnership=partnership, school_year=year, framework=framework
    )
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(assessment=assessment, criterion=c, score=3, comment="Goed op weg.")
            for c in framework.criteria.all()
        ]
    )
    return big
