"""Settings for the worker of benchmarks/mail_chaos.py: the local settings with a
mail backend that takes ``MAIL_CHAOS_SEND_SECONDS`` per mail (a slow SMTP server)."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend

from config.settings.local import *  # noqa: F403

SEND_SECONDS = float(os.environ.get("MAIL_CHAOS_SEND_SECONDS", "0"))


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(SEND_SECONDS * len(email_messages))
        return super().send_messages(email_messages)


MAILERS["default"]["BACKEND"] = "benchmarks.chaos_settings.SlowFileBackend"  # noqa: F405
