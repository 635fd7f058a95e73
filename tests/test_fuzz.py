"""No request answers 500, whatever is typed or put in the address bar.

The demo network is crawled as every persona (links, plus the links that arrive
by mail), every ``<form>`` found is posted Hypothesis-generated values (huge and
negative integers, NUL bytes, long strings, unicode, nothing, lists of ids, a
file) and every query parameter the pages' links and GET forms use is sent
generated values too; integer and string parts of the paths are fuzzed as well.
Each request runs in a savepoint that is rolled back, so one example never
changes what the next one sees. The crawl also checks it reached every view of
the URLconf, so a new view is fuzzed or named below with a reason.

Runs on whichever database the suite uses (SQLite locally, PostgreSQL in CI);
fixed seed (``derandomize``) and few examples per form keep it reproducible and
well under a minute and a half.
"""

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import partial
from http.cookies import SimpleCookie
from io import StringIO
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import User
from knowledge_base import services as study_services
from knowledge_base.feeds import SITEMAPS
from knowledge_base.models import Study
from monitoring.models import Invitation
from notifications.tokens import make_token
from oversight import services as agreement_services
from oversight.models import PartnershipAgreement
from partnership.demo import DEMO_PEOPLE
from questionnaires import services as questionnaire_services
from questionnaires.models import ResultsSnapshot, Round, SnapshotQuote
from research_cycle.models import ResearchTeam, TeamMembership
from tests.knowledge_base.publishing import pdf_upload

pytestmark = pytest.mark.django_db

# Who crawls, in this order; a form is fuzzed as the first persona who sees it. The
# pages anonymous visitors see (the library) are not crawled again by the others.
PERSONAS = [
    None,
    "coach",
    "bridge_builder",
    "process_facilitator",
    "school_leader",
    "admin",
    # The internship log and the response are the student's alone; the confirmation of
    # hours, the induction plans and check-ins the mentor's.
    "student_teacher",
    "mentor",
]

# Views the crawl does not fuzz, and why.
NOT_FUZZED = {
    "account_logout": "ends the crawl's own session",
    "admin_login_redirect": "a redirect to the login page",
}
# allauth views only reachable mid-flow, mostly with a code or key that arrives by
# mail: without it they redirect or answer 404, with no form to fuzz.
ALLAUTH_MID_FLOW = {
    "account_confirm_email",
    "account_confirm_login_code",
    "account_confirm_reauthentication_code",
    "account_email_verification_sent",
    "account_inactive",
    "account_reauthenticate",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_set_password",  # only for someone without a password yet
}
PER_VIEW = 2  # concrete addresses crawled per view and persona
EXAMPLES = 4  # generated requests per form, per query string and per path
# Before them, each of these in every field at once (a list of it where a field
# takes several): what broke before, so the few generated examples need not find it.
EVERY_FIELD = [str(10**23), "-1", "\x00", "é" * 5000, "abc"]


def all_view_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, file, hidden, number, date, …
    options: tuple[str, ...] = ()
    multiple: bool = False


@dataclass(frozen=True)
class Target:
    """A form to post to."""

    persona: str | None
    url: str  # path and query
    fields: tuple[Field, ...]
    htmx: bool = False


@dataclass
class Crawl:
    forms: dict  # key -> Target
    queries: dict  # (persona, path) -> the names of its query parameters
    paths: dict  # (persona, view name) -> the paths crawled
    reached: set
    public: set = dataclass_field(default_factory=set)  # views anonymous visitors see
    gets: int = 0


def _local(url: str, base: str) -> str | None:
    """The path and query of a link into this site, else None."""
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https", "webcal"}:  # webcal: a calendar feed over http(s)
        return None
    if parts.netloc not in {"testserver", urlsplit(settings.LEERBRUG_BASE_URL).netloc}:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _match(path: str):
    try:
        return resolve(urlsplit(path).path)
    except Resolver404:
        return None


def _skipped(view_name: str) -> bool:
    return view_name.startswith("admin:") or view_name in NOT_FUZZED


def _fields(form) -> tuple[Field, ...]:
    found: dict[str, Field] = {}
    for element in form.xpath(".//input|.//textarea|.//select|.//button"):
        name = element.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        tag = element.tag
        if tag == "select":
            options = tuple(o.get("value", o.text_content()) for o in element.xpath(".//option"))
            kind, multiple = "select", element.get("multiple") is not None
        elif tag == "textarea":
            options, kind, multiple = (), "textarea", False
        else:
            kind = (element.get("type") or "text").lower() if tag == "input" else "button"
            options = (element.get("value") or "",)
            multiple = kind == "checkbox" or (
                kind == "file" and element.get("multiple") is not None
            )
        if name in found:  # one checkbox or radio per choice: gather the choices
            known = found[name]
            options = known.options + options
            multiple = known.multiple or (kind == "checkbox")
            kind = known.kind
        found[name] = Field(name, kind, options, multiple)
    return tuple(found.values())


def _client(persona: str | None) -> Client:
    client = Client(raise_request_exception=True)
    if persona:
        client.force_login(_person(persona))
    return client


def _document(response):
    """The page as a tree to find links and forms in: HTML, XML (sitemap, feed) or the
    JSON API's addresses as links."""
    kind = response.get("Content-Type", "")
    if kind.startswith("text/html"):
        return lxml.html.fromstring(response.content)
    if kind.split(";")[0].endswith("xml"):  # not an XLSX (…spreadsheetml.sheet)
        return lxml.etree.fromstring(response.content)
    if kind.startswith("application/json"):
        urls = re.findall(r'"(https?://[^"]+)"', response.content.decode())
        return lxml.html.fromstring("<p>" + "".join(f'<a href="{u}"></a>' for u in urls) + "</p>")
    return None


def _add_form(result: "Crawl", persona: str | None, form, page_url: str) -> None:
    """Note a form to fuzz: as a plain submit to its action, and as htmx sends it when
    it has an ``hx-post`` (the view may answer a partial then)."""
    method = (form.get("method") or "get").lower()
    fields = _fields(form)
    for address, htmx in [(form.get("action") or page_url, False), (form.get("hx-post"), True)]:
        action = _local(address, "http://testserver" + page_url) if address else None
        target = _match(action) if action else None
        if target is None or _skipped(target.view_name):
            continue
        result.reached.add(target.view_name)
        if method == "get" and not htmx:
            result.queries[(persona, urlsplit(action).path)] |= {f.name for f in fields}
            continue
        key = (target.view_name, htmx, tuple(sorted(f.name for f in fields)))
        result.forms.setdefault(key, Target(persona, action, fields, htmx))


def crawl(start: list[str]) -> Crawl:
    result = Crawl(forms={}, queries=defaultdict(set), paths=defaultdict(list), reached=set())
    for persona in PERSONAS:
        client = _client(persona)
        queue, seen = list(start), set()
        while queue:
            url = queue.pop(0)
            path = urlsplit(url).path
            match = _match(url)
            if match is None or path in seen or _skipped(match.view_name):
                continue
            if persona and match.view_name in result.public:
                continue
            crawled = result.paths[(persona, match.view_name)]
            if len(crawled) >= PER_VIEW:
                continue
            seen.add(path)
            crawled.append(url)
            response = client.get(url, follow=True)
            result.gets += 1
            assert response.status_code < 500, (persona, url)
            if persona is None and response.status_code == 200 and not response.redirect_chain:
                result.public.add(match.view_name)
            if response.redirect_chain:
                match = _match(response.redirect_chain[-1][0]) or match
                url = response.redirect_chain[-1][0]
            if response.status_code != 200:
                continue
            result.reached.add(match.view_name)
            page = _document(response)
            if page is None:
                continue
            for href in page.xpath("//@href|//img/@src|//*[local-name()='loc']/text()"):
                link = _local(href, "http://testserver" + url)
                if link and (target := _match(link)):
                    queue.append(link)
                    params = {name for name, _ in parse_qsl(urlsplit(link).query, True)}
                    result.queries[(persona, urlsplit(link).path)] |= params
                    result.reached.add(target.view_name)
            for form in page.xpath("//form"):
                _add_form(result, persona, form, url)
    return result


# --- What is typed ------------------------------------------------------------------

NASTY = [
    "",
    "0",
    "-1",
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(10**23),
    "-" + str(10**23),
    "9" * 5000,
    "1e400",
    "NaN",
    "\x00",
    "a\x00b",
    "²",
    "١٢",
    "\u202e\ufeff",
    "../../etc/passwd",
    "//example.org",
    "abc",
    "javascript:alert(1)",
    "2026-02-30",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "<script>",
    "' OR 1=1 --",
]

scalar = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=40),
    st.integers(min_value=1000, max_value=60000).map(lambda n: "é" * n),
)


def _value(field: Field):
    own = [option for option in field.options if option]
    single = st.one_of(st.sampled_from(own), scalar) if own else scalar
    if field.kind == "file":
        return st.builds(
            lambda name, body: SimpleUploadedFile(name, body),
            st.one_of(
                st.sampled_from(["rapport.pdf", "a\x00.pdf", "é" * 300 + ".pdf", "x.exe"]),
                st.text(st.characters(exclude_characters="/\\"), min_size=1).filter(
                    lambda name: name.strip(".")
                ),
            ),
            st.binary(max_size=64),
        )
    if field.multiple or field.kind in {"select", "checkbox"}:
        return st.one_of(single, st.lists(single, max_size=4))
    return single


def _form_data(fields: tuple[Field, ...]):
    return st.fixed_dictionaries({}, optional={f.name: _value(f) for f in fields})


FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- The run ------------------------------------------------------------------------


def _person(key: str) -> User:
    return User.objects.get(email=DEMO_PEOPLE[key][0])


@pytest.fixture
def demo(settings, tmp_path) -> list[str]:
    """The demo network, plus what it lacks for some forms to show: a draft study of
    the coach's team with an author asked for consent (that link arrives by mail, so
    it is returned to start the crawl) and a file, an agreement waiting for both
    sides, and a team that has not started its cycle."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--force", stdout=StringIO())
    coach = _person("coach")
    team = ResearchTeam.objects.filter(memberships__user=coach).exclude(current_cycle=None).first()
    study = study_services.study_create_from_cycle(cycle=team.current_cycle, user=coach)
    study_services.study_file_add(study=study, user=coach, upload=pdf_upload(), kind="report")
    author = study_services.study_author_add(
        study=study, user=coach, name="Auteur", email="auteur@demo.test"
    )
    author = study_services.study_author_request_consent(author=author, user=coach)
    # The pupils' questionnaire's figures on the draft (the form to take them off).
    round_ = Round.objects.filter(questionnaire__team=team).order_by("pk").first()
    questionnaire_services.results_attach_to_study(round_=round_, study=study, user=coach)
    agreement = PartnershipAgreement.objects.first()
    agreement_services.agreement_item_save(
        agreement=agreement, party="school", kind="contribution", description="Een lokaal"
    )
    new_team = ResearchTeam.objects.create(
        school=team.school, school_year=team.school_year, theme="Nog te starten"
    )
    TeamMembership.objects.create(team=new_team, user=coach, role="coach")
    published = Study.objects.filter(status=Study.Status.PUBLISHED).first()
    # …and on the published study, with an open answer the reviewer approved (the
    # form to take it off the public page again shows).
    snapshot = ResultsSnapshot.objects.create(
        study=published,
        round=round_,
        title="Lezen",
        round_name="Ronde 1",
        responses=5,
        figures=[
            {"text": "Tips?", "kind": "open", "suppressed": False, "answered": 5}
            | {"options": [], "mean": None}
        ],
    )
    SnapshotQuote.objects.create(
        snapshot=snapshot, question_index=0, text="Meer strips", approved_at=timezone.now()
    )
    questionnaire = Invitation.objects.filter(
        used=False, round__closes_on__gte=timezone.localdate()
    )
    return [
        reverse("knowledge_base:author_consent", kwargs={"token": author.consent_token}),
        # The questionnaire link arrives by mail, too.
        reverse("monitoring:answer", kwargs={"token": questionnaire.first().token}),
        # The manage list shows the newest changed first; a published study has the
        # withdraw form.
        reverse("knowledge_base:study_manage", kwargs={"pk": published.pk}),
        # Every notification mail carries a signed link to change the preference.
        reverse("notifications:preference_link", args=[make_token(coach.pk, "mention")]),
    ]


class Requests:
    """One client per persona; every request in a savepoint that is rolled back, with
    the persona's cookies restored (a form may log out or switch the language)."""

    def __init__(self):
        self.clients = {persona: _client(persona) for persona in PERSONAS}
        self.cookies = {
            p: SimpleCookie(c.cookies.output(header="")) for p, c in self.clients.items()
        }
        self.count = 0

    def send(self, persona, method: str, url: str, data=None, *, htmx: bool = False):
        client = self.clients[persona]
        client.cookies = SimpleCookie(self.cookies[persona].output(header=""))
        headers = {"HX-Request": "true"} if htmx else {}
        self.count += 1
        with transaction.atomic():
            if method == "post":
                response = client.post(url, data or {}, headers=headers)
            else:
                response = client.get(url, data or {}, headers=headers)
            transaction.set_rollback(True)
        assert response.status_code < 500, (response.status_code, method, url, data)

    def send_to_view(self, persona, view_name: str, kwargs: dict):
        try:
            url = reverse(view_name, kwargs=kwargs)
        except NoReverseMatch:
            return  # no such address can be written: the URLconf refuses it already
        self.send(persona, "get", url)


def _every_argument(match) -> list[dict]:
    return [
        {
            name: 10**23 if isinstance(value, int) else "\x00"
            for name, value in match.kwargs.items()
        },
        {name: 0 if isinstance(value, int) else "é" * 300 for name, value in match.kwargs.items()},
    ]


def _path_kwargs(match):
    """Generated values for the integer and string parts of a view's path."""
    return st.fixed_dictionaries(
        {
            name: st.integers(min_value=0, max_value=10**30)
            if isinstance(value, int)
            else st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=300))
            for name, value in match.kwargs.items()
        }
    )


def test_no_request_answers_500(demo):
    sitemaps = [
        reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": section})
        for section in SITEMAPS
    ]
    started = time.perf_counter()
    found = crawl(["/", *sorted(_argument_free_urls()), *sitemaps, *demo])

    missing = {
        name
        for name in all_view_names() - found.reached
        if not _skipped(name) and name not in ALLAUTH_MID_FLOW
    }
    assert not missing, f"the crawl reached no page or form of {sorted(missing)}"

    crawled = time.perf_counter() - started
    requests = Requests()
    for target in found.forms.values():
        send = partial(requests.send, target.persona, "post", target.url, htmx=target.htmx)
        _fuzz(_form_data(target.fields), send, _every_field(target.fields))
    for persona, path, names in _distinct_queries(found.queries):
        fields = tuple(Field(name, "text") for name in names)
        send = partial(requests.send, persona, "get", path)
        _fuzz(_form_data(fields), send, _every_field(fields))
    for persona, match in _distinct_views(found.paths):
        send = partial(requests.send_to_view, persona, match.view_name)
        _fuzz(_path_kwargs(match), send, _every_argument(match))
    print(
        f"crawl: {found.gets} pages in {crawled:.1f} s; fuzz: {len(found.forms)} forms,"
        f" {requests.count} requests in {time.perf_counter() - started - crawled:.1f} s"
    )


def _distinct_queries(queries: dict):
    """Each view's query parameters once (as the first persona who used them)."""
    done = set()
    for (persona, path), names in queries.items():
        key = (_match(path).view_name, frozenset(names))
        if names and key not in done:
            done.add(key)
            yield persona, path, tuple(sorted(names))


def _distinct_views(paths: dict):
    """Each view with path arguments once (as the first persona who reached it)."""
    done = set()
    for (persona, view_name), crawled in paths.items():
        match = _match(crawled[0])
        if match.kwargs and view_name not in done:
            done.add(view_name)
            yield persona, match


def _fuzz(strategy, send, examples=()) -> None:
    """Send the ``examples``, then ``EXAMPLES`` generated values (the same every run)."""

    @FUZZ
    @given(strategy)
    def run(value):
        send(value)

    for value in examples:
        run = example(value)(run)
    run()


def _every_field(fields: tuple[Field, ...]) -> list[dict]:
    return [
        {f.name: [value] if f.multiple else value for f in fields if f.kind != "file"}
        for value in EVERY_FIELD
    ]


def _argument_free_urls() -> list[str]:
    urls = []
    for name in all_view_names():
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls
