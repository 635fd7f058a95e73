"""Seed the eight stages of the research cycle (Onderzoekende School?!, figure 1)."""

from django.db import migrations

STAGES = [
    (
        "dilemma",
        "Dilemma",
        "Dilemma",
        "Benoem samen een professioneel dilemma of een uitdaging uit de praktijk die "
        "ertoe doet voor de school en de leerlingen.",
        "Name together a professional dilemma or practice challenge that matters to the "
        "school and its pupils.",
        [
            ("Het dilemma is in één of twee zinnen beschreven.",
             "The dilemma is described in one or two sentences."),
            ("De schoolleider weet waarom dit dilemma ertoe doet voor de school.",
             "The school leader knows why this dilemma matters to the school."),
            ("Het hele onderzoeksteam herkent zich in het dilemma.",
             "The whole research team recognises the dilemma."),
        ],
    ),
    (
        "beliefs",
        "Overtuigingen",
        "Beliefs",
        "Maak de eigen veronderstellingen en overtuigingen van het team over het dilemma expliciet.",
        "Make the team's own assumptions and beliefs about the dilemma explicit.",
        [
            ("Elk teamlid heeft zijn of haar overtuigingen verwoord.",
             "Every team member has put their beliefs into words."),
            ("De overtuigingen zijn genoteerd in het onderzoek.",
             "The beliefs are written down in the study."),
        ],
    ),
    (
        "question",
        "Onderzoeksvraag",
        "Question",
        "Formuleer de onderzoeksvraag en de hypothesen.",
        "Formulate the research question and the hypotheses.",
        [
            ("De onderzoeksvraag is concreet en onderzoekbaar in de eigen praktijk.",
             "The research question is concrete and can be researched in our own practice."),
            ("De hypothesen zijn genoteerd.", "The hypotheses are written down."),
            ("De bruggenbouwer heeft feedback gegeven op de vraag.",
             "The bridge-builder has given feedback on the question."),
        ],
    ),
    (
        "inspiration",
        "Inspiratie",
        "Inspiration",
        "Lees onderzoek en raadpleeg experts en andere scholen (inspiratiebronnen).",
        "Read research and consult experts and other schools (inspiration sources).",
        [
            ("Minstens twee bronnen uit de literatuur zijn gelezen en samengevat.",
             "At least two sources from the literature have been read and summarised."),
            ("Een expert of andere school is geraadpleegd.",
             "An expert or another school has been consulted."),
        ],
    ),
    (
        "data_collection",
        "Dataverzameling",
        "Data collection",
        "Verzamel data in de eigen praktijk, bij leerlingen, ouders, collega's en andere "
        "betrokkenen (multiperspectivisme).",
        "Collect data in your own practice, from pupils, parents, colleagues and other "
        "stakeholders (multiple perspectives).",
        [
            ("Het plan voor dataverzameling (wie, wat, hoe) staat op papier.",
             "The data-collection plan (who, what, how) is written down."),
            ("Toestemming voor de dataverzameling is geregeld.",
             "Consent for the data collection is arranged."),
            ("De data zijn verzameld bij minstens twee perspectieven.",
             "Data has been collected from at least two perspectives."),
        ],
    ),
    (
        "analysis",
        "Analyse",
        "Analysis",
        "Analyseer en interpreteer de data samen.",
        "Analyse and interpret the data together.",
        [
            ("De data zijn samen met het team geanalyseerd.",
             "The data has been analysed together with the team."),
            ("De bevindingen zijn genoteerd.", "The findings are written down."),
        ],
    ),
    (
        "action",
        "Actie",
        "Action",
        "Voer een onderbouwde verandering door in de praktijk.",
        "Make an evidence-informed change in practice.",
        [
            ("De actie volgt uit de bevindingen.", "The action follows from the findings."),
            ("Het schoolteam is geïnformeerd over de actie.",
             "The school team is informed about the action."),
        ],
    ),
    (
        "evaluation",
        "Evaluatie en delen",
        "Evaluation and sharing",
        "Meet het effect van de actie, deel met het schoolteam en het netwerk en publiceer het onderzoek.",
        "Measure the effect of the action, share with the school team and the network, and "
        "publish the study.",
        [
            ("Het effect van de actie is gemeten.", "The effect of the action has been measured."),
            ("De resultaten zijn gedeeld met het schoolteam.",
             "The results have been shared with the school team."),
            ("De resultaten zijn gedeeld in het lerend netwerk.",
             "The results have been shared in the learning network."),
        ],
    ),
]


def seed(apps, schema_editor):
    CycleStage = apps.get_model("research_cycle", "CycleStage")
    ChecklistItem = apps.get_model("research_cycle", "ChecklistItem")
    for order, (code, name_nl, name_en, guidance_nl, guidance_en, items) in enumerate(STAGES, 1):
        stage, _ = CycleStage.objects.update_or_create(
            code=code,
            defaults={
                "order": order,
                "name_nl": name_nl,
                "name_en": name_en,
                "guidance_nl": guidance_nl,
                "guidance_en": guidance_en,
            },
        )
        for item_order, (text_nl, text_en) in enumerate(items, 1):
            ChecklistItem.objects.update_or_create(
                stage=stage, order=item_order, defaults={"text_nl": text_nl, "text_en": text_en}
            )


def unseed(apps, schema_editor):
    apps.get_model("research_cycle", "CycleStage").objects.filter(
        code__in=[stage[0] for stage in STAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("research_cycle", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
