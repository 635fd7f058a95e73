"""The version of the network's reference tables, kept by the database itself.

``ReferenceVersion`` holds one random value that PostgreSQL replaces after every
statement that writes the school years, the cycle stages or their checklist items
(see the model). Oversight pages keep what they read of those tables per process
under it (``oversight.selectors``). On SQLite the table exists but nothing writes
it, and nothing is kept.
"""

from django.db import migrations, models

TABLES = {
    "schoolyear": "partnership_schoolyear",
    "stage": "research_cycle_cyclestage",
    "item": "research_cycle_checklistitem",
}

CREATE = "\n".join(
    [
        """
CREATE OR REPLACE FUNCTION research_cycle_reference_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO research_cycle_referenceversion (id, version)
    VALUES (1, gen_random_uuid())
    ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""
    ]
    + [
        f"DROP TRIGGER IF EXISTS research_cycle_reference_{name} ON {table};\n"
        f"CREATE TRIGGER research_cycle_reference_{name}\n"
        f"    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}\n"
        "    FOR EACH STATEMENT EXECUTE FUNCTION research_cycle_reference_bump();"
        for name, table in TABLES.items()
    ]
    + [
        "INSERT INTO research_cycle_referenceversion (id, version)"
        " VALUES (1, gen_random_uuid()) ON CONFLICT (id) DO NOTHING;"
    ]
)

DROP = "\n".join(
    [
        f"DROP TRIGGER IF EXISTS research_cycle_reference_{name} ON {table};"
        for name, table in TABLES.items()
    ]
    + ["DROP FUNCTION IF EXISTS research_cycle_reference_bump();"]
)


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("research_cycle", "0006_cycle_version"),
        ("partnership", "0003_vision_and_goals"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReferenceVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ("version", models.UUIDField()),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
