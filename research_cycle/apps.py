from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchCycleConfig(AppConfig):
    name = "research_cycle"
    verbose_name = _("Research cycle")
