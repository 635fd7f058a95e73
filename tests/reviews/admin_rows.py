"""Rows for the admin's changelist budget (tests/partnership/test_admin.py)."""

from reviews.models import Criterion, CriterionScore, Framework, SchoolNeeds, SelfAssessment
from tests import factories


def fill(network, rows: int) -> None:
    for n in range(rows):
        framework = Framework.objects.create(name_nl=f"Kader {n}", name_en=f"Framework {n}")
        criterion = Criterion.objects.create(framework=framework, order=1, title_nl="Samen leren")
        year = factories.SchoolYearFactory()
        assessment = SelfAssessment.objects.create(
            partnership=network.partnership, school_year=year, framework=framework
        )
        CriterionScore.objects.create(
            assessment=assessment, criterion=criterion, score=2, scored_by=network.people["coach"]
        )
        school = factories.SchoolFactory(partnership=network.partnership)
        SchoolNeeds.objects.create(
            school=school, school_year=year, support=["training"], filled_by=network.people["coach"]
        )
