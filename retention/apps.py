from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Retention of starting teachers")

    def ready(self) -> None:
        # Register this app's rules at start-up, whoever asks for them first.
        from . import permissions  # noqa: F401
