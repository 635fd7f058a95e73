"""Atom feed of newly published studies and the sitemap: published studies only."""

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Study
from .public import public_studies

FEED_SIZE = 30


class NewStudiesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Leerbrug knowledge base: newly published studies")
    subtitle = _("Practitioner research by the partner schools of the network.")

    def link(self):
        return reverse("knowledge_base:study_list")

    def items(self):
        return public_studies().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Study):
        return item.title

    def item_description(self, item: Study):
        return item.summary

    def item_pubdate(self, item: Study):
        return item.published_at

    def item_updateddate(self, item: Study):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item: Study):
        return [theme.name for theme in item.themes.all()]


class StudySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Study.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Study):
        return item.updated_at


class LibrarySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "knowledge_base:study_list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"library": LibrarySitemap, "studies": StudySitemap}
