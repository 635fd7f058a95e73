"""Demo history for the research teams: cycles at different stages, filled-in
study fields, log entries with comments and an attachment, transitions."""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from .models import (
    Attachment,
    ChecklistCheck,
    Comment,
    CycleStage,
    LogEntry,
    PreviewStatus,
    ResearchCycle,
    StageTransition,
)
from .services import attachment_make_preview


def _demo_photo(entry: LogEntry, coach) -> None:
    """A photo of the reading corner's tally board, with its thumbnail made right away
    (no worker runs while the demo is seeded)."""
    image = Image.new("RGB", (640, 420), "#f4efe6")
    draw = ImageDraw.Draw(image)
    for index, height in enumerate((120, 210, 160, 300)):
        left = 80 + index * 130
        draw.rectangle((left, 380 - height, left + 80, 380), fill="#0b4f6c")
    draw.line((40, 380, 600, 380), fill="#222222", width=4)
    output = io.BytesIO()
    image.save(output, "PNG")
    photo = Attachment(
        log_entry=entry,
        original_name="leeshoek-turfbord.png",
        content_type="image/png",
        size=0,
        uploaded_by=coach,
        preview_status=PreviewStatus.PENDING,
    )
    photo.file.save("turfbord.png", ContentFile(output.getvalue()), save=False)
    photo.size = photo.file.size
    photo.save()
    attachment_make_preview(attachment_id=photo.pk)


HOME_STUDY = {
    "dilemma": (
        "Veel leerlingen van het vijfde en zesde leerjaar lezen buiten de les nauwelijks. "
        "Leerkrachten merken dat het leesplezier daalt na de derde graad."
    ),
    "beliefs": (
        "- Leerlingen lezen meer als ze zelf mogen kiezen.\n"
        "- Thuis wordt weinig Nederlands gelezen, dus de school moet het doen.\n"
        "- Voorlezen is iets voor kleuters."
    ),
    "research_question": (
        "Hoe verhoogt vrije boekkeuze met dagelijks kwartierlezen de leesmotivatie "
        "van leerlingen in de derde graad?"
    ),
    "hypotheses": (
        "Leerlingen die zelf boeken kiezen en elke dag een kwartier lezen, rapporteren na "
        "acht weken meer leesplezier dan bij de start."
    ),
    "inspiration_sources": (
        "- Stichting Lezen Vlaanderen, *Leesmotivatie in de basisschool* (2021)\n"
        "- Gesprek met de schoolbibliothecaris van Basisschool Sint-Guido\n"
        "- Webinar van de lerarenopleiding over leesbevordering"
    ),
    "data_collection_plan": (
        "Vragenlijst leesmotivatie bij start en na acht weken (leerlingen), focusgesprek met "
        "zes leerlingen, korte bevraging van ouders via de schoolapp, observaties van collega's."
    ),
}

OTHER_THEMES_STAGES = [8, 2, 5, 3, 6, 7, 1, 4]  # stage order reached by the other demo teams


def _at(days_ago: int, hour: int = 15) -> datetime.datetime:
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    return moment.replace(hour=hour, minute=30, second=0, microsecond=0)


def _make_cycle(team, stages, reach_order: int, started_days_ago: int, user):
    """A cycle that moved through the stages up to ``reach_order``, with history."""
    first = stages[0]
    cycle = ResearchCycle.objects.create(
        team=team,
        number=1,
        current_stage=first,
        stage_entered_at=_at(started_days_ago),
        started_at=_at(started_days_ago),
    )
    transitions = [
        StageTransition(cycle=cycle, kind=StageTransition.Kind.START, to_stage=first, user=user)
    ]
    moments = [_at(started_days_ago)]
    step = max(1, (started_days_ago - 5) // max(reach_order, 1))
    for index in range(1, reach_order):
        transitions.append(
            StageTransition(
                cycle=cycle,
                kind=StageTransition.Kind.ADVANCE,
                from_stage=stages[index - 1],
                to_stage=stages[index],
                user=user,
            )
        )
        moments.append(_at(started_days_ago - step * index))
    created = StageTransition.objects.bulk_create(transitions)
    for transition, moment in zip(created, moments, strict=True):
        StageTransition.objects.filter(pk=transition.pk).update(created_at=moment)
    cycle.current_stage = stages[reach_order - 1]
    cycle.stage_entered_at = moments[-1]
    cycle.save()
    team.current_cycle = cycle
    team.save(update_fields=["current_cycle"])
    return cycle, moments


def seed(network) -> None:
    if ResearchCycle.objects.filter(team__school_year=network.school_year).exists():
        return  # idempotent: the demo history is there already
    stages = list(CycleStage.objects.order_by("order"))
    people = network.people
    coach, research_teacher = people["coach"], people["research_teacher"]
    student_teacher, bridge_builder = people["student_teacher"], people["bridge_builder"]

    # The demo team: in data collection, with a rich history.
    home = network.home_team
    cycle, moments = _make_cycle(home, stages, 5, 70, coach)
    for field, value in HOME_STUDY.items():
        setattr(cycle, field, value)
    cycle.perspectives = ["pupils", "parents", "colleagues"]
    cycle.field_versions = dict.fromkeys(HOME_STUDY, 1)
    cycle.save()
    ChecklistCheck.objects.create(
        cycle=cycle, item=stages[4].checklist_items.order_by("order")[0], checked_by=coach
    )
    diary = [
        (
            66,
            1,
            coach,
            "Eerste teamoverleg: we benoemen het dilemma rond leesplezier in de derde graad.",
        ),
        (
            60,
            2,
            research_teacher,
            "Iedereen schreef zijn **overtuigingen** over lezen op post-its. "
            "Opvallend: we denken allemaal dat keuzevrijheid helpt, maar niemand weet het zeker.",
        ),
        (52, 3, coach, "Onderzoeksvraag geformuleerd en besproken met de bruggenbouwer."),
        (45, 4, student_teacher, "Drie artikels over leesmotivatie samengevat voor het team."),
        (
            38,
            4,
            bridge_builder,
            "Contact gelegd met Basisschool Sint-Guido, die al twee jaar kwartierlezen doet.",
        ),
        (30, 5, coach, "Vragenlijst leesmotivatie afgenomen in 5A, 5B en 6A (68 leerlingen)."),
        (24, 5, student_teacher, "Focusgesprek met zes leerlingen over hun leesgewoonten."),
        (
            12,
            5,
            research_teacher,
            "Oudervragenlijst verstuurd via de schoolapp; 41 antwoorden tot nu.",
        ),
    ]
    entries = []
    for days_ago, order, author, text in diary:
        entries.append(
            LogEntry(
                cycle=cycle,
                stage=stages[order - 1],
                author=author,
                occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
                summary=text,
                decisions="We gaan verder volgens plan." if order >= 3 else "",
                next_steps="Bespreken op het volgende teamoverleg." if order >= 4 else "",
                perspectives=["pupils"] if order == 5 else [],
            )
        )
    entries = LogEntry.objects.bulk_create(entries)
    Comment.objects.create(
        log_entry=entries[5],
        author=bridge_builder,
        body="Mooi werk! Denk eraan de antwoorden te anonimiseren voor jullie ze delen.",
    )
    attachment = Attachment(
        log_entry=entries[5],
        original_name="vragenlijst-leesmotivatie-resultaten.csv",
        content_type="text/csv",
        size=0,
        uploaded_by=coach,
    )
    content = "klas;leerling;leesplezier_start\n5A;1;3\n5A;2;4\n5B;1;2\n6A;1;5\n"
    attachment.file.save("resultaten.csv", ContentFile(content.encode()), save=False)
    attachment.size = attachment.file.size
    attachment.save()
    _demo_photo(entries[5], coach)

    # The other schools' teams at different stages, a little history each.
    for index, school in enumerate(network.schools[1:], 1):
        team = network.teams[school.pk]
        reach = OTHER_THEMES_STAGES[index % len(OTHER_THEMES_STAGES)]
        author = team.memberships.first().user if team.memberships.exists() else coach
        other_cycle, _moments = _make_cycle(team, stages, reach, 40 + index * 3, author)
        other_cycle.research_question = (
            f"Wat werkt voor onze leerlingen rond “{team.theme.lower()}”?"
        )
        other_cycle.save(update_fields=["research_question"])
        LogEntry.objects.create(
            cycle=other_cycle,
            stage=stages[reach - 1],
            author=author,
            occurred_on=timezone.localdate() - datetime.timedelta(days=3 + index * 2),
            summary=f"Teamoverleg over {team.theme.lower()}.",
        )
