"""Atom feed of the public vacancies (open and made public by their school only)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from config.absolute_urls import absolute_url

from .models import Vacancy
from .selectors import public_vacancies

FEED_SIZE = 50


class PublicVacanciesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Leerbrug: vacancies at the partner schools")
    subtitle = _("Open vacancies the partner schools publish.")

    def link(self):
        return absolute_url(reverse("vacancies:list"))

    def feed_url(self):
        return absolute_url(reverse("vacancies:feed"))

    def items(self):
        return public_vacancies()[:FEED_SIZE]

    def item_title(self, item: Vacancy):
        return f"{item.title} – {item.school.name} ({item.school.city})"

    def item_description(self, item: Vacancy):
        return item.description

    def item_link(self, item: Vacancy):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item: Vacancy):
        return item.created_at

    def item_updateddate(self, item: Vacancy):
        return item.updated_at

    def item_categories(self, item: Vacancy):
        return [item.get_level_display(), item.subject]
