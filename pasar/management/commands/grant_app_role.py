"""Give the app's PostgreSQL role exactly the rights the running site needs.

Run as the role that owns the tables (the one `migrate` runs as), after every
`migrate`:

    python manage.py migrate && python manage.py grant_app_role --role pasar_app

The app role then reads and inserts everywhere, updates and deletes where the
site does (orders, stock, members, sessions…), but can only SELECT and INSERT
on the append-only ledgers, reads django_migrations, and has no TRUNCATE
anywhere. It owns nothing, so it cannot ALTER or DROP a table or disable a
trigger. The database cache's tables (pasar_cache, pasar_page_cache: the
shared cache when REDIS_URL is unset) are read and written like any other.
Every run first revokes what the role had on the site's tables, so a
table that became a ledger loses its UPDATE right, and a new table gets its
rights (no ALTER DEFAULT PRIVILEGES: a default cannot tell a new ledger from
any other table).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from pasar.models import AppendOnlyModel


def ledger_tables() -> list[str]:
    """Return the tables of every append-only model (the ledgers)."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, AppendOnlyModel)
    )


class Command(BaseCommand):
    help = (
        "Grant the app's database role its rights (PostgreSQL): run as the "
        "tables' owner after each migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="the role the site uses")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL only.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s",
                [role],
            )
            found = cursor.fetchone()
            if found is None:
                raise CommandError(
                    f"Role {role!r} does not exist: create it first "
                    f"(CREATE ROLE {role} LOGIN PASSWORD '…')."
                )
            if found[0]:
                raise CommandError(f"Role {role!r} is a superuser: use another one.")
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE tableowner = %s", [role]
            )
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"Role {role!r} owns tables: the app role must own nothing "
                    "(run migrate as another role)."
                )
            cursor.execute("SELECT current_database(), current_schema()")
            database_name, schema = cursor.fetchone()

        quote = connection.ops.quote_name
        # Every table of the schema: the models' tables and the ones migrations
        # create by hand (the search words, the database cache).
        tables = set(connection.introspection.table_names(include_views=False))
        django_tables = sorted(tables)
        ledgers = [t for t in ledger_tables() if t in tables]
        read_only = ["django_migrations"] if "django_migrations" in tables else []
        writable = [t for t in django_tables if t not in ledgers + read_only]
        who = quote(role)

        def on(names):
            return ", ".join(quote(name) for name in names)

        statements = [
            f"GRANT CONNECT ON DATABASE {quote(database_name)} TO {who}",
            f"GRANT USAGE ON SCHEMA {quote(schema)} TO {who}",
            f"REVOKE ALL ON TABLE {on(django_tables)} FROM {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {on(writable)} TO {who}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote(schema)} TO {who}",
        ]
        if ledgers:
            statements.append(f"GRANT SELECT, INSERT ON TABLE {on(ledgers)} TO {who}")
        if read_only:
            statements.append(f"GRANT SELECT ON TABLE {on(read_only)} TO {who}")
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            f"{role}: read and write on {len(writable)} tables, insert-only on "
            f"{len(ledgers)} ledgers ({', '.join(ledgers)}), read-only on "
            f"{', '.join(read_only) or 'none'}."
        )
