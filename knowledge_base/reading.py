"""Reading statistics of published studies: page views and file downloads per study
per day, counted without cookies or personal data (issue 15).

Only a daily number per study is written (``StudyReadCount``); nothing about the
reader is stored or even kept in memory: no IP address, no cookie, no account.
So a person who reads a study twice on two days counts twice; what can be told
from the request alone is not counted:

- a ``HEAD`` request, and a request from a crawler (its user agent says so);
- a prefetch or prerender (``Sec-Purpose``/``Purpose`` header): nobody read it;
- a reload (the browser sends ``Cache-Control: max-age=0`` or ``no-cache``),
  so pressing F5 does not inflate the number.
"""

import datetime
import re

from django.db import connection
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from config.kept_query import kept_list

from .models import Study

_CRAWLER = re.compile(r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python", re.I)
# One statement on both databases: the day's row is created or incremented.
_UPSERT = """
    INSERT INTO knowledge_base_studyreadcount (study_id, day, views, downloads)
    VALUES (%s, %s, %s, %s)
    ON CONFLICT (study_id, day) DO UPDATE SET
        views = knowledge_base_studyreadcount.views + excluded.views,
        downloads = knowledge_base_studyreadcount.downloads + excluded.downloads
"""


def is_a_reading(request: HttpRequest) -> bool:
    """Whether this request is a person reading (see the module's docstring)."""
    headers = request.headers
    if request.method != "GET" or _CRAWLER.search(headers.get("User-Agent", "")):
        return False
    if headers.get("Sec-Purpose") or headers.get("Purpose"):
        return False
    cache_control = headers.get("Cache-Control", "").lower()
    return "max-age=0" not in cache_control and "no-cache" not in cache_control


def record(request: HttpRequest, study: Study, *, download: bool = False) -> None:
    """Count one view of ``study`` (or one download of its file) for today."""
    if is_a_reading(request):
        today = timezone.localdate()
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT, [study.pk, today, int(not download), int(download)])


def total_views(study: Study) -> int:
    """How often the study's page was read, ever (the public "n times viewed")."""
    return study.read_counts.aggregate(n=Sum("views"))["n"] or 0


def daily_counts(study: Study, *, days: int = 30) -> dict:
    """For the study's team: the totals and the last ``days`` days that had reads."""
    rows = study.read_counts.all()
    totals = rows.aggregate(views=Sum("views"), downloads=Sum("downloads"))
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    return {
        "views": totals["views"] or 0,
        "downloads": totals["downloads"] or 0,
        "days": list(rows.filter(day__gte=since).values("day", "views", "downloads")),
    }


def _most_read(*, start: datetime.date, end: datetime.date, schools=(), every: bool, limit: int):
    studies = Study.objects.published().filter(read_counts__day__range=(start, end))
    if not every:
        studies = studies.filter(school_id__in=schools)
    return (
        studies.annotate(views=Sum("read_counts__views"), downloads=Sum("read_counts__downloads"))
        .order_by("-views", "-downloads", "title")
        .values("title", "slug", "views", "downloads")[:limit]
    )


def most_read(school_ids, start: datetime.date, end: datetime.date, *, limit: int = 10):
    """For the oversight: the published studies of ``school_ids`` (None: every
    school) read most between ``start`` and ``end``, with their views and
    downloads in that time. One query, compiled once per process
    (``config.kept_query``)."""
    if school_ids is None:
        return kept_list(
            "reading.most_read",
            _most_read,
            start=start,
            end=end,
            shape={"every": True, "limit": limit},
        )
    return kept_list(
        "reading.most_read",
        _most_read,
        start=start,
        end=end,
        schools=sorted(school_ids),
        shape={"every": False, "limit": limit},
    )
