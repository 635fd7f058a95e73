from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from partnership.demo import DEMO_PASSWORD, DEMO_PEOPLE, seed_foundation

# Apps that add their own demo data after the foundation, in this order.
DEMO_MODULES = [
    "research_cycle.demo",
    "knowledge_base.demo",
    "oversight.demo",
    "network_sessions.demo",
    "placements.demo",
    "internships.demo",
    "induction.demo",
    "vacancies.demo",
    "continuum.demo",
    "retention.demo",
    "reviews.demo",
    "monitoring.demo",
    "questionnaires.demo",
    "privacy.demo",
    "inspiration.demo",
]


class Command(BaseCommand):
    help = "Load the demo partnership network (idempotent). Refuses without DEBUG unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even when DEBUG is off (never in production).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; it only runs with DEBUG on. "
                "Use --force if you really mean it."
            )
        # The demo network's texts are written in its first language, whatever
        # language the caller has active (call_command after an English page).
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            network = seed_foundation()
            for module_name in DEMO_MODULES:
                try:
                    module = import_module(module_name)
                except ModuleNotFoundError as exc:
                    if exc.name != module_name and not module_name.startswith(exc.name or "-"):
                        raise
                    continue
                module.seed(network)
        self.stdout.write(self.style.SUCCESS("Demo network ready."))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for key, (email, name, _language) in DEMO_PEOPLE.items():
            self.stdout.write(f"  {email:<32} {name} ({key.replace('_', ' ')})")
