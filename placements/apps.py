from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        # Register this app's rules at start-up, whoever asks for them first.
        from django.contrib.auth.signals import user_logged_in

        from .permissions import remember_placements_link

        user_logged_in.connect(remember_placements_link, dispatch_uid="placements_link")
