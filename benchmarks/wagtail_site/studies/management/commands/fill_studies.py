"""Copy the published studies of a Leerbrug database into the Wagtail page tree.

Each study becomes a live ``StudyPage`` under the home page through treebeard's
``add_child``, as an editor's page would. benchmarks/wagtail_compare.py runs this
with Wagtail's search ``AUTO_UPDATE`` off and ``update_index`` after it. A second
run resumes where the first stopped: it skips as many studies (in id order) as
there are pages already."""

import time

import psycopg
from django.core.management.base import BaseCommand
from django.db import transaction
from home.models import HomePage

from studies.models import StudyPage

SOURCE = """
SELECT s.slug, s.title, s.summary, s.research_question, s.findings, s.lessons, s.city,
       coalesce((SELECT string_agg(t.name_nl, ' ' ORDER BY t.name_nl)
                 FROM knowledge_base_study_themes st
                 JOIN knowledge_base_theme t ON t.id = st.theme_id
                 WHERE st.study_id = s.id), '')
FROM knowledge_base_study s
WHERE s.status = 'published'
ORDER BY s.id
OFFSET %s
"""


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="the Leerbrug database URL")

    def handle(self, *args, source, **options):
        home = HomePage.objects.get()
        done = StudyPage.objects.count()
        start = time.monotonic()
        with psycopg.connect(source) as connection, connection.cursor(name="studies") as rows:
            rows.execute(SOURCE, [done])
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 500:
                    done = self._add(home, batch, done, start)
                    batch = []
            if batch:
                self._add(home, batch, done, start)

    def _add(self, home, batch, done, start):
        with transaction.atomic():
            for slug, title, summary, question, findings, lessons, city, themes in batch:
                home.add_child(
                    instance=StudyPage(
                        title=title,
                        slug=slug,
                        summary=summary,
                        search_description=summary[:300],
                        research_question=question,
                        findings=findings,
                        lessons=lessons,
                        themes=themes,
                        city=city,
                    )
                )
                done += 1
        self.stdout.write(f"{done} pages, {time.monotonic() - start:.0f} s", ending="\n")
        return done
