"""Every page and every mail speaks one language: Dutch pages carry no English
words (untranslated strings, English month names, Django's "- Select an option -")
and English pages no Dutch ones (a message translated in the wrong language).

The pages are every URL of the URLconf, the admin included: argument-free ones
directly, the others with a small network built here, each visited as a person
who may see it. The mails are every subject/text/html triple in
``templates/emails/`` sent through ``send_templated_mail``, and the allauth mails
sent through allauth. The content built here avoids the listed words, so a hit is
always a slip of the interface, never user content."""

import datetime
import html
import re
import zoneinfo
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import admin
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.services import send_templated_mail, user_send_invitation
from config.absolute_urls import absolute_url as build_absolute_url
from knowledge_base.models import Study, StudyAuthor, Theme
from network_sessions.services import calendar_feed_for, session_create
from notifications.models import Notification
from notifications.tokens import make_token
from oversight.services import agreement_agree, agreement_create, agreement_item_save
from research_cycle.models import CycleStage, ResearchCycle
from research_cycle.services import comment_add, cycle_start, log_entry_create, study_field_update
from reviews.demo import demo_framework
from reviews.services import ScoreInput, school_needs_save, self_assessment_save
from tests.induction.pages import demo_plan
from tests.internships.helpers import internship_in_use
from tests.knowledge_base.publishing import StudyAuthorFactory, StudyFileFactory, team_study
from tests.placements import pages as placement_pages
from tests.questionnaires.pages import shown_questionnaire

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]

#: Words that never belong on a Dutch page (whole words, case-sensitive). Short
#: month names catch the "3 Dec" of an English (or title-cased) date format.
ENGLISH_ONLY = [
    "Select an option",
    "Search",
    "Save",
    "Cancel",
    "Delete",
    "Log in",
    "Log out",
    "Logout",
    "Sign in",
    "Sign out",
    "Filter by",
    "Pagination",
    "Are you sure",
    "and",
    "the",
    "your",
    "with",
    "You",
    "have",
    "Jan",
    "Feb",
    "Mar",
    "Mrt",
    "Apr",
    "Mei",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Okt",
    "Nov",
    "Dec",
    *ENGLISH_MONTHS[:4],
    *ENGLISH_MONTHS[5:8],  # not "September" … "December": Dutch spells them alike
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]
#: Words that never belong on an English page.
DUTCH_ONLY = [
    "Kies een optie",
    "Opslaan",
    "Bewaren",
    "Zoeken",
    "Zoek",
    "Annuleren",
    "Verwijderen",
    "Aanmelden",
    "Afmelden",
    "Schooljaar",
    "schooljaar",
    "Teamlid",
    "het",
    "een",
    "voor",
    "niet",
    "met",
    "en",
    "mrt",
    "okt",
    *[month for month in DUTCH_MONTHS if month not in {"september", "november", "december"}],
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
]
FOREIGN = {"nl": ENGLISH_ONLY, "en": DUTCH_ONLY}


def _pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")


FOREIGN_PATTERNS = {language: _pattern(words) for language, words in FOREIGN.items()}
#: Dates as English pages must not write them: month first ("December 3",
#: "Dec. 3, 2026"), the ambiguous "12/03/2026", and a 12-hour clock ("2 p.m.").
MONTH_FIRST = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b[ap]\.m\.|\bnoon\b|\bmidnight\b"
)
#: Attributes a person reads or hears (screen readers) as much as text.
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}


class _Reader(HTMLParser):
    """Collects what a person reads on a page: text and read attributes, without
    scripts and styles, and without parts marked as another language (the language
    switcher's "Nederlands"/"English", an English study in the Dutch library)."""

    SKIP = {"script", "style", "template"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.page_language = ""
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, skipped?)
        self.parts: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_language = attrs.get("lang", "")
            return
        lang = attrs.get("lang") or self.field_language(attrs)
        skipped = tag in self.SKIP or (lang is not None and lang[:2] != self.language)
        if not (self.skipping or skipped):
            self.parts.extend(v for k, v in attrs.items() if k in READ_ATTRIBUTES and v)
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    @staticmethod
    def field_language(attrs: dict) -> str | None:
        """The admin edits both variants of bilingual fields (``name_nl``,
        ``name_en``): each variant's input and column is content in its language."""
        found = re.search(r"_(nl|en)\b", f"{attrs.get('name', '')} {attrs.get('class', '')}")
        return found.group(1) if found else None

    def handle_endtag(self, tag):
        # Close up to the matching element: HTML lets </li>, </option>, </p> be left out.
        if any(open_tag == tag for open_tag, _skipped in self.stack):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data)


def read(page: str, language: str) -> tuple[str, str]:
    """The page's lang attribute and the text a person reads on it."""
    reader = _Reader(language)
    reader.feed(page)
    return reader.page_language, " ¶ ".join(" ".join(part.split()) for part in reader.parts)


def foreign_words(text: str, language: str) -> list[str]:
    """Each word of the other language (and, in English, each month-first date),
    with a little context to find it."""
    matches = list(FOREIGN_PATTERNS[language].finditer(text))
    if language == "en":
        matches += MONTH_FIRST.finditer(text)
    return [f"{m.group(0)!r} in “…{text[max(m.start() - 40, 0) : m.end() + 40]}…”" for m in matches]


def test_english_dates_are_written_day_first():
    text = "Published on 3 December 2026 ¶ 3 Dec 2026, 14:30 ¶ Dec. 3, 2026 ¶ 12/03/2026 ¶ 2 p.m."
    assert [hit.split(" in ")[0] for hit in foreign_words(text, "en")] == [
        "'Dec. 3'",
        "'12/03/2026'",
        "'p.m.'",
    ]


def test_the_reader_sees_foreign_words_but_not_parts_marked_as_another_language():
    page = (
        '<html lang="nl"><body><h1>Zoeken</h1><option lang="en">English</option>'
        '<img alt="Search"><select><option>- Select an option -</option></select>'
        "<p>3 Dec 2026</p><script>var and = 1;</script></body></html>"
    )
    language, text = read(page, "nl")
    assert language == "nl"
    assert [hit.split(" in ")[0] for hit in foreign_words(text, "nl")] == [
        "'Search'",
        "'Select an option'",
        "'Dec'",
    ]


# --- The network every page is shown with --------------------------------------


@dataclass
class Demo:
    network: object
    cycle: ResearchCycle
    entry: object
    attachment: object
    study: Study
    draft: Study
    editable: Study
    author: StudyAuthor
    study_file: object
    session: object
    agreement: object
    item: object
    feed_token: str
    placements: object = None
    internship: object = None
    log_entry: object = None
    monitoring_round: object = None
    monitoring_token: str = ""
    questionnaire_round: object = None


@pytest.fixture
def demo(network, settings, tmp_path) -> Demo:
    """A network with something on every page: a cycle with a diary entry, a
    comment and a file; a published study and a draft under review; a planned
    session; an agreement with an item. Texts are neutral (no listed words)."""
    settings.MEDIA_ROOT = tmp_path
    people = network.people
    coach = people["coach"]
    cycle = cycle_start(team=network.team, user=coach)
    study_field_update(
        cycle=cycle,
        field="dilemma",
        value="Leerlingen lezen weinig.",
        expected_version=0,
        user=coach,
    )
    entry = log_entry_create(
        cycle=cycle,
        author=coach,
        stage=CycleStage.objects.order_by("order").first(),
        occurred_on=datetime.date(2025, 10, 6),
        summary="Leesgesprek in klas 3.",
        files=[SimpleUploadedFile("notities.txt", b"Notities", content_type="text/plain")],
    )
    comment_add(entry=entry, author=people["research_teacher"], body="Mooi werk!")
    theme, _created = Theme.objects.get_or_create(
        slug="leesmotivatie", defaults={"name_nl": "Leesmotivatie", "name_en": "Reading motivation"}
    )
    neutral = {"dilemma": "Leerlingen lezen weinig.", "research_question": "Helpt elke week lezen?"}
    study = team_study(
        network,
        status=Study.Status.PUBLISHED,
        slug="lezen-in-klas-3",
        title="Lezen in klas 3",
        **neutral,
    )
    study.themes.set([theme])
    StudyAuthorFactory(study=study, name="Sara Peeters", email="coach@school.test")
    study_file = StudyFileFactory(study=study)
    draft = team_study(
        network, status=Study.Status.SUBMITTED, title="Rekenen & meten in klas 5", **neutral
    )
    draft.themes.set([theme])
    author = StudyAuthorFactory(
        study=draft,
        name="Lotte Janssens",
        email="rt@school.test",
        consent=StudyAuthor.Consent.PENDING,
        consent_token="token-voor-lotte",
    )
    StudyFileFactory(study=draft)
    editable = team_study(network, status=Study.Status.DRAFT, title="Meten in klas 6", **neutral)
    starts_at = timezone.now().astimezone(BRUSSELS).replace(
        hour=14, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=10)
    session = session_create(
        organiser=people["bridge_builder"],
        kind="learning_network",
        title="Lerend netwerk: lezen & schrijven",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        location="Campus Etterbeek",
        agenda="Welkom",
        audience_roles=["coach", "bridge_builder"],
    )
    agreement = agreement_create(
        school=network.school, school_year=network.school_year, goals="Samen onderzoek doen."
    )
    item = agreement_item_save(
        agreement=agreement, party="institution", kind="contribution", description="Begeleiding"
    )
    # One side agreed (a date on the agreement pages), the other not yet.
    agreement = agreement_agree(agreement=agreement, side="school", user=people["school_leader"])
    placements = placement_pages.placement_pages(network)
    # After the placements: the internship's place is one more line on the school's offer.
    internship, log_entry = internship_in_use(network)
    # The yearly review: a score with a comment, and the needs of one school.
    framework = demo_framework()
    self_assessment_save(
        partnership=network.partnership,
        school_year=network.school_year,
        framework=framework,
        scores=[ScoreInput(criterion=framework.criteria.first(), score=3, comment="Goed op weg.")],
        user=people["process_facilitator"],
    )
    school_needs_save(
        school=network.school,
        school_year=network.school_year,
        support=["training"],
        wishes="Twee stagiairs",
        user=people["school_leader"],
    )
    monitoring_round, monitoring_token = _monitoring_demo(network)
    return Demo(
        internship=internship,
        log_entry=log_entry,
        network=network,
        cycle=cycle,
        entry=entry,
        attachment=entry.attachments.get(),
        study=study,
        draft=draft,
        editable=editable,
        author=author,
        study_file=study_file,
        session=session,
        agreement=agreement,
        item=item,
        feed_token=calendar_feed_for(user=coach).token,
        placements=placements,
        monitoring_round=monitoring_round,
        monitoring_token=monitoring_token,
        questionnaire_round=shown_questionnaire(network),
    )


def _monitoring_demo(network):
    """A questionnaire round at the home school with results (five answers) and the
    mentor's unused link."""
    from monitoring.demo import demo_instrument
    from monitoring.models import Invitation, Moment, Round
    from monitoring.services import response_submit

    instrument = demo_instrument()
    round_ = Round.objects.create(
        school=network.school,
        school_year=network.school_year,
        instrument=instrument,
        moment=Moment.START,
        closes_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    answers = {str(item.pk): 4 for item in instrument.items.all()}
    for person in [
        "coach",
        "research_teacher",
        "school_leader",
        "starting_teacher",
        "career_changer",
    ]:
        invitation = Invitation.objects.create(round=round_, person=network.people[person])
        response_submit(invitation_key=invitation.key, answers=answers)
    mentor = Invitation.objects.create(round=round_, person=network.people["mentor"])
    return round_, mentor.token


# --- Every URL of the URLconf ----------------------------------------------------

#: Not pages a person reads: actions that only take POST, files, feeds and
#: machine endpoints (JSON, XML, CSV, iCalendar), and steps of a flow that need a
#: state a test client cannot reach with one GET.
NOT_PAGES = {
    "healthz",
    "set_language",
    "sitemap",
    "django.contrib.sitemaps.views.sitemap",
    "account_logout",
    "account_confirm_login_code",
    "account_reauthenticate",
    "account_confirm_password_reset_code",
    "account_confirm_email_verification_code",
    "account_confirm_phone_verification_code",
    "account_change_phone",
    "account_signup_by_passkey",
    "account_request_login_code",
    "account_confirm_email",
    "account_reset_password_from_key",
    "knowledge_base:study_feed",
    "knowledge_base:api_study_list",
    "knowledge_base:api_study_detail",
    "knowledge_base:api_openapi",
    "knowledge_base:oai",
    "knowledge_base:study_file",
    "privacy:export_create",
    "privacy:erasure_create",
    "privacy:export_download",
    "knowledge_base:study_file_staff",
    "knowledge_base:study_citation_ris",
    "knowledge_base:study_citation_bib",
    "knowledge_base:study_submit",
    "knowledge_base:study_request_changes",
    "knowledge_base:study_publish",
    "knowledge_base:study_withdraw",
    "knowledge_base:study_author_add",
    "knowledge_base:study_author_request",
    "knowledge_base:study_author_answer",
    "knowledge_base:study_file_upload",
    "knowledge_base:study_file_copy",
    "knowledge_base:study_file_remove",
    "research_cycle:cycle_start",
    "research_cycle:checklist_toggle",
    "research_cycle:comment_create",
    "research_cycle:attachment_download",
    "research_cycle:attachment_view",
    "research_cycle:attachment_preview",
    "network_sessions:calendar_reset",
    "network_sessions:cancel",
    "network_sessions:respond",
    "network_sessions:attendance",
    "network_sessions:ics",
    "network_sessions:feed",
    "oversight:export",
    "oversight:agreement_goals",
    "oversight:agreement_item_add",
    "oversight:agreement_agree",
    "oversight:agreement_export",
    "internships:hours_confirm",
    "internships:evaluation_respond",
    "internships:training_add",
    "vacancies:feed",
    "vacancies:withdraw",
    "retention:export",
    "retention:school_export",
    "reviews:pdf",
    "reviews:csv",
    "monitoring:school_csv",
    "monitoring:school_json",
    "monitoring:community_csv",
    "monitoring:community_json",
    "monitoring:network_csv",
    "monitoring:network_json",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:autocomplete",
    "admin:logout",
    "admin:login",  # both send people to allauth's login, which is visited itself
    "admin_login_redirect",
    *placement_pages.NOT_PAGES,
    "questionnaires:question_delete",
    "questionnaires:consent_letter",
    "questionnaires:round_close",
    "questionnaires:round_qr",
    "questionnaires:results_csv",
    "questionnaires:results_xlsx",
    "questionnaires:answer_hide",
    "questionnaires:results_to_log",
    "questionnaires:results_to_study",
    "questionnaires:results_detach",
    "questionnaires:quote_approve",
    "notifications:open",  # marks read and redirects to the target's own page
    "notifications:mark_all_read",
}


def _vacancy(demo: Demo) -> int:
    """An internal vacancy at the home school (neutral words, as all content here)."""
    from vacancies.models import Vacancy

    today = timezone.localdate()
    vacancy, _created = Vacancy.objects.get_or_create(
        school=demo.network.school,
        title="Klasleraar derde leerjaar",
        defaults={
            "level": "primary",
            "subject": "Wiskunde",
            "hours": 12,
            "starts_on": today + datetime.timedelta(days=30),
            "closes_on": today + datetime.timedelta(days=10),
            "description": "Klasleraar gezocht.",
            "contact_name": "Karim Benali",
            "contact_email": "sl@school.test",
        },
    )
    return vacancy.pk


#: Pages with arguments: (persona, URL arguments) from the demo network.
PAGES_WITH_ARGUMENTS = {
    "vacancies:detail": lambda d: ("student_teacher", [_vacancy(d)]),
    "vacancies:edit": lambda d: ("school_leader", [_vacancy(d)]),
    "vacancies:copy": lambda d: ("school_leader", [_vacancy(d)]),
    "continuum:person": lambda d: ("coach", [d.network.people["coach"].pk]),
    "research_cycle:team_workspace": lambda d: ("coach", [d.network.team.pk]),
    "research_cycle:stage_move": lambda d: ("coach", [d.network.team.pk]),
    "research_cycle:study_field_edit": lambda d: ("coach", [d.network.team.pk, "dilemma"]),
    "research_cycle:study_field_history": lambda d: ("coach", [d.network.team.pk, "dilemma"]),
    "research_cycle:entry_create": lambda d: ("coach", [d.network.team.pk]),
    "research_cycle:entry_edit": lambda d: ("coach", [d.entry.pk]),
    "research_cycle:entry_delete": lambda d: ("coach", [d.entry.pk]),
    "knowledge_base:study_detail": lambda d: (None, [d.study.slug]),
    "knowledge_base:study_manage": lambda d: ("bridge_builder", [d.draft.pk]),
    "knowledge_base:study_edit": lambda d: ("coach", [d.editable.pk]),
    "knowledge_base:study_create_from_cycle": lambda d: ("coach", [d.network.team.pk]),
    "knowledge_base:author_consent": lambda d: (None, [d.author.consent_token]),
    "network_sessions:detail": lambda d: ("coach", [d.session.pk]),
    "network_sessions:edit": lambda d: ("bridge_builder", [d.session.pk]),
    "network_sessions:cancel_confirm": lambda d: ("bridge_builder", [d.session.pk]),
    "oversight:agreement_detail": lambda d: ("school_leader", [d.agreement.pk]),
    "oversight:agreement_item_delete": lambda d: ("school_leader", [d.agreement.pk, d.item.pk]),
    "knowledge_base:study_author_remove": lambda d: ("coach", [d.draft.pk, d.author.pk]),
    "internships:detail": lambda d: ("student_teacher", [d.internship.pk]),
    "internships:entry_create": lambda d: ("student_teacher", [d.internship.pk]),
    "internships:entry_edit": lambda d: ("student_teacher", [d.internship.pk, d.log_entry.pk]),
    "internships:entry_delete": lambda d: ("student_teacher", [d.internship.pk, d.log_entry.pk]),
    "internships:evaluation_edit": lambda d: ("mentor", [d.internship.pk, "final", "mentor"]),
    "internships:mentor_detail": lambda d: ("placement_coordinator", [d.internship.mentor_id]),
    "induction:school": lambda d: ("school_leader", [d.network.school.pk]),
    "induction:assign_mentor": lambda d: ("school_leader", [demo_plan(d.network).membership_id]),
    "induction:plan": lambda d: ("mentor", [demo_plan(d.network).pk]),
    "induction:cadence": lambda d: ("mentor", [demo_plan(d.network).pk]),
    "induction:check_in": lambda d: ("mentor", [demo_plan(d.network).check_ins.first().pk]),
    "retention:school": lambda d: ("school_leader", [d.network.school.pk]),
    "retention:confirm": lambda d: ("school_leader", [d.network.school.pk]),
    "reviews:review": lambda d: ("process_facilitator", [d.network.school_year.name]),
    "reviews:self_assessment": lambda d: ("bridge_builder", [d.network.school_year.name]),
    "reviews:needs_list": lambda d: ("placement_coordinator", [d.network.school_year.name]),
    "reviews:needs_edit": lambda d: (
        "school_leader",
        [d.network.school_year.name, d.network.school.pk],
    ),
    "monitoring:school": lambda d: ("school_leader", [d.network.school.pk]),
    "monitoring:round_create": lambda d: ("school_leader", [d.network.school.pk]),
    "monitoring:community": lambda d: ("process_facilitator", [d.network.community.pk]),
    "monitoring:network": lambda d: ("bridge_builder", [d.network.partnership.pk]),
    "monitoring:answer": lambda d: (None, [d.monitoring_token]),
    "admin:app_list": lambda d: ("network_admin", ["schools"]),
    "admin:password_change": lambda d: ("network_admin", []),
    "admin:password_change_done": lambda d: ("network_admin", []),
    **placement_pages.PAGES_WITH_ARGUMENTS,
    **{
        f"questionnaires:{name}": (lambda d, name=name: ("coach", questionnaire_arguments(d, name)))
        for name in [
            "list",
            "create",
            "detail",
            "edit",
            "preview",
            "question_create",
            "question_edit",
            "consent",
            "round_open",
            "results",
            "answers_export",
        ]
    },  # fmt: skip
    "questionnaires:respond": lambda d: (None, [d.questionnaire_round.token]),
    "privacy:team_access_log": lambda d: ("coach", [d.network.team.pk]),
    "inspiration:injection_send": lambda d: ("bridge_builder", [d.network.team.pk]),
    "schools:public_detail": lambda d: (None, [d.network.school.slug]),
    "schools:publicity_edit": lambda d: ("coach", [d.network.school.slug]),
    "notifications:preference_link": lambda d: (
        None,
        [make_token(d.network.people["coach"].pk, "comment_on_my_entry")],
    ),
}


def questionnaire_arguments(d: Demo, name: str) -> list:
    questionnaire = d.questionnaire_round.questionnaire
    arguments = [d.network.team.pk] if name in {"list", "create"} else [
        d.network.team.pk, questionnaire.pk]  # fmt: skip
    if name == "question_edit":
        arguments.append(questionnaire.questions.first().pk)
    return arguments


#: Argument-free pages only some people may see.
PERSONA = {
    "oversight:overview": "bridge_builder",
    "oversight:network": "process_facilitator",
    "oversight:agreement_list": "school_leader",
    "knowledge_base:study_create_by_hand": "network_admin",
    "knowledge_base:study_manage_list": "bridge_builder",
    "network_sessions:create": "bridge_builder",
    "internships:list": "placement_coordinator",
    "internships:mentor_register": "placement_coordinator",
    "vacancies:create": "school_leader",
    "vacancies:school": "school_leader",
    "continuum:cohorts": "bridge_builder",
    "retention:overview": "bridge_builder",
    "communities:compose": "process_facilitator",
    "admin:index": "network_admin",
}
#: Pages only anonymous visitors see (logged-in people are sent on).
ANONYMOUS = {"account_login", "account_signup", "account_reset_password"}


def url_names() -> list[tuple[str, bool]]:
    """Every named URL pattern: (namespaced name, takes arguments)."""
    found = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                takes = bool(pattern.pattern.converters) or "(?P<" in str(pattern.pattern)
                found.append((name, takes))

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def admin_pages(demo: Demo) -> list[str]:
    """Each registered model's changelist, add form, change form, history and delete
    confirmation (a GET that deletes nothing), for its first row."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if model_admin.has_add_permission(_request_for(demo)):
            urls.append(reverse(f"{prefix}_add"))
        if obj is not None:
            urls += [reverse(f"{prefix}_{page}", args=[obj.pk]) for page in ("change", "history")]
            if model_admin.has_delete_permission(_request_for(demo), obj):
                urls.append(reverse(f"{prefix}_delete", args=[obj.pk]))
    return urls


def _request_for(demo: Demo):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = demo.network.people["network_admin"]
    return request


def admin_model_url(name: str) -> bool:
    return name.startswith("admin:") and re.search(
        r"_(changelist|add|change|history|delete)$", name
    )


def pages(demo: Demo) -> list[tuple[str | None, str]]:
    """(persona or None for anonymous, URL) for every page of the URLconf."""
    result, unknown = [], []
    for name, takes_arguments in url_names():
        if name in NOT_PAGES or admin_model_url(name):
            continue
        if name in PAGES_WITH_ARGUMENTS:
            persona, args = PAGES_WITH_ARGUMENTS[name](demo)
            result.append((persona, reverse(name, args=args)))
        elif takes_arguments:
            unknown.append(name)
        elif name in ANONYMOUS:
            result.append((None, reverse(name)))
        else:
            result.append((PERSONA.get(name, "coach"), reverse(name)))
    assert not unknown, (
        f"Say how to show these pages (PAGES_WITH_ARGUMENTS or NOT_PAGES): {unknown}"
    )
    result += [("network_admin", url) for url in admin_pages(demo)]
    return result


def visit(client, demo: Demo, persona: str | None, url: str, language: str) -> str:
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if persona:
        client.force_login(demo.network.people[persona])
    response = client.get(url, follow=True)
    assert response.status_code == 200, f"{url} as {persona}: {response.status_code}"
    return response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_speaks_one_language(client, demo, language):
    slips = []
    visited = pages(demo)
    for persona, url in visited:
        page_language, text = read(visit(client, demo, persona, url, language), language)
        if page_language != language:
            slips.append(f"{url}: <html lang={page_language!r}>")
        slips += [f"{url} ({persona}): {hit}" for hit in foreign_words(text, language)]
    assert len(visited) > 80
    assert not slips, "\n".join(slips)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_forms_with_errors_speak_one_language(client, demo, language):
    """A form sent empty answers with field messages in the page's language."""
    forms = [
        ("coach", reverse("research_cycle:entry_create", args=[demo.network.team.pk])),
        ("bridge_builder", reverse("network_sessions:create")),
        ("student_teacher", reverse("internships:entry_create", args=[demo.internship.pk])),
        ("school_leader", reverse("vacancies:create")),
        ("network_admin", reverse("admin:schools_school_add")),
        (
            "school_leader",
            reverse("induction:assign_mentor", args=[demo_plan(demo.network).membership_id]),
        ),
        ("school_leader", reverse("monitoring:round_create", args=[demo.network.school.pk])),
        (None, reverse("monitoring:answer", args=[demo.monitoring_token])),
    ]
    slips = []
    for persona, url in forms:
        if persona:
            client.force_login(demo.network.people[persona])
        else:
            client.logout()  # (which forgets the cookies)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post(url, {})
        assert response.status_code in {200, 400}, url
        page_language, text = read(response.content.decode(), language)
        assert page_language == language
        slips += [f"{url}: {hit}" for hit in foreign_words(text, language)]
    assert not slips, "\n".join(slips)


# --- Flash messages follow the page they are shown on ----------------------------


def test_an_english_speaker_who_logs_in_reads_the_welcome_in_english(client, network):
    person = network.people["process_facilitator"]
    person.preferred_language = "en"
    person.save()
    person.set_password("een-lang-wachtwoord-42")
    person.save()
    response = client.post(
        reverse("account_login"),
        {"login": person.email, "password": "een-lang-wachtwoord-42"},
        follow=True,
    )
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Successfully signed in as" in page
    assert not foreign_words(read(page, "en")[1], "en")


def test_after_logging_out_the_goodbye_and_the_page_share_a_language(client, network):
    person = network.people["process_facilitator"]
    person.preferred_language = "en"
    person.save()
    client.force_login(person)
    response = client.post(reverse("account_logout"), follow=True)
    page = response.content.decode()
    language, text = read(page, "en" if '<html lang="en"' in page else "nl")
    assert "signed out" in text.lower() or "afgemeld" in text.lower()
    assert not foreign_words(text, language)


# --- Every mail --------------------------------------------------------------------

EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


def mail_contexts(demo: Demo, recipient) -> dict[str, list[dict]]:
    """Realistic contexts for each mail triple, as the services build them."""
    session = demo.session
    team_row = demo.network.team
    team_row.last_logged_on = datetime.date(2025, 10, 6)
    team_row.attention = type("Attention", (), {"stuck": True, "days_in_stage": 70})()
    url = build_absolute_url(reverse("network_sessions:detail", args=[session.pk]))
    session_context = {"session": session, "recipient": recipient, "url": url}
    study = demo.draft
    review = {
        "person": recipient,
        "study": study,
        "comment": "Voeg de vragenlijst toe – zonder namen & foto's.",
        "manage_url": build_absolute_url(study.get_manage_url()),
        "public_url": build_absolute_url(demo.study.get_absolute_url()),
    }
    plan = demo_plan(demo.network)
    check_in = {
        "recipient": recipient,
        "starter": plan.membership.user,
        "mentor": demo.network.people["mentor"],
        "check_in": plan.check_ins.first(),
        "url": build_absolute_url(reverse("induction:plan", args=[plan.pk])),
    }
    notification = Notification(
        recipient=recipient,
        kind="comment_on_my_entry",
        params={"actor": "Lotte Janssens", "team": "Leesmotivatie", "date": "2025-10-06"},
        body="Leesmotivatie – 3B & 4A.",
        url="/",
    )
    preference_url = build_absolute_url("/accounts/preferences/mail/x/")
    return {
        "notification": [
            {
                "notification": notification,
                "recipient": recipient,
                "url": url,
                "preference_url": preference_url,
            }
        ],
        "notification_digest": [
            {
                "recipient": recipient,
                "notifications": [(notification, url)] * 2,
                "weekly": weekly,
                "inbox_url": url,
                "preference_url": preference_url,
            }
            for weekly in (False, True)
        ],
        "check_in_reminder": [{**check_in, "is_starter": value} for value in (True, False)],
        "session_reminder": [
            {**session_context, "response": response} for response in ("", "going", "maybe")
        ],
        "session_update": [{**session_context, "response": ""}],
        "session_cancelled": [{**session_context, "response": ""}],
        "session_digest": [
            {"recipient": recipient, "teams": [team_row], "days": 21, "url": url},
        ],
        "study_review_step": [
            {**review, "event": event, "preference_url": build_absolute_url("/accounts/")}
            for event in ("submitted", "changes_requested", "published")
        ],
        "internship_evaluation_complete": [
            {
                "recipient": recipient,
                "placement": demo.internship,
                "moment": moment,
                "url": build_absolute_url(reverse("internships:detail", args=[demo.internship.pk])),
            }
            for moment in ("mid_term", "final")
        ],
        "study_author_consent": [
            {"author": demo.author, "study": study, "url": url, "requested_by": recipient}
        ],
        **placement_pages.mail_contexts(demo.placements, recipient),
        "retention_confirmation_reminder": [
            {
                "recipient": recipient,
                "school": demo.network.school,
                "school_year": demo.network.school_year,
                "url": url,
            }
        ],
        "monitoring_invitation": [
            {"recipient": recipient, "round": demo.monitoring_round, "url": url}
        ],
        "monitoring_reminder": [
            {"recipient": recipient, "round": demo.monitoring_round, "url": url}
        ],
        "questionnaire_retention": [
            {
                "recipient": recipient,
                "questionnaire": demo.questionnaire_round.questionnaire,
                "due": datetime.datetime(2026, 6, 30, 12, tzinfo=BRUSSELS),
                "url": url,
            }
        ],
        "privacy_export_ready": [
            {
                "recipient": recipient,
                "export": {"expires_at": datetime.datetime(2026, 6, 30, 12, tzinfo=BRUSSELS)},
                "url": url,
            }
        ],
        "privacy_files_notice": [
            {
                "recipient": recipient,
                "team": demo.network.team,
                "due": datetime.datetime(2026, 6, 30, 12, tzinfo=BRUSSELS),
                "url": url,
            }
        ],
    }


def check_mail(message, language: str) -> list[str]:
    """What is wrong with one sent mail: a foreign word, an escape or entity in the
    plain text, or an HTML part whose lang is not the mail's language."""
    slips = []
    plain = f"{message.subject}\n{message.body}"
    slips += [f"text: {hit}" for hit in foreign_words(" ".join(plain.split()), language)]
    slips += [f"text has an escape: {m!r}" for m in re.findall(r"\\u[0-9a-fA-F]{4}", plain)]
    slips += [f"text has an HTML entity: {m!r}" for m in re.findall(r"&#?\w+;", plain)]
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            page_language, text = read(content, language)
            if page_language != language:
                slips.append(f"html: <html lang={page_language!r}>")
            slips += [f"html: {hit}" for hit in foreign_words(text, language)]
    return [f"{message.subject!r}: {slip}" for slip in slips]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_mail_speaks_one_language(demo, language):
    recipient = demo.network.people["coach"]
    contexts = mail_contexts(demo, recipient)
    triples = sorted(
        p.name.removesuffix("_subject.txt") for p in EMAIL_TEMPLATES.glob("*_subject.txt")
    )
    assert set(triples) - {"invitation"} == set(contexts), "Give every mail a context here"
    mail.outbox.clear()
    for template, variants in contexts.items():
        for context in variants:
            send_templated_mail(
                template=f"emails/{template}",
                to=[recipient.email],
                language=language,
                context=context,
            )
    recipient.preferred_language = language
    user_send_invitation(user=recipient)
    assert len(mail.outbox) == sum(map(len, contexts.values())) + 1
    slips = [slip for message in mail.outbox for slip in check_mail(message, language)]
    assert not slips, "\n".join(slips)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_allauth_mails_speak_the_visitors_language(client, network, language):
    """The password reset mail and the address confirmation at login (an address an
    admin changed is unverified), sent by allauth in the language of the page."""
    person = network.people["coach"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": person.email})
    person.set_password("een-lang-wachtwoord-42")
    person.save()
    EmailAddress.objects.filter(user=person).update(verified=False)
    client.post(
        reverse("account_login"), {"login": person.email, "password": "een-lang-wachtwoord-42"}
    )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert not check_mail(message, language)
        assert html.unescape(message.body) == message.body
