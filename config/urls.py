from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _

from accounts.views import profile, set_language
from knowledge_base.feeds import SITEMAPS, sitemap_index
from partnership import views as partnership_views
from partnership.admin import admin_login_redirect

from . import views
from .converters import TokenConverter

register_converter(TokenConverter, "token")  # before the apps' URLconfs use it

admin.site.site_header = _("Leerbrug administration")
admin.site.site_title = _("Leerbrug")
admin.site.index_title = _("Manage the partnership network")

handler500 = "config.views.server_error"

urlpatterns = [
    # First: its public form (/q/<token>/, first in it) is the busiest URL, and a
    # URL found late costs a class answering at once a fifth of the form's CPU.
    path("", include("questionnaires.urls")),
    path("", partnership_views.home, name="home"),
    path("dashboard/", partnership_views.dashboard, name="dashboard"),
    path("partnership/", partnership_views.partnership_page, name="partnership_page"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path(f"{settings.ADMIN_URL}login/", admin_login_redirect, name="admin_login_redirect"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/profile/", profile, name="account_profile"),
    # Before allauth's accounts/: /accounts/my-data/ is the privacy app's.
    path("", include("privacy.urls")),
    # Before allauth's accounts/: the mail preferences live at /accounts/preferences/.
    path("", include("notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("research_cycle.urls")),
    path("", include("knowledge_base.urls")),
    path("oversight/", include("oversight.urls")),
    # Before any "monitoring/" include: the retention app lives under it.
    path("monitoring/retention/", include("retention.urls")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("network_sessions.urls")),
    path("placements/", include("placements.urls")),
    path("internships/", include("internships.urls")),
    path("induction/", include("induction.urls")),
    path("vacancies/", include("vacancies.urls")),
    path("continuum/", include("continuum.urls")),
    # The yearly review has its own include: /monitoring/ itself is the monitoring app's.
    path("monitoring/review/", include("reviews.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("", include("inspiration.urls")),
    path("oversight/communities/", include("partnership.community_urls")),
    path("", include("schools.urls")),
]
if settings.LEERBRUG_HELLO_VIEW:
    urlpatterns.append(path("hello/", views.hello, name="hello"))
