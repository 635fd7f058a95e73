"""The Flemish baseline, as data: 24 % of new primary and 44 % of new secondary
teachers leave within five years. The article (Tijdschrift voor Lerarenopleiders
44(4), 2023) gives it as "gemiddeld genomen 24% van de lagere school leerkrachten en
44% van de leerkrachten in het secundair binnen de vijf jaar vertrekken
(schriftelijke vraag Vlaams Parlement, 2018)"; the source is cited in those words."""

from decimal import Decimal

from django.db import migrations

SOURCE = "Schriftelijke vraag Vlaams Parlement, 2018"
#: The article's title is not in our copy of it: the journal and issue identify it.
CITED_IN = "Tijdschrift voor Lerarenopleiders 44(4), 2023"
BASELINES = [
    (
        "primary",
        Decimal("24.0"),
        "Gemiddeld aandeel leerkrachten van de lagere school in Vlaanderen dat het beroep "
        "binnen de eerste vijf jaar verlaat.",
        "Average share of primary school teachers in Flanders who leave the profession "
        "within their first five years.",
    ),
    (
        "secondary",
        Decimal("44.0"),
        "Gemiddeld aandeel leerkrachten in het secundair onderwijs in Vlaanderen dat het "
        "beroep binnen de eerste vijf jaar verlaat.",
        "Average share of secondary school teachers in Flanders who leave the profession "
        "within their first five years.",
    ),
]


def seed(apps, schema_editor):
    Baseline = apps.get_model("retention", "Baseline")
    for level, share, definition_nl, definition_en in BASELINES:
        Baseline.objects.get_or_create(
            level=level,
            defaults={
                "years": 5,
                "share_leaving": share,
                "definition_nl": definition_nl,
                "definition_en": definition_en,
                "source": SOURCE,
                "cited_in": CITED_IN,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
