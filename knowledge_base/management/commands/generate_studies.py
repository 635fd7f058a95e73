from django.core.management.base import BaseCommand
from django.db import connection, transaction

from knowledge_base.generator import generate_studies
from knowledge_base.search.pg_heads import refresh_heads
from knowledge_base.search.spelling import refresh_vocabulary


class Command(BaseCommand):
    help = "Generate realistic Dutch studies in bulk (load tests, benchmarks). Not demo data."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--unpublished-share", type=float, default=0.05)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, batch_size, unpublished_share, seed, **options):
        published = generate_studies(
            count=count, batch_size=batch_size, unpublished_share=unpublished_share, seed=seed
        )
        if connection.vendor == "postgresql" and not transaction.get_connection().in_atomic_block:
            # Each study's search-index row was written twice (the study, then its
            # themes): compact the index after a bulk load, as one would after any.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (FULL, ANALYZE) knowledge_base_search_entry")
            # The vocabulary (typos, the suggestions' word counts) is refilled
            # nightly; a bulk load should not wait for the night. So are the heads
            # of the common words, which the vocabulary's counts choose.
            refresh_vocabulary()
            refresh_heads()
        self.stdout.write(self.style.SUCCESS(f"Created {count} studies ({published} published)."))
