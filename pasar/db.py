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
