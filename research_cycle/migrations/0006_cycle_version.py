"""The version of what the team page shows of each research cycle, kept by the
database itself.

``CycleVersion`` holds a random value per cycle that PostgreSQL triggers replace
whenever anything the team page shows of the cycle changes (see the model). The
team page keeps what it read in the cache under it (``research_cycle.selectors``).
On SQLite the table exists but nothing writes it, and nothing is kept.
"""

import django.db.models.deletion
from django.db import migrations, models

ROW, STATEMENT = "FOR EACH ROW", "FOR EACH STATEMENT"
CHANGED = "INSERT OR UPDATE OR DELETE"
#: name, table, the writes, per row or statement (with a condition), what it runs:
#: ``of_cycle`` the row's cycle (both when a row moves), ``of_entry`` its log entry's
#: cycle, ``of_team`` every cycle of its team, ``everywhere`` every cycle.
TRIGGERS = [
    ("cycle", "research_cycle_researchcycle", "INSERT", ROW, "new_cycle"),
    ("entry", "research_cycle_logentry", CHANGED, ROW, "of_cycle"),
    ("transition", "research_cycle_stagetransition", CHANGED, ROW, "of_cycle"),
    ("injection", "inspiration_knowledgeinjection", CHANGED, ROW, "of_cycle"),
    ("check", "research_cycle_checklistcheck", CHANGED, ROW, "of_cycle"),
    ("member", "research_cycle_teammembership", CHANGED, ROW, "of_team"),
    ("comment", "research_cycle_comment", CHANGED, ROW, "of_entry"),
    ("attachment", "research_cycle_attachment", CHANGED, ROW, "of_entry"),
    ("results", "questionnaires_resultssnapshot", CHANGED, ROW, "of_entry"),
    (
        "person",
        "accounts_user",
        "UPDATE OF full_name",
        f"{ROW} WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name)",
        "everywhere",
    ),
    ("stage", "research_cycle_cyclestage", f"{CHANGED} OR TRUNCATE", STATEMENT, "everywhere"),
    ("item", "research_cycle_checklistitem", f"{CHANGED} OR TRUNCATE", STATEMENT, "everywhere"),
    (
        "study",
        "knowledge_base_study",
        "UPDATE OF title, slug",
        f"{ROW} WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.slug IS DISTINCT FROM NEW.slug)",
        "everywhere",
    ),
    (
        "session",
        "network_sessions_networksession",
        "UPDATE OF title, starts_at",
        f"{ROW} WHEN (OLD.title IS DISTINCT FROM NEW.title"
        " OR OLD.starts_at IS DISTINCT FROM NEW.starts_at)",
        "everywhere",
    ),
]
DROP_TRIGGERS = "\n".join(
    f"DROP TRIGGER IF EXISTS research_cycle_version_{name} ON {table};"
    for name, table, *_ in TRIGGERS
)
CREATE_TRIGGERS = "\n".join(
    f"DROP TRIGGER IF EXISTS research_cycle_version_{name} ON {table};\n"
    f"CREATE TRIGGER research_cycle_version_{name} AFTER {writes} ON {table}\n"
    f"    {each} EXECUTE FUNCTION research_cycle_version_{function}();"
    for name, table, writes, each, function in TRIGGERS
)

CREATE = f"""
CREATE OR REPLACE FUNCTION research_cycle_version_bump(cycle bigint) RETURNS void AS $$
BEGIN
    IF cycle IS NOT NULL THEN
        INSERT INTO research_cycle_cycleversion (cycle_id, version)
        VALUES (cycle, gen_random_uuid())
        ON CONFLICT (cycle_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
END
$$ LANGUAGE plpgsql;

-- Rows that name their cycle: log entries, stage transitions, knowledge injections,
-- checklist checks (both cycles when a row moves), and a cycle when it is made.
CREATE OR REPLACE FUNCTION research_cycle_version_of_cycle() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM research_cycle_version_bump(OLD.cycle_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM research_cycle_version_bump(NEW.cycle_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION research_cycle_version_new_cycle() RETURNS trigger AS $$
BEGIN
    PERFORM research_cycle_version_bump(NEW.id);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Rows that hang under a log entry: comments, attachments, attached results.
CREATE OR REPLACE FUNCTION research_cycle_version_of_entry() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM research_cycle_version_bump(
            (SELECT cycle_id FROM research_cycle_logentry WHERE id = OLD.log_entry_id));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM research_cycle_version_bump(
            (SELECT cycle_id FROM research_cycle_logentry WHERE id = NEW.log_entry_id));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- Rows that name their team (its members): every cycle of the team.
CREATE OR REPLACE FUNCTION research_cycle_version_of_team() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM research_cycle_version_bump(c.id)
        FROM research_cycle_researchcycle c WHERE c.team_id = OLD.team_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM research_cycle_version_bump(c.id)
        FROM research_cycle_researchcycle c WHERE c.team_id = NEW.team_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- What every cycle's page may show changed (rare: a person's name, a stage, a
-- checklist item, a study's or session's title): every cycle's version.
CREATE OR REPLACE FUNCTION research_cycle_version_everywhere() RETURNS trigger AS $$
BEGIN
    UPDATE research_cycle_cycleversion SET version = gen_random_uuid();
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

{CREATE_TRIGGERS}

-- The cycles there are already.
INSERT INTO research_cycle_cycleversion (cycle_id, version)
    SELECT id, gen_random_uuid() FROM research_cycle_researchcycle
    ON CONFLICT (cycle_id) DO NOTHING;
"""

DROP = f"""
{DROP_TRIGGERS}
DROP FUNCTION IF EXISTS research_cycle_version_everywhere();
DROP FUNCTION IF EXISTS research_cycle_version_of_team();
DROP FUNCTION IF EXISTS research_cycle_version_of_entry();
DROP FUNCTION IF EXISTS research_cycle_version_new_cycle();
DROP FUNCTION IF EXISTS research_cycle_version_of_cycle();
DROP FUNCTION IF EXISTS research_cycle_version_bump(bigint);
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("research_cycle", "0005_team_themes"),
        ("accounts", "0001_initial"),
        ("inspiration", "0001_initial"),
        ("knowledge_base", "0011_search_lexemes"),
        ("network_sessions", "0005_session_topics"),
        ("questionnaires", "0002_results_snapshots"),
    ]

    operations = [
        migrations.CreateModel(
            name="CycleVersion",
            fields=[
                (
                    "cycle",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="research_cycle.researchcycle",
                    ),
                ),
                ("version", models.UUIDField()),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
