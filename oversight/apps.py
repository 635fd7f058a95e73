from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight and partnership agreements")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .permissions import remember_oversight_link

        user_logged_in.connect(remember_oversight_link, dispatch_uid="oversight_link")
