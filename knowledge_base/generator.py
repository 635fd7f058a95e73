"""Realistic Dutch studies in bulk, for load tests and the benchmark (never for demo data).

Used by ``manage.py generate_studies``. A search benchmark is only as hard as its
corpus (issue 17): words are drawn from a vocabulary of 8,000 Dutch(-like) words
by a Zipf–Mandelbrot law (s = 1.1), with function words and education words at
the head, about 4 % from the study's theme and 0.5 % from 20,000 rare compounds,
200-250 words a study over title, summary, question, findings and lessons; the
same seed gives the same studies. The texts are not sentences one would write;
their word frequencies are those of real studies.
"""

import datetime
import itertools
import random
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partnership.models import Institution, Partnership, SchoolYear
from research_cycle.models import Perspective
from schools.models import School

from .models import Study, Theme

THEMES = [
    ("leesmotivatie", "Leesmotivatie", "Reading motivation"),
    ("feedback", "Feedback", "Feedback"),
    ("differentiatie", "Differentiatie", "Differentiation"),
    ("ouderbetrokkenheid", "Ouderbetrokkenheid", "Parental involvement"),
    ("welbevinden", "Welbevinden", "Well-being"),
    ("meertaligheid", "Meertaligheid", "Multilingualism"),
    ("formatief-evalueren", "Formatief evalueren", "Formative assessment"),
    ("samenwerkend-leren", "Samenwerkend leren", "Cooperative learning"),
    ("klasmanagement", "Klasmanagement", "Classroom management"),
    ("stem", "STEM", "STEM"),
    ("burgerschap", "Burgerschap", "Citizenship"),
    ("digitale-geletterdheid", "Digitale geletterdheid", "Digital literacy"),
]
CITIES = [
    "Anderlecht", "Brussel", "Molenbeek", "Schaarbeek", "Jette", "Elsene", "Etterbeek",
    "Sint-Gillis", "Vorst", "Ukkel", "Laken", "Koekelberg", "Ganshoren", "Evere",
    "Vilvoorde", "Halle", "Dilbeek", "Asse", "Grimbergen", "Zaventem", "Machelen",
    "Sint-Pieters-Leeuw", "Aalst", "Mechelen", "Leuven",
]  # fmt: skip
# The head of the vocabulary, most frequent first: Dutch function words with the
# education words a study uses on every page woven in ("leerlingen" at rank 12 is
# in ~90 % of the studies).
FUNCTION_WORDS = [
    "de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "met", "voor", "zijn",
    "niet", "aan", "er", "om", "ook", "als", "bij", "of", "door", "maar", "dan", "nog", "naar",
    "over", "uit", "zo", "wat", "die", "dit", "deze", "ze", "we", "wij", "hun", "onze", "ons",
    "hoe", "waar", "wanneer", "meer", "veel", "vaak", "al", "wel", "geen", "tot", "na",
    "tijdens", "zonder", "omdat", "want", "toch", "sinds", "elke"
]  # fmt: skip
EDUCATION_WORDS = [
    "leerlingen", "school", "leerkrachten", "klas", "onderzoek", "les", "lessen", "leerkracht",
    "ouders", "schoolteam", "onderwijs", "leren", "directie", "collega's", "klassen",
    "resultaten", "aanpak", "vragenlijst", "observaties", "leerjaar", "graad", "basisschool",
    "secundair", "kleuters", "student-leraren", "lerarenopleiding", "bruggenbouwer",
    "onderzoeksvraag", "data", "analyse", "interviews", "focusgroep", "gesprekken", "praktijk",
    "werking", "doelen", "leerdoelen", "evaluatie", "toetsen", "rapport", "zorg",
    "zorgcoördinator", "leerlingbegeleiding", "taal", "lezen", "schrijven", "rekenen",
    "wiskunde", "wereldoriëntatie", "muzische", "vakken", "sport", "speelplaats", "middagpauze",
    "huiswerk", "instructie", "oefening", "opdracht", "opdrachten", "groepswerk", "hoeken",
    "contract", "planning", "leerlijn", "curriculum", "eindtermen", "leerplan", "inspectie",
    "beleid", "visie", "schoolbeleid", "professionalisering", "nascholing", "coaching",
    "mentor", "stage", "stagiair", "begeleiding", "klasbezoek", "intervisie", "reflectie",
    "portfolio", "logboek", "dagboek", "zelfevaluatie", "bevraging", "enquête", "steekproef",
    "meting", "voormeting", "nameting", "effect", "effecten", "verschil", "verbetering",
    "motivatie", "betrokkenheid", "welzijn", "gedrag", "concentratie", "zelfstandigheid",
    "samenwerking", "communicatie", "participatie", "inspraak", "leerlingenraad", "diversiteit",
    "armoede", "gelijke", "kansen", "anderstaligen", "nieuwkomers", "thuistaal", "woordenschat",
    "begrijpend", "leesbegrip", "schrijfvaardigheid", "spreken", "luisteren",
    "rekenvaardigheid", "probleemoplossend", "denken", "creativiteit", "kritisch", "digitaal",
    "laptops", "tablets", "platform", "methode", "handboek", "materiaal", "klasinrichting",
    "klasafspraken", "regels", "routines", "overgangen", "evaluatiemoment", "feedbackmoment",
    "oudercontact", "oudercafé", "schoolraad", "netwerk", "partnerschool", "hogeschool",
    "universiteit"
]  # fmt: skip
WERKVORM_RANK = 1200  # "werkvorm" (with the theme word "werkvormen"): in about 7 % of the studies
# Stems of the generated tail of the vocabulary and of the rare compounds.
STEMS = [
    "lees", "reken", "taal", "klas", "school", "leer", "ouder", "team", "les", "toets", "groep",
    "spel", "werk", "denk", "schrijf", "spreek", "luister", "kijk", "doe", "maak", "zoek",
    "vraag", "antwoord", "hoek", "kring", "bord", "boek", "blad", "map", "kaart", "lijst",
    "schema", "plan", "doel", "stap", "fase", "cyclus", "ronde", "week", "dag", "jaar", "uur",
    "pauze", "speel", "sport", "muziek", "beeld", "drama", "dans", "natuur", "techniek", "tuin",
    "keuken", "bib", "media", "beeld", "video", "foto", "film", "computer", "tablet", "robot",
    "code", "data", "meet", "weeg", "tel", "vorm", "kleur", "klank", "woord", "zin", "tekst",
    "verhaal", "gedicht", "brief", "kaart", "spel", "puzzel"
]  # fmt: skip
ENDINGS = [
    "plan", "moment", "gesprek", "aanpak", "kring", "boek", "taak", "vaardigheid", "houding",
    "cultuur", "begeleiding", "afspraak", "routine", "structuur", "omgeving", "materiaal",
    "opdracht", "oefening", "ervaring", "onderzoek", "reflectie", "evaluatie", "observatie",
    "analyse", "strategie", "methode", "traject", "project", "proces", "resultaat", "effect",
    "verslag", "dossier", "portfolio", "logboek", "schema", "kader", "model", "tool", "fiche",
    "bundel", "bank", "hoek", "tafel", "muur", "wand", "kast", "doos", "koffer", "tas", "les",
    "week", "dag", "uur", "rooster", "lijn", "pad", "route", "plek", "ruimte", "zone", "veld",
    "stoel", "kalender", "agenda", "feest", "markt", "reis", "bezoek", "uitstap", "dagboek",
    "spel", "wedstrijd", "quiz", "toets", "test", "vraag", "kaart", "bord", "scherm", "klok",
    "bel", "signaal", "teken", "regel", "norm", "waarde", "idee"
]  # fmt: skip
TAIL_SIZE = 8000  # words in the vocabulary (the head included)
RARE_COMPOUNDS = 20_000
ZIPF_S, ZIPF_Q = 1.1, 2.7  # Zipf–Mandelbrot: weight of rank k is 1 / (k + q) ** s
THEME_SHARE, RARE_SHARE = 0.04, 0.005
# Each theme: its code, Dutch and English name, and the words that belong to it.
THEME_WORDS = {
    "leesmotivatie": "leesmotivatie leesplezier boekenkring voorlezen leeshoek "
    "leesbevordering bibliotheek leesbeleving jeugdboeken leesgedrag",
    "feedback": "feedback peerfeedback feedbackgesprekken feedforward "
    "zelfbeoordeling rubrics commentaar succescriteria leerwinst tussentijds",
    "differentiatie": "differentiatie niveaugroepen uitdaging verrijking remediëring "
    "tempo compacten instructiegroepen verlengde sterke",
    "ouderbetrokkenheid": "ouderbetrokkenheid oudercontacten huiswerkbegeleiding "
    "ouderavond thuisbezoek schoolpoort ouderwerking heen-en-weerschrift brugfiguur gezin",
    "welbevinden": "welbevinden pesten klasklimaat veiligheid emoties vriendschap "
    "weerbaarheid zorgzaamheid groepsdynamiek kindgesprek",
    "meertaligheid": "meertaligheid thuistalen woordenschat taalbad meertalig "
    "Frans Arabisch Turks taalsteun vertaalapp",
    "formatief-evalueren": "formatief evalueren exit tickets leerdoelen "
    "wisbordjes zelfinschatting breinbrekers bewijs leerintenties",
    "samenwerkend-leren": "samenwerkend groepswerk coöperatieve werkvormen "
    "rollen teamtaak duo tafelgroep kwartet denken-delen-uitwisselen",
    "klasmanagement": "klasmanagement overgangsmomenten klasafspraken regels "
    "stiltesignaal rust ordemaatregel belonen time-out",
    "stem": "STEM onderzoekend programmeren techniek proefjes hypothese "
    "ingenieur ontwerpen prototype wetenschap",
    "burgerschap": "burgerschap leerlingenparticipatie filosoferen democratie "
    "rechten inspraak debat samenleving solidariteit vrijwilligerswerk",
    "digitale-geletterdheid": "digitale geletterdheid mediawijsheid tablets "
    "nepnieuws privacy wachtwoord schermtijd sociale media algoritme",
}
# Benchmark words by how many studies hold them (docs/performance.md).
BENCHMARK_WORDS = {"common": "leerlingen", "mid": "werkvorm"}
# How many words each searched text gets (together 200-250 a study).
TEXT_WORDS = {"title": (5, 9), "summary": (60, 75), "research_question": (12, 16),
              "findings": (70, 85), "lessons": (50, 65)}  # fmt: skip


class Corpus:
    """The vocabulary and word draws of the generated studies, deterministic for a
    seed: a Zipf–Mandelbrot vocabulary of ``TAIL_SIZE`` words, the theme words and
    ``RARE_COMPOUNDS`` rare compounds (each in about five studies at 100,000)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.words = self._vocabulary()
        weights = [1 / (rank + ZIPF_Q) ** ZIPF_S for rank in range(1, len(self.words) + 1)]
        self.cumulative = list(itertools.accumulate(weights))
        self.rare = self._rare_compounds()

    def _vocabulary(self) -> list[str]:
        head = FUNCTION_WORDS[:11]
        function, education = iter(FUNCTION_WORDS[11:]), iter(EDUCATION_WORDS)
        # After rank 11, every third word of the head is an education word.
        for rank in itertools.count(len(head)):
            word = next(education if rank % 3 == 2 else function, None)
            word = word or next(education, None) or next(function, None)
            if word is None:
                break
            head.append(word)
        used = set(head) | {w for words in THEME_WORDS.values() for w in words.split()}
        tail = [a + b for a in STEMS for b in ENDINGS if a + b not in used and a != b]
        random.Random(0).shuffle(tail)
        words = head + tail[: TAIL_SIZE - len(head) - 1]
        words.insert(WERKVORM_RANK - 1, "werkvorm")
        return words

    def _rare_compounds(self) -> list[str]:
        common = set(self.words)
        rng = random.Random(1)
        found: dict[str, None] = {}
        while len(found) < RARE_COMPOUNDS:
            word = rng.choice(STEMS) + rng.choice(STEMS) + rng.choice(ENDINGS)
            if word not in common:
                found[word] = None
        return list(found)

    def text(self, count: int, theme: str, *, sentence: bool = True) -> str:
        """``count`` words: most from the vocabulary, ``THEME_SHARE`` from the
        theme, ``RARE_SHARE`` rare compounds; in sentences of 8-16 words."""
        rng = self.rng
        drawn = rng.choices(self.words, cum_weights=self.cumulative, k=count)
        theme_words = THEME_WORDS[theme].split()
        for index in range(count):
            chance = rng.random()
            if chance < THEME_SHARE:
                drawn[index] = rng.choice(theme_words)
            elif chance < THEME_SHARE + RARE_SHARE:
                drawn[index] = rng.choice(self.rare)
        if not sentence:
            return " ".join(drawn).capitalize()
        sentences, start = [], 0
        while start < count:
            end = min(count, start + rng.randint(8, 16))
            sentences.append(" ".join(drawn[start:end]).capitalize() + ".")
            start = end
        return " ".join(sentences)


def ensure_themes() -> dict[str, Theme]:
    themes = {}
    for slug, name_nl, name_en in THEMES:
        themes[slug], _ = Theme.objects.get_or_create(
            slug=slug, defaults={"name_nl": name_nl, "name_en": name_en}
        )
    return themes


def _ensure_context():
    institution, _ = Institution.objects.get_or_create(
        name="Lerarenopleiding Generator", defaults={"city": "Brussel"}
    )
    partnership, _ = Partnership.objects.get_or_create(
        name="Generatornetwerk", defaults={"institution": institution}
    )
    schools = []
    for number, city in enumerate(CITIES):
        level = School.Level.PRIMARY if number % 3 else School.Level.SECONDARY
        school, _ = School.objects.get_or_create(
            institution_number=f"G{number:05d}",
            defaults={
                "partnership": partnership,
                "name": f"{'Basisschool' if level == 'primary' else 'Atheneum'} {city} {number}",
                "level": level,
                "city": city,
            },
        )
        schools.append(school)
    years = []
    for start in range(2016, 2026):
        year, _ = SchoolYear.objects.get_or_create(
            name=f"{start}-{start + 1}",
            defaults={
                "starts_on": datetime.date(start, 9, 1),
                "ends_on": datetime.date(start + 1, 6, 30),
            },
        )
        years.append(year)
    return schools, years


def generate_studies(*, count: int, batch_size: int = 2000, unpublished_share: float = 0.05,
                     seed: int = 1) -> int:  # fmt: skip
    """Create ``count`` studies (a share unpublished) with 1-3 themes each, the
    same for the same seed; returns the number of published ones."""
    corpus = Corpus(seed)
    rng = corpus.rng
    themes = ensure_themes()
    schools, years = _ensure_context()
    now = timezone.now()
    run = uuid.uuid4().hex[:6]
    Through = Study.themes.through
    published = 0
    for start in range(0, count, batch_size):
        studies, theme_slugs = [], []
        for number in range(start, min(count, start + batch_size)):
            theme = rng.choice(THEMES)[0]
            school = rng.choice(schools)
            year_index = rng.randrange(len(years))
            texts = {
                name: corpus.text(rng.randint(*words), theme, sentence=name != "title")
                for name, words in TEXT_WORDS.items()
            }
            is_published = rng.random() >= unpublished_share
            published += is_published
            published_at = now - datetime.timedelta(
                days=(len(years) - year_index) * 365 - rng.randrange(300), minutes=number
            )
            studies.append(
                Study(
                    slug=f"{slugify(texts['title'])[:90]}-{run}{number:06d}",
                    status=Study.Status.PUBLISHED if is_published else Study.Status.DRAFT,
                    school=school,
                    school_year=years[year_index],
                    school_level=school.level,
                    city=school.city,
                    dilemma=corpus.text(12, theme),
                    perspectives=rng.sample(Perspective.values, rng.randint(1, 4)),
                    methods="Vragenlijsten, observaties en focusgesprekken.",
                    action_and_effect=corpus.text(15, theme),
                    published_at=published_at if is_published else None,
                    **texts,
                )
            )
            extra = rng.sample([t[0] for t in THEMES], rng.randint(0, 2))
            theme_slugs.append({theme, *extra})
        with transaction.atomic():
            created = Study.objects.bulk_create(studies)
            Through.objects.bulk_create(
                [
                    Through(study_id=study.pk, theme_id=themes[slug].pk)
                    for study, slugs in zip(created, theme_slugs, strict=True)
                    for slug in slugs
                ]
            )
    return published


def benchmark_words(seed: int = 1) -> dict[str, str]:
    """The benchmark's words by how common they are: ``rare`` is a compound of the
    corpus of ``seed`` (in about five studies at 100,000)."""
    return {**BENCHMARK_WORDS, "rare": Corpus(seed).rare[0]}
