"""The database as the last line: ledgers refuse TRUNCATE, the app's role owns nothing.

Row triggers refuse UPDATE and DELETE on the ledgers but not TRUNCATE, and a
role that owns its tables can disable any trigger. The site runs as a role
made by `manage.py grant_app_role`, which can do the site's work and nothing
more; the tables' owner (who migrates) meets a guard on TRUNCATE.
"""

import os
import subprocess
import sys
import textwrap

import psycopg
import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import connection

from pasar.management.commands.grant_app_role import ledger_tables

from .test_deploy import ROOT

LEDGERS = [
    "banksampah_savingsentry",
    "banksampah_wastestockmovement",
    "catalog_stockmovement",
    "orders_orderevent",
    "orders_settlemententry",
    "orders_suborderevent",
    "pasar_auditlog",
]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL roles and triggers"
)


def test_the_ledgers_are_the_append_only_models():
    assert ledger_tables() == LEDGERS


def raw_connection(user=None, **options):
    """A connection outside Django (no test options: the guard is live)."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=db["NAME"],
        user=user or db["USER"],
        password=db["PASSWORD"] if user is None else None,
        autocommit=True,
        **options,
    )


@pytest.fixture
def app_role(transactional_db):
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
    call_command("grant_app_role", role=role)
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')
        cursor.execute(f'DROP ROLE "{role}"')


def refused(app, sql, match):
    with pytest.raises(psycopg.Error, match=match):
        app.execute(sql)


@postgres_only
@pytest.mark.postgres
def test_app_role_inserts_but_cannot_change_ledgers_or_schema(app_role):
    with raw_connection(app_role) as app:
        app.execute(
            "INSERT INTO pasar_auditlog (created_at, action, target_type, "
            "target_id, target_repr, note) VALUES "
            "(now(), 'other', 'x', '1', 'uji', '')"
        )
        assert app.execute("SELECT count(*) FROM pasar_auditlog").fetchone() == (1,)
        for table in LEDGERS:
            update, delete = f"UPDATE {table} SET id = id", f"DELETE FROM {table}"  # noqa: S608 (constant names)
            refused(app, update, "permission denied")
            refused(app, delete, "permission denied")
            refused(app, f"TRUNCATE {table}", "permission denied")
            refused(app, f"ALTER TABLE {table} DISABLE TRIGGER ALL", "must be owner")
        refused(app, "DROP TABLE posdaya_posdaya CASCADE", "must be owner")
        refused(app, "ALTER TABLE orders_order ADD COLUMN x int", "must be owner")
        refused(app, "TRUNCATE django_session", "permission denied")
        refused(app, "UPDATE django_migrations SET app = app", "permission denied")
        refused(app, "CREATE TABLE jahat (id int)", "permission denied")
        refused(app, "SET session_replication_role = replica", "permission denied")
        # Where the site updates and deletes, the role may.
        app.execute(
            "INSERT INTO django_session VALUES ('k', 'data', now() + interval '1 day')"
        )
        app.execute("UPDATE django_session SET session_data = 'baru'")
        app.execute("DELETE FROM django_session")
        # The database cache (no REDIS_URL): read, written and culled.
        for table in ("pasar_cache", "pasar_page_cache"):
            app.execute(f"INSERT INTO {table} VALUES ('k', 'v', now())")  # noqa: S608
            app.execute(f"UPDATE {table} SET value = 'w'")  # noqa: S608
            assert app.execute(f"SELECT value FROM {table}").fetchall() == [("w",)]  # noqa: S608
            app.execute(f"DELETE FROM {table}")  # noqa: S608
            refused(app, f"TRUNCATE {table}", "permission denied")
    with raw_connection() as owner:
        assert owner.execute("SELECT note FROM pasar_auditlog").fetchall() == [("",)]


@postgres_only
@pytest.mark.postgres
def test_app_role_can_run_the_site(app_role):
    """Checkout, payment, cancelling, weighing, withdrawal, savings as the app role."""
    script = textwrap.dedent(
        """
        import secrets, uuid
        from decimal import Decimal
        import django
        django.setup()
        from banksampah.services import WeighedLine, record_deposit, record_withdrawal
        from orders.services import cancel_suborder, mark_suborder_paid, place_order
        from tests.factories import (
            MemberFactory, PosdayaFactory, ProductFactory, UserFactory,
            WasteCategoryFactory, WastePriceFactory,
        )
        posdaya = PosdayaFactory(slug="peran", code="PRN")
        product = ProductFactory(posdaya=posdaya, price=1000, stock=5)
        other = ProductFactory(posdaya=PosdayaFactory(), price=2000, stock=5)
        order = place_order(
            quantities={product.pk: 2, other.pk: 1}, customer=None, name="Budi",
            phone="6281298765432", delivery_method="ambil",
            payment_method="bayar_di_tempat",
            checkout_token=secrets.token_urlsafe(24),
        ).order
        first, second = order.suborders.order_by("pk")
        mark_suborder_paid(suborder=first, by=None)
        cancel_suborder(suborder=second, by=None, reason="Habis")
        member = MemberFactory(posdaya=posdaya, user=UserFactory())
        waste = WasteCategoryFactory()
        WastePriceFactory(category=waste, buy_price=3000, sell_price=4000)
        record_deposit(
            member=member, lines=[WeighedLine(category=waste, weight=Decimal("2"))],
            by=None, idempotency_key=uuid.uuid4(),
        )
        record_withdrawal(member=member, amount=1000, by=None)
        # Bayar pakai tabungan, then cancelled: a debit and a credit entry.
        paid = place_order(
            quantities={product.pk: 1}, customer=member.user, name="Siti",
            phone="6281298765432", delivery_method="ambil",
            payment_method="tabungan", checkout_token=secrets.token_urlsafe(24),
        ).order
        cancel_suborder(suborder=paid.suborders.get(), by=None, reason="Batal")
        member.refresh_from_db()
        product.refresh_from_db()
        print(order.status, member.entries.count(), product.stock, member.balance)
        """
    )
    db = connection.settings_dict
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="pasar.settings.test",
        DATABASE_URL=(
            f"postgres://{app_role}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        ),
    )
    result = subprocess.run(  # noqa: S603 (our own code)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[-3:] == ["4", "3", "5000"]


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_truncate_of_a_ledger_is_refused_even_for_the_owner():
    with raw_connection() as owner:
        for table in LEDGERS:
            with pytest.raises(psycopg.Error, match="append-only"):
                owner.execute(f"TRUNCATE {table}")
        # A cascade from a table the ledgers point at is refused as well.
        with pytest.raises(psycopg.Error, match="append-only"):
            owner.execute("TRUNCATE posdaya_posdaya CASCADE")
        # Only a session that asks for it may (the test settings' flush does).
        owner.execute("SET pasar.allow_truncate = 'on'")
        owner.execute("TRUNCATE pasar_auditlog")


@postgres_only
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_command_refuses_a_role_that_would_defeat_it():
    with pytest.raises(CommandError, match="does not exist"):
        call_command("grant_app_role", role="tidak_ada_peran_ini")
    owner = connection.settings_dict["USER"]
    with pytest.raises(CommandError, match=r"superuser|owns tables"):
        call_command("grant_app_role", role=owner)


def test_compose_migrates_as_owner_and_serves_as_the_app_role():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    migrate, web = services["migrate"], services["web"]
    assert "grant_app_role --role pasar_app" in " ".join(migrate["command"])
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://pasar:")
    assert web["environment"]["DATABASE_URL"].startswith("postgres://pasar_app:")
    assert web["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert "migrate" not in " ".join(web["command"])
    # The web container gets its own password, not the owner's or the superuser's.
    assert web["env_file"] == "site.env"
    assert "PASAR_DB_OWNER_PASSWORD" not in str(web)
    dockerignore = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "site.env"} <= set(dockerignore)
    init = (ROOT / "deploy" / "postgres-init.sh").read_text()
    assert "CREATE ROLE pasar_app LOGIN" in init
    assert "NOSUPERUSER" in init
