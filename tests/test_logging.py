"""The server log: an ordinary 403 or 404 is one line, a real server error keeps
its traceback (a fuzzing run wrote 2,886 traceback lines for 16 real errors)."""

import logging

import pytest
from django.urls import path, reverse

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a real bug")


urlpatterns = [path("broken/", broken_view)]


def request_log(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


def test_a_404_is_logged_as_one_line(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/sessions/999999/").status_code == 302  # anonymous: login
        assert client.get("/no-such-page/").status_code == 404
    (record,) = request_log(caplog)
    assert record.getMessage() == "Not Found: /no-such-page/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_403_is_logged_as_one_line(client, network, caplog):
    client.force_login(network.people["coach"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.post(reverse("network_sessions:create"), {}).status_code == 403
    (record,) = request_log(caplog)
    assert record.getMessage() == "Forbidden (Permission denied): /sessions/new/"
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.test_logging")
def test_a_server_error_keeps_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/broken/").status_code == 500
    (record,) = request_log(caplog)
    assert record.exc_info is not None
    assert "Traceback" in caplog.text
    assert "RuntimeError: a real bug" in caplog.text
