"""Demo vacancies for ``seed_demo``: at the demo school a public one, one for the
network only and one whose closing date has passed (only the school sees it, to
post it again); and a few at other partner schools. Idempotent: found again by
school and title."""

import datetime

from django.utils import timezone

from schools.models import School

from .models import Vacancy
from .services import vacancy_create

# (school index in the demo, title, subject, hours, full time, starts in days,
#  closes in days, public)
PLANS = [
    (0, "Klasleraar derde leerjaar", "Klasleraar", 24, 24, 60, 20, True),
    (0, "Zorgleraar (interim)", "Zorg en taal", 12, 24, 30, 25, False),
    (0, "Leraar lichamelijke opvoeding", "Lichamelijke opvoeding", 8, 24, 10, -5, True),
    (1, "Kleuteronderwijzer, derde kleuterklas", "Kleuterklas", 18, 24, 45, 30, True),
    (8, "Klasleraar vijfde leerjaar", "Klasleraar", 24, 24, 90, 40, False),
    (17, "Leraar wiskunde tweede graad", "Wiskunde", 11, 22, 40, 15, True),
    (19, "Leraar Nederlands", "Nederlands", 22, 22, 75, 35, False),
    (22, "Leraar elektromechanica", "Elektromechanica", 16, 22, 20, 10, True),
]

DESCRIPTION = (
    "We zoeken een collega die graag in een team werkt en mee onderzoek wil doen in "
    "ons onderzoeksteam. Startende leraren krijgen een mentor en een inductieplan.\n\n"
    "Stuur een korte motivatie en je cv naar de contactpersoon."
)


def seed(network) -> None:
    today = timezone.localdate()
    leader = network.people["school_leader"]
    for index, title, subject, hours, full, starts_in, closes_in, public in PLANS:
        school: School = network.schools[index]
        if Vacancy.objects.filter(school=school, title=title).exists():
            continue
        fields = {
            "school": school,
            "title": title,
            "level": school.level,
            "subject": subject,
            "hours": hours,
            "full_time_hours": full,
            "starts_on": today + datetime.timedelta(days=starts_in),
            "closes_on": today + datetime.timedelta(days=closes_in),
            "description": DESCRIPTION,
            "contact_name": "Karim Benali" if index == 0 else "Secretariaat",
            "contact_email": "school-leader@demo.test" if index == 0 else "info@school.example",
            "contact_phone": "02 555 01 23",
            "is_public": public,
        }
        posted_by = leader if index == 0 else None
        if closes_in < 0:
            # Already closed: the board refuses a closing date in the past, so the demo
            # writes it as it would be after the day passed.
            Vacancy.objects.create(posted_by=posted_by, **fields)
        else:
            vacancy_create(posted_by=posted_by, **fields)
