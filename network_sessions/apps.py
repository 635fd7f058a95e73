from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkSessionsConfig(AppConfig):
    # The label "sessions" belongs to django.contrib.sessions.
    name = "network_sessions"
    verbose_name = _("Network sessions")

    def ready(self):
        # Register this app's rules at start-up, whoever asks for them first.
        from . import permissions  # noqa: F401
