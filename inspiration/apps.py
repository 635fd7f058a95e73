from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspirationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "inspiration"
    verbose_name = _("Inspiration")

    def ready(self):
        # Register this app's rules at start-up, whoever asks for them first.
        from . import permissions  # noqa: F401
