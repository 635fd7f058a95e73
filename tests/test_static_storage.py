"""Production's static storage (``config.static_storage``): whitenoise's compressed
manifest storage with each URL worked out once per process."""

import json

import pytest
from django.test import override_settings

from config.static_storage import StaticStorage


@pytest.fixture
def storage(tmp_path):
    manifest = {"paths": {"css/leerbrug.css": "css/leerbrug.0123abcd.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=tmp_path, base_url="/static/")


def test_a_file_gets_its_hashed_url_every_time(storage):
    first = storage.url("css/leerbrug.css")
    assert first == "/static/css/leerbrug.0123abcd.css"
    storage.hashed_files.clear()  # what was worked out once is not worked out again
    assert storage.url("css/leerbrug.css") == first


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/gone.css")


def test_debug_gives_the_plain_name(storage):
    assert storage.url("css/leerbrug.css").endswith(".0123abcd.css")
    with override_settings(DEBUG=True):
        assert storage.url("css/leerbrug.css") == "/static/css/leerbrug.css"
