"""Schemathesis fuzzes the JSON API from its own OpenAPI document, with every check
on (server errors, status codes, content types, response schemas and headers,
positive data accepted, negative data refused, undeclared methods answered 405 with
Allow), through the Django WSGI application against the test database."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application

from .conftest import make_study

pytestmark = pytest.mark.django_db


# The document as the application serves it (building it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def studies(network, library):
    """A library behind the API: more than a page of published studies (and the
    unpublished ones of ``library``). As Django's test client does, keep the test's
    database connection open across requests (Django closes it after each one, and
    the test's rows would go with it)."""
    feedback = [library.themes["feedback"]]
    for _ in range(25):
        make_study(school=network.school, school_year=network.school_year, themes=feedback)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_openapi_document(case):
    case.call_and_validate()
