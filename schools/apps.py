from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("Schools and roles")

    def ready(self):
        # Register this app's rules at start-up, whoever asks for them first.
        from . import permissions  # noqa: F401
