"""OAI-PMH 2.0 data provider for the published studies (``/oai``).

Verbs: Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords,
GetRecord. Metadata format: ``oai_dc``. Sets: one per theme (``theme:<slug>``).
Datestamps are ``Study.updated_at`` at seconds granularity. Resumption tokens are
signed and stateless (they carry the arguments and the last primary key sent),
so a harvest pages by ``pk`` and returns every published record exactly once.

Deleted records are ``persistent``: a harvester may hold a copy of a study that
was later withdrawn (perhaps because it identified a pupil), so a withdrawn study
stays in every list as ``<header status="deleted">`` with its identifier, the
withdrawal time as datestamp and its sets, and nothing else: never its title or
content. Selective harvesting (``from``/``until``) reads that withdrawal datestamp.

The XML is built with the standard library's ElementTree (nothing is parsed).
"""

import datetime
from email.utils import parseaddr
from xml.etree import ElementTree as ET  # noqa: S405 - only builds XML, never parses

from django.conf import settings
from django.core import signing
from django.db.models import Min
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.absolute_urls import absolute_url

from .models import Study, Theme
from .public import named_authors, named_authors_of

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
#: The OAI namespace is the default one (no prefix) in every response.
PREFIXES = {"": OAI_NS, "oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}


def _register_prefixes() -> None:
    """ElementTree's prefixes are one registry for the whole process, and other
    libraries write to it (WeasyPrint maps the empty prefix to no namespace when it
    makes a PDF), so they are set again right before every response is written."""
    for prefix, uri in PREFIXES.items():
        ET.register_namespace(prefix, uri)


TOKEN_SALT = "knowledge_base.oai.resumption"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_PREFIX = "oai_dc"

# Arguments each verb accepts: (required, optional, exclusive).
VERBS = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _q(tag: str, ns: str = OAI_NS) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent, tag: str, text=None, ns: str = OAI_NS, **attrs):
    element = ET.SubElement(parent, _q(tag, ns), {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = str(text)
    return element


def _datestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def repository_identifier() -> str:
    return getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "leerbrug")


def oai_identifier(study: Study) -> str:
    return f"oai:{repository_identifier()}:study:{study.pk}"


def _study_pk(identifier: str) -> int | None:
    prefix = f"oai:{repository_identifier()}:study:"
    if not identifier.startswith(prefix) or not identifier[len(prefix) :].isdigit():
        return None
    return int(identifier[len(prefix) :])


def _parse_date(value: str, *, end: bool) -> tuple[datetime.datetime, str]:
    for fmt, granularity in (("%Y-%m-%d", "day"), ("%Y-%m-%dT%H:%M:%SZ", "seconds")):
        try:
            moment = datetime.datetime.strptime(value, fmt).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
        if granularity == "day" and end:
            moment += datetime.timedelta(days=1) - datetime.timedelta(microseconds=1)
        elif granularity == "seconds" and end:
            moment += datetime.timedelta(seconds=1) - datetime.timedelta(microseconds=1)
        return moment, granularity
    raise OAIError("badArgument", f"'{value}' is not a valid UTCdatetime.")


def _published():
    return Study.objects.published()


def _withdrawn():
    """Studies served as deleted records: once published, then withdrawn."""
    return Study.objects.filter(status=Study.Status.WITHDRAWN, withdrawn_at__isnull=False)


def _is_deleted(study: Study) -> bool:
    return study.status == Study.Status.WITHDRAWN


def _datestamp_of(study: Study) -> datetime.datetime:
    """A record's datestamp: its last change, or for a deleted record its withdrawal."""
    if _is_deleted(study) and study.withdrawn_at:
        return study.withdrawn_at
    return study.updated_at


def _records_queryset(args: dict, *, after_pk: int = 0):
    published, withdrawn = _published(), _withdrawn()
    if args.get("from"):
        start = _parse_date(args["from"], end=False)[0]
        published = published.filter(updated_at__gte=start)
        withdrawn = withdrawn.filter(withdrawn_at__gte=start)
    if args.get("until"):
        end = _parse_date(args["until"], end=True)[0]
        published = published.filter(updated_at__lte=end)
        withdrawn = withdrawn.filter(withdrawn_at__lte=end)
    qs = published | withdrawn
    if args.get("set"):
        spec = args["set"]
        if not spec.startswith("theme:") or not Theme.objects.filter(slug=spec[6:]).exists():
            raise OAIError("noRecordsMatch", "No set with this setSpec.")
        qs = qs.filter(themes__slug=spec[6:])
    return qs.order_by("pk"), qs.filter(pk__gt=after_pk).order_by("pk")


def _check_arguments(verb: str, args: dict):
    required, optional, exclusive = VERBS[verb]
    names = set(args)
    if exclusive and exclusive in names:
        if names != {exclusive}:
            raise OAIError("badArgument", f"{exclusive} is an exclusive argument.")
        return
    unknown = names - required - optional
    if unknown:
        raise OAIError("badArgument", f"Illegal argument(s): {', '.join(sorted(unknown))}.")
    missing = required - names
    if missing:
        raise OAIError("badArgument", f"Missing argument(s): {', '.join(sorted(missing))}.")
    if args.get("from") and args.get("until"):
        start, start_granularity = _parse_date(args["from"], end=False)
        end, end_granularity = _parse_date(args["until"], end=True)
        if start_granularity != end_granularity:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if start > end:
            raise OAIError("badArgument", "from is later than until.")


def _header(parent, study: Study):
    header = _sub(parent, "header", status="deleted" if _is_deleted(study) else None)
    _sub(header, "identifier", oai_identifier(study))
    _sub(header, "datestamp", _datestamp(_datestamp_of(study)))
    for theme in study.themes.all():
        _sub(header, "setSpec", f"theme:{theme.slug}")
    return header


def _dublin_core(parent, study: Study):
    metadata = _sub(parent, "metadata")
    dc = ET.SubElement(
        metadata,
        _q("dc", OAI_DC_NS),
        {_q("schemaLocation", XSI_NS): f"{OAI_DC_NS} {OAI_DC_SCHEMA}"},
    )

    def element(tag, value):
        if value:
            _sub(dc, tag, value, ns=DC_NS)

    element("title", study.title)
    for author in named_authors(study):
        element("creator", author.name)
    for theme in study.themes.all():
        element("subject", theme.name_nl)
    element("description", study.summary)
    element("publisher", study.school.partnership.name)
    element("contributor", study.school.name)
    assert study.published_at is not None, "only published or withdrawn studies are served"
    element("date", study.published_at.date().isoformat())
    element("type", "Text")
    element("identifier", absolute_url(study.get_absolute_url()))
    element("language", {"nl": "nld", "en": "eng"}.get(study.language, study.language))
    element("coverage", ", ".join(v for v in [study.city, study.school_year.name] if v))


def _with_record_data(qs):
    return named_authors_of(
        qs.select_related("school__partnership", "school_year")
    ).prefetch_related("themes")


def _list(verb: str, args: dict, body):
    page_size = int(getattr(settings, "OAI_PAGE_SIZE", 100))
    if "resumptionToken" in args:
        try:
            state = signing.loads(args["resumptionToken"], salt=TOKEN_SALT)
        except signing.BadSignature:
            raise OAIError("badResumptionToken", "The resumption token is invalid.") from None
        if state.get("verb") != verb:
            raise OAIError("badResumptionToken", "The token belongs to another verb.")
        list_args, after_pk, cursor = state["args"], state["after"], state["cursor"]
    else:
        list_args, after_pk, cursor = args, 0, 0
        if list_args["metadataPrefix"] != METADATA_PREFIX:
            raise OAIError("cannotDisseminateFormat", "Only oai_dc is supported.")
    everything, remaining = _records_queryset(list_args, after_pk=after_pk)
    studies = list(_with_record_data(remaining)[: page_size + 1])
    if not studies and cursor == 0:
        raise OAIError("noRecordsMatch", "No records match the arguments.")
    container = _sub(body, verb)
    for study in studies[:page_size]:
        if verb == "ListIdentifiers":
            _header(container, study)
        else:
            _record(container, study)
    if cursor or len(studies) > page_size:
        token_attrs = {"cursor": str(cursor), "completeListSize": str(everything.count())}
        token = _sub(container, "resumptionToken", **token_attrs)
        if len(studies) > page_size:
            token.text = signing.dumps(
                {
                    "verb": verb,
                    "args": {k: v for k, v in list_args.items() if k != "resumptionToken"},
                    "after": studies[page_size - 1].pk,
                    "cursor": cursor + page_size,
                },
                salt=TOKEN_SALT,
                compress=True,
            )


def _record(parent, study: Study) -> None:
    """A record: the header, and the metadata unless the record is deleted."""
    record = _sub(parent, "record")
    _header(record, study)
    if not _is_deleted(study):
        _dublin_core(record, study)


def _get_study(identifier: str):
    pk = _study_pk(identifier)
    study = None
    if pk:
        study = _with_record_data(_published()).filter(pk=pk).first() or (
            _withdrawn().prefetch_related("themes").filter(pk=pk).first()
        )
    if study is None:
        raise OAIError("idDoesNotExist", "No published study has this identifier.")
    return study


def _respond(verb: str, args: dict, body):
    if verb == "Identify":
        identify = _sub(body, "Identify")
        _sub(identify, "repositoryName", "Leerbrug kennisbank")
        _sub(identify, "baseURL", absolute_url(reverse("knowledge_base:oai")))
        _sub(identify, "protocolVersion", "2.0")
        _sub(identify, "adminEmail", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
        moments = [
            _published().aggregate(earliest=Min("updated_at"))["earliest"],
            _withdrawn().aggregate(earliest=Min("withdrawn_at"))["earliest"],
        ]
        earliest = min((moment for moment in moments if moment), default=timezone.now())
        _sub(identify, "earliestDatestamp", _datestamp(earliest))
        _sub(identify, "deletedRecord", "persistent")
        _sub(identify, "granularity", GRANULARITY)
    elif verb == "ListMetadataFormats":
        if "identifier" in args:
            _get_study(args["identifier"])
        formats = _sub(body, "ListMetadataFormats")
        metadata_format = _sub(formats, "metadataFormat")
        _sub(metadata_format, "metadataPrefix", METADATA_PREFIX)
        _sub(metadata_format, "schema", OAI_DC_SCHEMA)
        _sub(metadata_format, "metadataNamespace", OAI_DC_NS)
    elif verb == "ListSets":
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", "ListSets is never split; no token is valid.")
        sets = _sub(body, "ListSets")
        for theme in Theme.objects.order_by("slug"):
            oai_set = _sub(sets, "set")
            _sub(oai_set, "setSpec", f"theme:{theme.slug}")
            _sub(oai_set, "setName", f"{theme.name_nl} / {theme.name_en}")
    elif verb == "GetRecord":
        if args["metadataPrefix"] != METADATA_PREFIX:
            _get_study(args["identifier"])
            raise OAIError("cannotDisseminateFormat", "Only oai_dc is supported.")
        _record(_sub(body, "GetRecord"), _get_study(args["identifier"]))
    else:
        _list(verb, args, body)


@csrf_exempt  # read-only; OAI-PMH harvesters may POST (the protocol allows it)
@require_http_methods(["GET", "HEAD", "POST"])
def oai(request):
    data = request.POST if request.method == "POST" else request.GET
    root = ET.Element(_q("OAI-PMH"), {_q("schemaLocation", XSI_NS): f"{OAI_NS} {OAI_SCHEMA}"})
    _sub(root, "responseDate", _datestamp(timezone.now()))
    request_element = _sub(root, "request", absolute_url(reverse("knowledge_base:oai")))
    verb = data.get("verb", "")
    try:
        if any(len(values) > 1 for _key, values in data.lists()):
            raise OAIError("badArgument", "An argument is repeated.")
        if verb not in VERBS:
            raise OAIError("badVerb", "Missing or illegal verb.")
        args = {key: value for key, value in data.items() if key != "verb"}
        _check_arguments(verb, args)
        # Only a valid request echoes its arguments (OAI-PMH 2.0, section 3.2).
        request_element.set("verb", verb)
        for key, value in args.items():
            request_element.set(key, value)
        _respond(verb, args, root)
    except OAIError as error:
        if error.code in {"badVerb", "badArgument"}:
            request_element.attrib.clear()
        for child in list(root)[2:]:
            root.remove(child)
        _sub(root, "error", error.message, code=error.code)
    _register_prefixes()
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")
