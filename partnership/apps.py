from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "partnership"
    verbose_name = _("Partnership")

    def ready(self):
        # Register this app's rules at start-up, whoever asks for them first.
        # Every database connection (web, Celery, commands) tells the page cache
        # when data changed.
        # A connection that answered a moment ago is not health-checked again
        # (config.db_health).
        from django.db.backends.signals import connection_created

        from config import db_health
        from config.page_cache import install

        from . import permissions  # noqa: F401

        connection_created.connect(install, dispatch_uid="leerbrug-page-cache")
        connection_created.connect(db_health.install, dispatch_uid="leerbrug-db-health")
