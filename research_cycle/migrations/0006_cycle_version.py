"""The version of what the team page shows of each research cycle, kept by the
database itself.

``CycleVersion`` holds a random value per cycle that PostgreSQL triggers replace
whenever anything the team page shows of the cycle changes (see the model). The
team page keeps what it read in the cache under it (``research_cycle.selectors``).
On SQLite the table exists but nothing writes it, and nothing is kept.
"""

import django.db.models.deletion
from django.db import migrations, models

CREATE = """
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

DROP TRIGGER IF EXISTS research_cycle_version_cycle ON research_cycle_researchcycle;
CREATE TRIGGER research_cycle_version_cycle
    AFTER INSERT ON research_cycle_researchcycle
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_new_cycle();

DROP TRIGGER IF EXISTS research_cycle_version_entry ON research_cycle_logentry;
CREATE TRIGGER research_cycle_version_entry
    AFTER INSERT OR UPDATE OR DELETE ON research_cycle_logentry
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_cycle();
DROP TRIGGER IF EXISTS research_cycle_version_transition ON research_cycle_stagetransition;
CREATE TRIGGER research_cycle_version_transition
    AFTER INSERT OR UPDATE OR DELETE ON research_cycle_stagetransition
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_cycle();
DROP TRIGGER IF EXISTS research_cycle_version_injection ON inspiration_knowledgeinjection;
CREATE TRIGGER research_cycle_version_injection
    AFTER INSERT OR UPDATE OR DELETE ON inspiration_knowledgeinjection
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_cycle();

DROP TRIGGER IF EXISTS research_cycle_version_check ON research_cycle_checklistcheck;
CREATE TRIGGER research_cycle_version_check
    AFTER INSERT OR UPDATE OR DELETE ON research_cycle_checklistcheck
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_cycle();
DROP TRIGGER IF EXISTS research_cycle_version_member ON research_cycle_teammembership;
CREATE TRIGGER research_cycle_version_member
    AFTER INSERT OR UPDATE OR DELETE ON research_cycle_teammembership
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_team();

DROP TRIGGER IF EXISTS research_cycle_version_comment ON research_cycle_comment;
CREATE TRIGGER research_cycle_version_comment
    AFTER INSERT OR UPDATE OR DELETE ON research_cycle_comment
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_entry();
DROP TRIGGER IF EXISTS research_cycle_version_attachment ON research_cycle_attachment;
CREATE TRIGGER research_cycle_version_attachment
    AFTER INSERT OR UPDATE OR DELETE ON research_cycle_attachment
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_entry();
DROP TRIGGER IF EXISTS research_cycle_version_results ON questionnaires_resultssnapshot;
CREATE TRIGGER research_cycle_version_results
    AFTER INSERT OR UPDATE OR DELETE ON questionnaires_resultssnapshot
    FOR EACH ROW EXECUTE FUNCTION research_cycle_version_of_entry();

DROP TRIGGER IF EXISTS research_cycle_version_person ON accounts_user;
CREATE TRIGGER research_cycle_version_person
    AFTER UPDATE OF full_name ON accounts_user
    FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name)
    EXECUTE FUNCTION research_cycle_version_everywhere();
DROP TRIGGER IF EXISTS research_cycle_version_stage ON research_cycle_cyclestage;
CREATE TRIGGER research_cycle_version_stage
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON research_cycle_cyclestage
    FOR EACH STATEMENT EXECUTE FUNCTION research_cycle_version_everywhere();
DROP TRIGGER IF EXISTS research_cycle_version_item ON research_cycle_checklistitem;
CREATE TRIGGER research_cycle_version_item
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON research_cycle_checklistitem
    FOR EACH STATEMENT EXECUTE FUNCTION research_cycle_version_everywhere();
DROP TRIGGER IF EXISTS research_cycle_version_study ON knowledge_base_study;
CREATE TRIGGER research_cycle_version_study
    AFTER UPDATE OF title, slug ON knowledge_base_study
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION research_cycle_version_everywhere();
DROP TRIGGER IF EXISTS research_cycle_version_session ON network_sessions_networksession;
CREATE TRIGGER research_cycle_version_session
    AFTER UPDATE OF title, starts_at ON network_sessions_networksession
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title
                       OR OLD.starts_at IS DISTINCT FROM NEW.starts_at)
    EXECUTE FUNCTION research_cycle_version_everywhere();

-- The cycles there are already.
INSERT INTO research_cycle_cycleversion (cycle_id, version)
    SELECT id, gen_random_uuid() FROM research_cycle_researchcycle
    ON CONFLICT (cycle_id) DO NOTHING;
"""

DROP = """
DROP TRIGGER IF EXISTS research_cycle_version_cycle ON research_cycle_researchcycle;
DROP TRIGGER IF EXISTS research_cycle_version_entry ON research_cycle_logentry;
DROP TRIGGER IF EXISTS research_cycle_version_transition ON research_cycle_stagetransition;
DROP TRIGGER IF EXISTS research_cycle_version_injection ON inspiration_knowledgeinjection;
DROP TRIGGER IF EXISTS research_cycle_version_check ON research_cycle_checklistcheck;
DROP TRIGGER IF EXISTS research_cycle_version_member ON research_cycle_teammembership;
DROP TRIGGER IF EXISTS research_cycle_version_item ON research_cycle_checklistitem;
DROP TRIGGER IF EXISTS research_cycle_version_comment ON research_cycle_comment;
DROP TRIGGER IF EXISTS research_cycle_version_attachment ON research_cycle_attachment;
DROP TRIGGER IF EXISTS research_cycle_version_results ON questionnaires_resultssnapshot;
DROP TRIGGER IF EXISTS research_cycle_version_person ON accounts_user;
DROP TRIGGER IF EXISTS research_cycle_version_stage ON research_cycle_cyclestage;
DROP TRIGGER IF EXISTS research_cycle_version_study ON knowledge_base_study;
DROP TRIGGER IF EXISTS research_cycle_version_session ON network_sessions_networksession;
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
