"""``get_FOO_display()`` remembered per process (``config.choice_labels``): the
same label as Django's own method, for every choice, in each language."""

import pytest
from django.db import models
from django.test import override_settings
from django.utils import translation

from config import choice_labels
from config.choice_labels import ChoiceLabels
from knowledge_base.models import Study
from network_sessions.models import NetworkSession
from placements.models import Placement
from questionnaires.models import Questionnaire
from research_cycle.models import TeamMembership
from schools.models import RoleMembership, School

SHOWN = [
    (RoleMembership, "role"),
    (TeamMembership, "role"),
    (School, "level"),
    (NetworkSession, "kind"),
    (Study, "status"),
    (Questionnaire, "perspective"),
    (Placement, "state"),
]


def djangos(obj: models.Model, name: str):
    return models.Model._get_FIELD_display(obj, obj._meta.get_field(name))


@pytest.mark.parametrize(("model", "name"), SHOWN)
def test_every_choice_reads_as_djangos_in_both_languages(model, name):
    assert issubclass(model, ChoiceLabels)
    field = model._meta.get_field(name)
    values = [value for value, _label in field.flatchoices] + ["not-a-choice", ""]
    for language in ["nl", "en", "nl", "en"]:  # the second round from the memo
        with translation.override(language):
            for value in values:
                obj = model(**{field.attname: value})
                shown = getattr(obj, f"get_{name}_display")()
                assert shown == djangos(obj, name)
                assert type(shown) is type(djangos(obj, name))


def test_a_kept_label_follows_the_language():
    coach = RoleMembership(role="coach")
    shown = []
    for language in ["nl", "en", "nl"]:
        with translation.override(language):
            shown.append(coach.get_role_display())
            assert shown[-1] == djangos(coach, "role")
    assert shown[0] == shown[2] != shown[1]


def test_a_value_that_cannot_be_kept_is_looked_up_by_django():
    school = School(level=["primary"])
    assert school.get_level_display() == djangos(school, "level")
    assert not any(isinstance(key[1], list) for key in choice_labels._kept)


def test_a_change_of_languages_or_catalogues_forgets_what_was_kept():
    RoleMembership(role="coach").get_role_display()
    assert choice_labels._kept
    with override_settings(LOCALE_PATHS=[]):
        assert not choice_labels._kept
