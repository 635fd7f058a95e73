"""factory_boy factories for every model the tests build."""

import datetime

import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from partnership.models import (
    Institution,
    LearningCommunity,
    LearningCommunityMembership,
    Partnership,
    SchoolYear,
)
from research_cycle.models import ResearchTeam, TeamMembership
from schools.models import RoleMembership, School

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@school.test")
    full_name = factory.Faker("name", locale="nl_BE")
    preferred_language = "nl"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Lerarenopleiding {n}")
    city = "Brussel"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnerschap {n}")
    institution = factory.SubFactory(InstitutionFactory)


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"{2030 + n}-{2031 + n}")
    starts_on = factory.LazyAttribute(lambda o: datetime.date(int(o.name[:4]), 9, 1))
    ends_on = factory.LazyAttribute(lambda o: datetime.date(int(o.name[:4]) + 1, 6, 30))
    is_current = False


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Basisschool Nummer {n}")
    institution_number = factory.Sequence(lambda n: f"{100000 + n}")
    level = School.Level.PRIMARY
    city = "Anderlecht"


class RoleMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleMembership

    user = factory.SubFactory(UserFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    school = factory.SubFactory(SchoolFactory)
    role = "coach"


class LearningCommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningCommunity

    partnership = factory.SubFactory(PartnershipFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    name = factory.Sequence(lambda n: f"PLG {n}")


class LearningCommunityMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningCommunityMembership

    community = factory.SubFactory(LearningCommunityFactory)
    school = factory.SubFactory(SchoolFactory)


class ResearchTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchTeam

    school = factory.SubFactory(SchoolFactory)
    school_year = factory.SubFactory(SchoolYearFactory)
    theme = factory.Sequence(lambda n: f"Leesmotivatie {n}")


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(ResearchTeamFactory)
    user = factory.SubFactory(UserFactory)
    role = "coach"
