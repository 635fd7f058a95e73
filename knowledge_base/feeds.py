"""Atom feed of newly published studies and the sitemap: published studies only.

Every URL in them is on the canonical address (``config.absolute_urls``): Django's
feed and sitemap views would take the host from the Sites framework (``example.com``).
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from config.absolute_urls import absolute_url, base_domain, base_scheme

from .forms import StudySearchForm
from .models import Study
from .public import public_studies
from .search import SearchParams, search_studies

FEED_SIZE = 30


class NewStudiesFeed(Feed):
    """The newest published studies; with ``?q=`` and/or ``?theme=`` (as in the
    library's URL), the newest of that search: a feed per search or theme."""

    feed_type = Atom1Feed
    subtitle = _("Practitioner research by the partner schools of the network.")

    def get_object(self, request: HttpRequest, *args, **kwargs) -> SearchParams:
        form = StudySearchForm(request.GET)
        params = form.params()
        return SearchParams(q=params.q, themes=params.themes, sort="newest")

    def title(self, obj: SearchParams) -> str:
        if obj.q or obj.themes:
            words = " ".join([obj.q, *obj.themes]).strip()
            return str(_("Leerbrug knowledge base: new studies for “%(words)s”")) % {"words": words}
        return str(_("Leerbrug knowledge base: newly published studies"))

    def link(self, obj: SearchParams) -> str:
        return absolute_url(reverse("knowledge_base:study_list") + feed_query(obj))

    def feed_url(self, obj: SearchParams) -> str:
        return absolute_url(reverse("knowledge_base:study_feed") + feed_query(obj))

    def item_link(self, item: Study):
        return absolute_url(item.get_absolute_url())

    def items(self, obj: SearchParams):
        studies = public_studies().order_by("-published_at", "-pk")
        if not (obj.q or obj.themes):
            return studies[:FEED_SIZE]
        page = search_studies(obj, per_page=FEED_SIZE).page
        return studies.filter(pk__in=[card.pk for card in page.object_list])

    def item_title(self, item: Study):
        return item.title

    def item_description(self, item: Study):
        return item.summary

    def item_pubdate(self, item: Study):
        return item.published_at

    def item_updateddate(self, item: Study) -> datetime:
        return max(item.updated_at, item.published_at or item.updated_at)

    def item_categories(self, item: Study):
        return [theme.name for theme in item.themes.all()]


def feed_query(params: SearchParams) -> str:
    """The query string of a search's feed: its words and themes (the other
    filters would make a feed too narrow to follow)."""
    query = QueryDict(mutable=True)
    if params.q:
        query["q"] = params.q
    if params.themes:
        query.setlist("theme", params.themes)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


class CanonicalSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        return base_scheme()

    def get_domain(self, site=None):
        return base_domain()


class StudySitemap(CanonicalSitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Study.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Study):
        return item.updated_at


class LibrarySitemap(CanonicalSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["home", "knowledge_base:study_list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"library": LibrarySitemap, "studies": StudySitemap}


@x_robots_tag
def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """``/sitemap.xml``: Django's sitemap index, with the sections on the canonical
    address (its own index view takes the host from the Sites framework)."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(
            reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": section})
        )
        lastmod = sitemap.get_latest_lastmod()
        # Django declares last_mod as bool (its stub copies that); it holds a datetime.
        items.append(SitemapIndexItem(url, lastmod))  # type: ignore[arg-type]
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)  # type: ignore[arg-type]
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
