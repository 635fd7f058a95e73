"""The public form: anyone may answer while it is open, without an account;
bad input comes back in the respondent's language and stores nothing."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from questionnaires import public, services
from questionnaires.models import Answer, Response

pytestmark = pytest.mark.django_db


def form_url(round_, lang=""):
    url = reverse("questionnaires:respond", args=[round_.token])
    return f"{url}?lang={lang}" if lang else url


def fresh_form(client, round_, lang=""):
    page = client.get(form_url(round_, lang))
    assert page.status_code == 200
    return re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)


def good_post(round_, nonce, **extra):
    scale, single, multiple, open_ = round_.questionnaire.questions.all()
    data = {
        "nonce": nonce,
        "lang": "nl",
        f"q{scale.pk}": "2",
        f"q{single.pk}": "1",
        f"q{multiple.pk}": ["1", "2"],
        f"q{open_.pk}": "Meer tijd om te lezen",
        "website": "",
    }
    data.update(extra)
    return data


def test_anyone_answers_without_an_account_and_nothing_about_them_is_kept(client, opened):
    nonce = fresh_form(client, opened)
    response = client.post(
        form_url(opened),
        good_post(opened, nonce),
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Telefoon/1.0",
    )
    assert response.status_code == 200
    assert "Bedankt" in response.content.decode()
    stored = Response.objects.get()
    dumped = str(list(Response.objects.values())) + str(list(Answer.objects.values()))
    assert "203.0.113.9" not in dumped and "Telefoon" not in dumped
    assert stored.submitted_on == opened.opened_on
    assert Answer.objects.count() == 5
    # The address only ever went into the cache, hashed.
    assert "203.0.113.9" not in public.address_key(response.wsgi_request)


def test_the_form_warns_not_to_write_names_and_asks_no_javascript(client, opened):
    page = client.get(form_url(opened)).content.decode()
    assert "Schrijf geen namen" in page
    assert "<script" not in page
    assert 'lang="nl" dir="ltr"' in page


def test_a_replayed_submission_is_stored_once(client, opened):
    nonce = fresh_form(client, opened)
    assert client.post(form_url(opened), good_post(opened, nonce)).status_code == 200
    again = client.post(form_url(opened), good_post(opened, nonce))
    assert again.status_code == 409
    assert "al verstuurd" in again.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scale": ""}, "Deze vraag heeft een antwoord nodig."),
        ({"scale": "9"}, "Kies een van de antwoorden."),
        ({"open": "x" * 100_000}, "te lang"),
    ],
)
def test_bad_input_says_so_in_dutch_keeps_what_was_typed_and_stores_nothing(
    client, opened, change, message
):
    scale, _single, _multiple, open_ = opened.questionnaire.questions.all()
    names = {"scale": f"q{scale.pk}", "open": f"q{open_.pk}"}
    nonce = fresh_form(client, opened)
    data = good_post(opened, nonce, **{names[k]: v for k, v in change.items()})
    response = client.post(form_url(opened), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "Kijk je antwoorden na" in page
    assert "Meer tijd om te lezen" in page or "x" * 1000 in page  # what was typed stays
    assert not Response.objects.exists()


def test_messages_come_in_the_respondents_language(client, network, questionnaire):
    questionnaire.languages = ["fr", "ar"]
    questionnaire.save()
    round_ = _open(questionnaire, network)
    nonce = fresh_form(client, round_, "fr")
    scale = questionnaire.questions.first()
    response = client.post(
        form_url(round_), good_post(round_, nonce, lang="fr", **{f"q{scale.pk}": ""})
    )
    assert "Cette question demande une réponse." in response.content.decode()
    arabic = client.get(form_url(round_, "ar")).content.decode()
    assert 'lang="ar" dir="rtl"' in arabic
    assert "لا تكتب أسماء" in arabic


def _open(questionnaire, network):
    from .conftest import confirm

    confirm(questionnaire, network.people["coach"])
    today = datetime.date.today()
    return services.round_open(
        questionnaire=questionnaire, closes_on=today + datetime.timedelta(days=3), today=today
    )


def test_a_closed_form_says_so_and_takes_nothing(client, opened):
    nonce = fresh_form(client, opened)
    services.round_close(round_=opened, today=opened.opened_on)
    page = client.get(form_url(opened))
    assert page.status_code == 200 and "gesloten" in page.content.decode()
    post = client.post(form_url(opened), good_post(opened, nonce))
    assert post.status_code == 410
    assert not Response.objects.exists()


@pytest.mark.postgres
def test_a_round_closed_while_a_parent_answered_says_so_in_their_language(
    client, network, questionnaire, monkeypatch
):
    """The form read the round while it was open; the coach closed it before the
    answers were stored (the one-statement submit checks the round again)."""
    questionnaire.languages = ["fr"]
    questionnaire.save()
    round_ = _open(questionnaire, network)
    nonce = fresh_form(client, round_, "fr")
    as_read = public.open_round(round_.token)
    services.round_close(round_=round_, today=round_.opened_on)
    monkeypatch.setattr(public, "open_round", lambda token: as_read)
    post = client.post(form_url(round_), good_post(round_, nonce, lang="fr"))
    assert post.status_code == 410
    assert "Ce questionnaire est fermé" in post.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_the_honeypot_and_a_forged_nonce_store_nothing(client, opened):
    nonce = fresh_form(client, opened)
    assert (
        client.post(
            form_url(opened), good_post(opened, nonce, website="http://spam.test")
        ).status_code
        == 400
    )
    assert client.post(form_url(opened), good_post(opened, "made-up")).status_code == 400
    assert not Response.objects.exists()


def test_flooding_from_one_address_is_stopped_for_minutes(client, opened, monkeypatch):
    monkeypatch.setattr(public, "RATE_LIMIT", 2)
    for expected in (200, 200, 429):
        nonce = fresh_form(client, opened)
        response = client.post(
            form_url(opened), good_post(opened, nonce), REMOTE_ADDR="198.51.100.7"
        )
        assert response.status_code == expected
    nonce = fresh_form(client, opened)
    other = client.post(form_url(opened), good_post(opened, nonce), REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 200
    assert Response.objects.count() == 3


def test_child_friendly_mode_asks_one_question_a_screen_and_stores_at_the_end(client, opened):
    questionnaire = opened.questionnaire
    questionnaire.child_friendly = True
    questionnaire.smileys = True
    questionnaire.save()
    scale, single, multiple, open_ = questionnaire.questions.all()
    first = client.get(form_url(opened)).content.decode()
    assert "Vraag 1 van 4" in first and "Ik lees graag." in first and "Waar lees je" not in first
    assert 'class="smiley"' in first
    nonce = fresh_form(client, opened)
    data = {"nonce": nonce, "lang": "nl", "step": "0"}
    missing = client.post(form_url(opened), data)
    assert missing.status_code == 400 and "Vraag 1 van 4" in missing.content.decode()
    data[f"q{scale.pk}"] = "3"
    second = client.post(form_url(opened), data).content.decode()
    assert "Vraag 2 van 4" in second and f'name="q{scale.pk}" value="3"' in second
    data.update({"step": "1", f"q{single.pk}": "2"})
    client.post(form_url(opened), data)
    data.update({"step": "2", f"q{multiple.pk}": ["1"]})
    fourth = client.post(form_url(opened), data).content.decode()
    assert "Vraag 4 van 4" in fourth and not Response.objects.exists()
    data.update({"step": "3", f"q{open_.pk}": "Voorlezen"})
    done = client.post(form_url(opened), data)
    assert "Bedankt" in done.content.decode()
    assert sorted(Answer.objects.exclude(value=None).values_list("value", flat=True)) == [1, 2, 3]


def test_the_qr_code_encodes_exactly_the_absolute_public_link(client, network, opened, settings):
    import io

    import zxingcpp
    from PIL import Image

    settings.LEERBRUG_BASE_URL = "https://leerbrug.example.org"
    client.force_login(network.people["school_leader"])
    url = reverse(
        "questionnaires:round_qr", args=[network.team.pk, opened.questionnaire.pk, 1, "png"]
    )
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert [code.format for code in codes] == [zxingcpp.BarcodeFormat.QRCode]
    assert codes[0].text == f"https://leerbrug.example.org/q/{opened.token}/"


# --- The busy path: per-process memory, queries, the rate limit's address -------


def test_an_edit_of_the_open_questionnaire_shows_at_once_on_the_form_and_after_a_post(
    client, opened
):
    fresh_form(client, opened)  # the blank form is now in this process's memory
    questionnaire = opened.questionnaire
    services.questionnaire_update(
        questionnaire=questionnaire,
        title="Lezen op school",
        perspective=questionnaire.perspective,
        languages=["fr"],
        title_translations={"fr": "Lire à l'école"},
    )
    page = client.get(form_url(opened)).content.decode()
    assert "Lezen op school" in page and "Lezen in de klas" not in page
    assert "Lire à l&#x27;école" in client.get(form_url(opened, "fr")).content.decode()
    scale = questionnaire.questions.first()
    nonce = fresh_form(client, opened)
    bad = client.post(form_url(opened), good_post(opened, nonce, **{f"q{scale.pk}": ""}))
    assert bad.status_code == 400 and "Lezen op school" in bad.content.decode()
    done = client.post(form_url(opened), good_post(opened, nonce))
    assert "Bedankt" in done.content.decode() and "Lezen op school" in done.content.decode()


def test_each_round_and_language_gets_its_own_form(client, network, opened, questionnaire):
    other = services.questionnaire_create(
        team=network.other_team,
        user=network.people["outsider"],
        title="Ouders over huiswerk",
        perspective="parents",
        languages=["fr"],
    )
    services.question_add(
        questionnaire=other,
        kind="single",
        text={"nl": "Helpt u bij huiswerk?", "fr": "Aidez-vous aux devoirs ?"},
        options=[{"nl": "Ja", "fr": "Oui"}, {"nl": "Nee", "fr": "Non"}],
    )
    second = _open(other, network)
    mine, theirs = (client.get(form_url(r)).content.decode() for r in (opened, second))
    assert "Ik lees graag." in mine and "Helpt u" not in mine
    assert "Helpt u bij huiswerk?" in theirs and "Ik lees graag." not in theirs
    french = client.get(form_url(second, "fr")).content.decode()
    assert "Aidez-vous aux devoirs ?" in french and 'lang="fr"' in french
    # Every blank form carries its own one-time nonce, though the page is kept.
    assert fresh_form(client, opened) != fresh_form(client, opened)


def test_the_form_costs_one_query_and_leaves_no_cookie(client, opened):
    fresh_form(client, opened)
    with CaptureQueriesContext(connection) as get:
        page = client.get(form_url(opened))
    assert page.status_code == 200 and not page.cookies
    assert len(get.captured_queries) == 1  # the round with its questionnaire
    data = good_post(opened, fresh_form(client, opened))
    with CaptureQueriesContext(connection) as post:
        sent = client.post(form_url(opened), data)
    assert "Bedankt" in sent.content.decode() and not sent.cookies
    # The round; then on PostgreSQL the nonce, the response and all answers in one
    # statement, elsewhere in one INSERT each. (Savepoints: the test's transaction.
    # Without Redis the rate limit counts in the database cache's table: not the
    # form's queries.)
    queries = [
        q["sql"].split()[0]
        for q in post.captured_queries
        if "leerbrug_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    one_statement = ["SELECT", "WITH"] if connection.vendor == "postgresql" else None
    assert queries == (one_statement or ["SELECT", "INSERT", "INSERT", "INSERT"])
    assert Answer.objects.count() == 5


def _post_from(client, round_, address, forwarded):
    nonce = fresh_form(client, round_)
    return client.post(
        form_url(round_),
        good_post(round_, nonce),
        REMOTE_ADDR=address,
        HTTP_X_FORWARDED_FOR=forwarded,
    ).status_code


def test_without_trusted_proxies_a_forged_forwarded_for_header_is_ignored(
    client, opened, monkeypatch, settings
):
    settings.LEERBRUG_TRUSTED_PROXIES = 0
    monkeypatch.setattr(public, "RATE_LIMIT", 1)
    assert _post_from(client, opened, "198.51.100.20", "192.0.2.1") == 200
    # Another forged address in the header does not buy another submission.
    assert _post_from(client, opened, "198.51.100.20", "192.0.2.2") == 429


def test_behind_the_proxy_each_phone_has_its_own_limit(client, opened, monkeypatch, settings):
    settings.LEERBRUG_TRUSTED_PROXIES = 1
    monkeypatch.setattr(public, "RATE_LIMIT", 1)
    proxy = "10.0.0.2"
    assert _post_from(client, opened, proxy, "192.0.2.1") == 200
    assert _post_from(client, opened, proxy, "192.0.2.2") == 200  # another phone
    assert _post_from(client, opened, proxy, "192.0.2.1") == 429  # the first one again
    # What the phone wrote in front of the proxy's entry changes nothing.
    assert _post_from(client, opened, proxy, "203.0.113.99, 192.0.2.1") == 429
    assert Response.objects.count() == 2


def test_the_address_count_lives_in_the_cache_only_for_the_window(client, opened):
    data = good_post(opened, fresh_form(client, opened))
    request = client.post(form_url(opened), data, REMOTE_ADDR="198.51.100.30").wsgi_request
    key = public.address_key(request)
    cache = caches["default"]
    assert cache.get(key) == 1
    if isinstance(cache, RedisCache):  # CI: one round trip sets the count and its expiry
        redis_key = cache.make_and_validate_key(key)
        ttl = cache._cache.get_client(redis_key).ttl(redis_key)
        assert 0 < ttl <= public.RATE_WINDOW_SECONDS


def test_answering_keeps_the_signed_in_pages_cached(client, opened):
    """A class answering must not make everyone's cached pages stale (the page
    cache ignores the answers' tables, also in the one-statement submit)."""
    from config import page_cache

    nonce = fresh_form(client, opened)
    before = page_cache.generation()
    sent = client.post(form_url(opened), good_post(opened, nonce))
    assert "Bedankt" in sent.content.decode() and Answer.objects.count() == 5
    assert page_cache.generation() == before


def test_with_redis_down_the_flood_limit_still_counts(client, opened, monkeypatch, settings):
    """The rate limit's Redis script fails over to the database cache, like the
    rest of the fail-soft cache: submissions are counted and stopped there."""
    dead = {"socket_connect_timeout": 1, "socket_timeout": 1}
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": dead,
            "FALLBACK": "database",
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "leerbrug_cache",
        },
    }
    monkeypatch.setattr(public, "RATE_LIMIT", 1)
    for expected in (200, 429):
        data = good_post(opened, fresh_form(client, opened))
        assert client.post(form_url(opened), data).status_code == expected
    assert Response.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_kept_database_connection_needs_no_extra_round_trip_for_a_respondent(
    client, opened, monkeypatch
):
    """CONN_HEALTH_CHECKS would send SELECT 1 before the first query of every
    request on a kept connection; on the public form the round's read is the check."""
    connection.ensure_connection()
    checks = []
    usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append("SELECT 1") or usable())
    connection.close_if_unusable_or_obsolete()  # what every request starts with
    data = good_post(opened, fresh_form(client, opened))
    connection.close_if_unusable_or_obsolete()
    sent = client.post(form_url(opened), data)
    assert "Bedankt" in sent.content.decode()
    assert checks == []
    assert Response.objects.filter(round=opened).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_the_database_cut_a_kept_connection_a_respondent_still_answers(client, opened):
    import psycopg

    def cut_the_kept_connection():  # as a PostgreSQL restart or a firewall would
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**connection.get_connection_params()) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        connection.close_if_unusable_or_obsolete()  # a new request

    cut_the_kept_connection()
    data = good_post(opened, fresh_form(client, opened))
    cut_the_kept_connection()
    sent = client.post(form_url(opened), data)
    assert sent.status_code == 200 and "Bedankt" in sent.content.decode()
    assert Response.objects.filter(round=opened).count() == 1
