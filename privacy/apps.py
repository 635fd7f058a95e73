from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # The export registry and the rules, registered at start-up.
        from . import exporters, permissions  # noqa: F401
