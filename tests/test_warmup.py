"""The warm-up the web server runs once before it forks its workers
(``config/warmup.py``, from ``config/wsgi.py`` without ``DEBUG``): every template
of the site parsed into the engine's cache, the URL reverse tables of both languages
built, and nothing asked of the database (a connection opened before the fork would
be shared by every worker)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.urls import get_resolver

from config import warmup

pytestmark = pytest.mark.django_db


def _cache(engine):
    (loader,) = engine.engine.template_loaders  # the cached loader, wrapping the others
    return loader.get_template_cache


def test_every_site_template_is_parsed_without_asking_the_database(
    django_assert_num_queries,
):
    html = engines["django"]
    _cache(html).clear()
    ours = sorted(
        path.relative_to(settings.BASE_DIR / "templates").as_posix()
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
    )
    assert len(ours) > 100
    with django_assert_num_queries(0):
        parsed = warmup.warm()
    assert parsed >= len(ours)
    cached = set(_cache(html))
    assert [name for name in ours if name not in cached] == []
    # a kept template is the one a page gets: no second parse
    assert html.get_template("base.html").template is _cache(html)["base.html"]  # type: ignore[attr-defined]


def test_the_reverse_tables_of_both_languages_are_built():
    resolver = get_resolver()
    resolver._reverse_dict.clear()
    namespace = resolver.namespace_dict["oversight"][1]
    namespace._reverse_dict.clear()
    warmup.warm()
    languages = {code for code, _name in settings.LANGUAGES}
    assert languages <= set(resolver._reverse_dict)
    assert languages <= set(namespace._reverse_dict)


def test_a_template_that_cannot_be_parsed_does_not_stop_the_start(tmp_path, settings):
    broken = Path(tmp_path) / "broken.html"
    broken.write_text("{% if %}", encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]},
        *settings.TEMPLATES[1:],
    ]
    assert warmup.warm() > 100
