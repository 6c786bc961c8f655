"""Database helpers used by migrations."""

from django.db import migrations


def append_only_trigger(table: str) -> migrations.RunPython:
    """Return a migration step that makes `table` refuse UPDATE and DELETE.

    Only PostgreSQL gets the trigger; other databases rely on the model layer
    (`pasar.models.AppendOnlyModel`).
    """
    function = f"{table}_append_only"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION USING MESSAGE =
                    TG_OP || ' on {table} is refused: the table is append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER {function}
                BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}();
            """
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {function} ON {table};"
            f"DROP FUNCTION IF EXISTS {function}();"
        )

    return migrations.RunPython(forwards, backwards, elidable=False)


# A session may allow TRUNCATE of the append-only tables with
# `SET pasar.allow_truncate = 'on'`: a deliberate step for a table owner
# (`manage.py flush` in a test database); the app's role has no TRUNCATE
# privilege at all (`manage.py grant_app_role`).
ALLOW_TRUNCATE_SETTING = "pasar.allow_truncate"


def truncate_guard(table: str) -> migrations.RunPython:
    """Return a migration step that makes `table` refuse TRUNCATE (PostgreSQL).

    Row triggers do not fire on TRUNCATE, so a statement-level BEFORE
    TRUNCATE trigger guards the append-only ledgers (a TRUNCATE … CASCADE from
    another table fires it too).
    """
    function = f"{table}_no_truncate"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
                IF current_setting('{ALLOW_TRUNCATE_SETTING}', true) = 'on' THEN
                    RETURN NULL;
                END IF;
                RAISE EXCEPTION USING MESSAGE =
                    'TRUNCATE on {table} is refused: the table is append-only';
            END;
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER {function}
                BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}();
            """
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {function} ON {table};"
            f"DROP FUNCTION IF EXISTS {function}();"
        )

    return migrations.RunPython(forwards, backwards, elidable=False)
