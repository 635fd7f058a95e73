"""With the database unreachable, every page answers 503 with a short page in
both languages (no language preference can be read: it lives in the database)
and Retry-After, instead of a bare "Server Error (500)"."""

from contextlib import contextmanager

import pytest
from django.db import connections
from django.urls import path

from config.urls import handler500  # noqa: F401 - this module is also a URLconf

from .test_logging import broken_view

pytestmark = pytest.mark.django_db

urlpatterns = [path("broken/", broken_view)]


@contextmanager
def unreachable_database():
    """Requests get a connection to a database that cannot be reached: a port
    nobody listens on (PostgreSQL) or a file in a folder that does not exist (SQLite)."""
    real = connections["default"]
    settings_dict = dict(real.settings_dict)
    if real.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-folder/leerbrug.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    dead = real.__class__(settings_dict, "default")
    connections["default"] = dead
    try:
        yield
    finally:
        dead.close()
        connections["default"] = real


def assert_come_back_soon(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Leerbrug is even niet bereikbaar" in page
    assert "Leerbrug is temporarily unavailable" in page
    assert 'lang="en"' in page
    assert "Server Error" not in page


@pytest.mark.parametrize("path", ["/", "/studies/", "/api/studies/", "/accounts/login/"])
def test_every_page_says_in_both_languages_to_come_back_soon(client, path):
    client.raise_request_exception = False
    with unreachable_database():
        response = client.get(path)
    assert_come_back_soon(response)


def test_a_logged_in_visitor_and_a_form_post_get_the_same_answer(client, network):
    client.force_login(network.people["bridge_builder"])  # the session lives in the database
    client.raise_request_exception = False
    with unreachable_database():
        page = client.get("/dashboard/")
        post = client.post("/sessions/new/", {"title": "Netwerk"})
    assert_come_back_soon(page)
    assert_come_back_soon(post)


@pytest.mark.urls("tests.test_database_down")
def test_other_server_errors_stay_a_500(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Retry-After" not in response
