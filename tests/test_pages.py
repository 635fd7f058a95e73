"""Every argument-free page answers, in Dutch and English, with exactly one <h1>."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Endpoints that are not pages: POST-only actions, machine endpoints, the admin
# (Django's own) and allauth pages that only make sense mid-flow.
NOT_PAGES = {
    "healthz",
    "set_language",
    "account_logout",
    "admin_login_redirect",
    "account_confirm_login_code",
    "account_reauthenticate",
    "account_email_verification_sent",
    "account_confirm_password_reset_code",
    "account_confirm_email_verification_code",
    "account_confirm_phone_verification_code",
    "account_change_phone",
    "account_signup_by_passkey",
    "account_request_login_code",
    "knowledge_base:study_create_by_hand",  # network admins only (403 for the coach)
    "knowledge_base:study_feed",
    "knowledge_base:api_study_list",
    "knowledge_base:api_openapi",
    "knowledge_base:oai",
    "sitemap",
    "vacancies:feed",  # Atom, not a page; in tests/vacancies
    "network_sessions:calendar_reset",  # POST only
    "network_sessions:create",  # planners only (403 for the coach); in tests/network_sessions
    "retention:export",  # CSV
    "notifications:mark_all_read",  # POST only
    "privacy:erasure_create",  # POST only
    "privacy:export_create",  # POST only
}


def argument_free_url_names():
    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if pattern.pattern.converters or re.search(r"\(\?P<", str(pattern.pattern)):
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if name not in NOT_PAGES:
                    names.append(name)

    walk(get_resolver().url_patterns)
    return sorted(set(names))


URL_NAMES = argument_free_url_names()

# Pages only some roles may see (others get 404): visited as a persona who may.
PAGE_PERSONA = {
    "oversight:overview": "bridge_builder",
    "oversight:network": "process_facilitator",
    "oversight:agreement_list": "school_leader",
    "internships:mentor_register": "placement_coordinator",
    "continuum:cohorts": "bridge_builder",
    "vacancies:create": "school_leader",
    "vacancies:school": "school_leader",
    "retention:overview": "bridge_builder",
    "communities:compose": "process_facilitator",
}


def test_the_list_of_pages_is_not_empty():
    assert {"home", "dashboard", "account_login", "account_reset_password"} <= set(URL_NAMES)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_page_answers_with_one_h1(client, network, name, language):
    client.cookies["django_language"] = language
    client.force_login(network.people[PAGE_PERSONA.get(name, "coach")])
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200, name
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1, name
    assert f'<html lang="{language}"' in html


@pytest.mark.parametrize("name", ["dashboard"])
def test_private_pages_send_anonymous_visitors_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_home_is_dutch_and_lists_the_partner_schools(client, network):
    response = client.get("/")
    html = response.content.decode()
    assert "Onze partnerscholen" in html
    assert "Basisschool De Regenboog" in html
    assert "Atheneum Noord" in html


def test_the_language_switcher_turns_a_page_english(client, network):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Our partner schools" in response.content.decode()
    response = client.get("/")
    assert '<html lang="en"' in response.content.decode()


def test_switching_language_when_logged_in_remembers_it_for_emails(client, network):
    coach = network.people["coach"]
    client.force_login(coach)
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    coach.refresh_from_db()
    assert coach.preferred_language == "en"


def test_a_logged_in_person_sees_their_preferred_language(client, network):
    coach = network.people["process_facilitator"]
    coach.preferred_language = "en"
    coach.save()
    client.force_login(coach)
    assert "My research teams" in client.get("/dashboard/").content.decode()


def test_inactive_schools_are_not_listed(client, network):
    network.other_school.is_active = False
    network.other_school.save()
    assert "Atheneum Noord" not in client.get("/").content.decode()


def test_home_page_query_budget(client, network, django_assert_max_num_queries):
    from tests.factories import SchoolFactory

    SchoolFactory.create_batch(40, partnership=network.partnership)
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert response.content.decode().count("list-group-item") >= 42


def test_an_english_browser_still_gets_dutch_until_the_visitor_switches(client, network):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in response.content.decode()
