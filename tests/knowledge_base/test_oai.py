"""OAI-PMH 2.0: every verb answers well-formed, namespaced XML with the protocol's
required elements and error codes; a harvest through resumption tokens returns
every published record exactly once."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from lxml import etree

from knowledge_base.models import Study
from knowledge_base.services import study_withdraw

from .conftest import make_study

pytestmark = pytest.mark.django_db

OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {
    "oai": OAI,
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def oai(client, method="get", **params):
    response = getattr(client, method)("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{OAI}}}OAI-PMH"
    assert root.get(f"{{{NS['xsi']}}}schemaLocation") == (
        f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    )
    children = [etree.QName(child).localname for child in root]
    assert children[:2] == ["responseDate", "request"]
    assert root.findtext("oai:responseDate", namespaces=NS).endswith("Z")
    assert root.findtext("oai:request", namespaces=NS) == f"{settings.LEERBRUG_BASE_URL}/oai"
    return root


def error_code(root) -> str | None:
    error = root.find("oai:error", namespaces=NS)
    return None if error is None else error.get("code")


def identifier(study) -> str:
    return f"oai:leerbrug:study:{study.pk}"


def test_identify(client, library):
    root = oai(client, verb="Identify")
    identify = root.find("oai:Identify", namespaces=NS)
    assert identify.findtext("oai:baseURL", namespaces=NS) == f"{settings.LEERBRUG_BASE_URL}/oai"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    for required in ["repositoryName", "adminEmail", "earliestDatestamp"]:
        assert identify.findtext(f"oai:{required}", namespaces=NS), required
    assert root.find("oai:request", namespaces=NS).get("verb") == "Identify"


def test_post_is_allowed_like_get(client, library):
    root = oai(client, "post", verb="Identify")
    assert root.find("oai:Identify", namespaces=NS) is not None


def test_list_metadata_formats_and_sets(client, library):
    root = oai(client, verb="ListMetadataFormats")
    formats = root.findall("oai:ListMetadataFormats/oai:metadataFormat", namespaces=NS)
    assert [f.findtext("oai:metadataPrefix", namespaces=NS) for f in formats] == ["oai_dc"]
    assert formats[0].findtext("oai:metadataNamespace", namespaces=NS) == NS["oai_dc"]
    root = oai(client, verb="ListMetadataFormats", identifier=identifier(library.published[0]))
    assert error_code(root) is None

    root = oai(client, verb="ListSets")
    specs = root.xpath("//oai:set/oai:setSpec/text()", namespaces=NS)
    # One set per theme of the controlled vocabulary (seeded ones included), sorted.
    from knowledge_base.models import Theme

    expected = sorted(f"theme:{slug}" for slug in Theme.objects.values_list("slug", flat=True))
    assert specs == expected
    assert {"theme:feedback", "theme:leesmotivatie", "theme:welbevinden"} <= set(specs)


def test_get_record_in_dublin_core(client, library):
    study = library.published[0]
    root = oai(client, verb="GetRecord", identifier=identifier(study), metadataPrefix="oai_dc")
    record = root.find("oai:GetRecord/oai:record", namespaces=NS)
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == identifier(study)
    assert record.findtext("oai:header/oai:setSpec", namespaces=NS) == "theme:leesmotivatie"
    dc = record.find("oai:metadata/oai_dc:dc", namespaces=NS)
    assert dc.get(f"{{{NS['xsi']}}}schemaLocation") == (
        f"{NS['oai_dc']} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
    )
    assert dc.findtext("dc:title", namespaces=NS) == "Leesmotivatie in het derde leerjaar"
    assert dc.xpath("dc:creator/text()", namespaces=NS) == ["Sara Peeters"]
    assert (
        dc.findtext("dc:identifier", namespaces=NS)
        == f"{settings.LEERBRUG_BASE_URL}/studies/{study.slug}/"
    )
    assert dc.findtext("dc:language", namespaces=NS) == "nld"
    assert dc.findtext("dc:date", namespaces=NS) == study.published_at.date().isoformat()


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "gisteren"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc",
             "from": "2024-01-01", "until": "2024-01-01T00:00:00Z"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
         "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "vervalst"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:leerbrug:study:0"},
         "idDoesNotExist"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "onzin"},
         "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
         "noRecordsMatch"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "theme:bestaat-niet"},
         "noRecordsMatch"),
    ],
)  # fmt: skip
def test_protocol_errors(client, library, params, code):
    root = oai(client, **params)
    assert error_code(root) == code
    assert len(root) == 3  # responseDate, request, error: no partial answer
    request_attributes = root.find("oai:request", namespaces=NS).attrib
    if code in {"badVerb", "badArgument"}:
        assert dict(request_attributes) == {}


def test_repeated_argument_is_bad(client, library):
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert b'code="badArgument"' in response.content


def test_cannot_disseminate_other_formats_of_a_record(client, library):
    root = oai(client, verb="GetRecord", identifier=identifier(library.published[0]),
               metadataPrefix="marc21")  # fmt: skip
    assert error_code(root) == "cannotDisseminateFormat"


def test_selective_harvest_by_set_and_date(client, library):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="theme:leesmotivatie")
    found = root.xpath("//oai:header/oai:identifier/text()", namespaces=NS)
    assert sorted(found) == sorted(identifier(s) for s in library.published[:2])
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2000-01-01"},
               until="2999-12-31")  # fmt: skip
    assert len(root.xpath("//oai:header[not(@status)]", namespaces=NS)) == 3
    assert len(root.xpath("//oai:header[@status='deleted']", namespaces=NS)) == 1


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_full_harvest_via_resumption_tokens_returns_each_record_once(
    client, network, library, settings, verb
):
    settings.OAI_PAGE_SIZE = 4
    for number in range(8):
        make_study(school=network.school, school_year=network.school_year,
                   title=f"Extra {number}")  # fmt: skip
    # The published studies and the withdrawn one (a deleted record).
    expected = {identifier(s) for s in Study.objects.exclude(published_at=None)}
    assert len(expected) == 12
    harvested, cursors = [], []
    root = oai(client, verb=verb, metadataPrefix="oai_dc")
    while True:
        container = root.find(f"oai:{verb}", namespaces=NS)
        harvested += container.xpath(".//oai:header/oai:identifier/text()", namespaces=NS)
        token = container.find("oai:resumptionToken", namespaces=NS)
        assert token is not None
        assert token.get("completeListSize") == "12"
        cursors.append(token.get("cursor"))
        if not token.text:
            break
        root = oai(client, verb=verb, resumptionToken=token.text)
        assert root.find("oai:request", namespaces=NS).get("resumptionToken") == token.text
    assert cursors == ["0", "4", "8"]
    assert len(harvested) == len(set(harvested)) == 12
    assert set(harvested) == expected


def test_a_token_of_one_verb_is_refused_by_another(client, network, library, settings):
    settings.OAI_PAGE_SIZE = 2
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext("oai:ListIdentifiers/oai:resumptionToken", namespaces=NS)
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )


# --- Deleted records: a withdrawn study is announced, never shown ----------------------


@pytest.fixture
def withdrawn(network, library):
    """A published study withdrawn through the service on 2026-03-10 at 09:30 UTC."""
    study = library.published[1]
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 30, 12, tzinfo=datetime.UTC)):
        study_withdraw(
            study=study, user=network.people["network_admin"], note="Leerling herkenbaar."
        )
    return study


def assert_nothing_of(study, response_content: bytes) -> None:
    text = response_content.decode()
    for secret in [study.title, study.summary, study.findings, study.slug, "<metadata", "dc:"]:
        assert secret not in text


def deleted_header(root, study):
    (header,) = root.xpath(f"//oai:header[oai:identifier='{identifier(study)}']", namespaces=NS)
    assert header.get("status") == "deleted"
    return header


def test_a_withdrawn_study_is_a_deleted_header_in_list_identifiers(client, library, withdrawn):
    response = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(response.content)
    header = deleted_header(root, withdrawn)
    assert header.findtext("oai:identifier", namespaces=NS) == identifier(withdrawn)
    assert header.findtext("oai:datestamp", namespaces=NS) == "2026-03-10T09:30:12Z"
    assert header.xpath("oai:setSpec/text()", namespaces=NS) == [
        "theme:feedback",
        "theme:leesmotivatie",
    ]
    # The two studies still published; the library's own withdrawn study is deleted too.
    assert len(root.xpath("//oai:header[not(@status)]", namespaces=NS)) == 2
    assert len(root.xpath("//oai:header[@status='deleted']", namespaces=NS)) == 2
    for study in [withdrawn, *library.unpublished]:
        assert study.title not in response.content.decode()


def test_list_records_and_get_record_give_a_withdrawn_study_a_header_and_no_metadata(
    client, withdrawn
):
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(response.content)
    record = deleted_header(root, withdrawn).getparent()
    assert [etree.QName(child).localname for child in record] == ["header"]
    assert len(root.xpath("//oai:record/oai:metadata", namespaces=NS)) == 2
    assert withdrawn.title not in response.content.decode()
    assert "Geheimwoord" not in response.content.decode()

    params = {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier(withdrawn)}
    response = client.get("/oai", params)
    root = etree.fromstring(response.content)
    assert error_code(root) is None
    (record,) = root.xpath("//oai:GetRecord/oai:record", namespaces=NS)
    assert record.find("oai:header", namespaces=NS).get("status") == "deleted"
    assert record.find("oai:metadata", namespaces=NS) is None
    assert_nothing_of(withdrawn, response.content)
    formats = oai(client, verb="ListMetadataFormats", identifier=identifier(withdrawn))
    assert error_code(formats) is None


def test_selective_harvest_finds_a_withdrawal_by_its_datestamp(client, withdrawn):
    def found(**arguments) -> bool:
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
        if error_code(root) == "noRecordsMatch":
            return False
        found = root.xpath("//oai:header[@status='deleted']/oai:identifier/text()", namespaces=NS)
        return identifier(withdrawn) in found

    # A harvester that last came on 1 March learns of the withdrawal of 10 March.
    assert found(**{"from": "2026-03-01"}, until="2026-03-31")
    assert found(**{"from": "2026-03-10T09:30:12Z"}, until="2026-03-10T09:30:12Z")
    assert found(until="2026-03-10")
    assert not found(**{"from": "2026-03-10T09:30:13Z"}, until="2026-03-31T00:00:00Z")
    assert not found(until="2026-03-09")
    assert found(set="theme:feedback")
    assert not found(set="theme:welbevinden")


def test_identify_counts_withdrawals_in_the_earliest_datestamp(client, network, db):
    study = make_study(school=network.school, school_year=network.school_year)
    with time_machine.travel(datetime.datetime(2020, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)):
        study_withdraw(study=study, user=network.people["network_admin"], note="Ingetrokken.")
    Study.objects.filter(pk=study.pk).update(updated_at=timezone.now())
    identify = oai(client, verb="Identify").find("oai:Identify", namespaces=NS)
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == "2020-01-02T03:04:05Z"


def test_responses_keep_the_oai_prefixes_after_a_pdf_was_made(client, library):
    """WeasyPrint maps the empty prefix to no namespace when it is imported (the
    yearly review's PDF): harvesters still get the OAI namespace as the default one,
    not ``ns0:`` prefixes."""
    from xml.etree import ElementTree

    import weasyprint.pdf.metadata  # noqa: F401  (registers its prefixes on import)

    ElementTree.register_namespace("", "")
    oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    text = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).content
    assert b"<ListIdentifiers>" in text
    assert b"ns0:" not in text
