from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self):
        # Register this app's rules at start-up, whoever asks for them first.
        from . import permissions  # noqa: F401
