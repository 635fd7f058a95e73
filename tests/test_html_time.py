"""``datetime`` attributes are valid HTML: to the second, never with microseconds."""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string


def test_a_session_time_is_a_valid_html_datetime():
    starts = datetime.datetime(2026, 3, 2, 8, 30, 5, 123456, tzinfo=datetime.UTC)
    session = SimpleNamespace(starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    html = render_to_string("network_sessions/_when.html", {"session": session})
    assert re.findall(r'datetime="([^"]*)"', html) == [
        "2026-03-02T09:30:05+01:00",
        "2026-03-02T11:30:05+01:00",
    ]


def test_no_template_writes_a_datetime_attribute_with_microseconds():
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    offenders = [
        f"{path}: {line.strip()}"
        for path in templates
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"""datetime="\{\{[^}]*\|date:['"]c['"]""", line)
    ]
    assert offenders == []
