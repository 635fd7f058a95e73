"""The default retention periods (docs/privacy.md), editable in the admin."""

from django.db import migrations

DEFAULTS = {
    "diary_attachments": 24,
    "deactivated_accounts": 2,
    "mail_outbox": 90,
    "access_log": 12,
    "admin_log": 24,
}


def add_defaults(apps, schema_editor):
    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    for kind, amount in DEFAULTS.items():
        RetentionPeriod.objects.get_or_create(kind=kind, defaults={"amount": amount})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
