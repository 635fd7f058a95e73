import time

from django.core.management.base import BaseCommand

from knowledge_base.search.pg_heads import heads_are_fresh, refresh_heads


class Command(BaseCommand):
    help = (
        "Rebuild the heads of the library's common words (PostgreSQL; Celery does it "
        "after changes; benchmarks and bulk loads want them at once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale", action="store_true", help="only when the library changed since"
        )

    def handle(self, *args, if_stale, **options):
        if if_stale and heads_are_fresh():
            self.stdout.write("The heads are fresh.")
            return
        start = time.monotonic()
        words = refresh_heads()
        seconds = time.monotonic() - start
        self.stdout.write(self.style.SUCCESS(f"Heads of {words} words in {seconds:.0f} s."))
