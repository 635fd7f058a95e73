"""Every form of the project chooses several objects through the field that refuses
ids outside the database's range (an OverflowError on SQLite otherwise)."""

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin

from config.forms import BoundedModelMultipleChoiceField

PROJECT_APPS = {"accounts", "knowledge_base", "network_sessions", "oversight", "partnership"}
PROJECT_APPS |= {"research_cycle", "schools", "reviews", "questionnaires"}
PROJECT_APPS |= {"placements", "internships", "induction", "vacancies", "continuum"}
PROJECT_APPS |= {"monitoring", "retention"}


def _project_forms():
    for config in apps.get_app_configs():
        if config.label in PROJECT_APPS:
            for module in ("forms", "review_forms"):
                try:
                    __import__(f"{config.name}.{module}")
                except ModuleNotFoundError:
                    continue
    pending, found = [forms.BaseForm], []
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


def test_project_forms_choose_objects_through_the_bounded_field():
    found = _project_forms()
    assert len(found) > 10
    plain = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in found
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, BoundedModelMultipleChoiceField)
    ]
    assert not plain


@pytest.mark.django_db
def test_admin_forms_choose_objects_through_the_bounded_field(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    plain = [
        f"{model.__name__}.{name}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS
        for name, field in model_admin.get_form(request).base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, BoundedModelMultipleChoiceField)
    ]
    assert not plain
