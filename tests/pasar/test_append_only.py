"""Ledger tables refuse changes: in the model layer and, on PostgreSQL, in the DB."""

import pytest
from django.db import DatabaseError, connection, transaction

from pasar.audit import record_audit
from pasar.models import AppendOnlyError, AuditLog

pytestmark = pytest.mark.django_db


def test_audit_row_cannot_be_changed_or_deleted_through_the_orm(posdaya, koordinator):
    entry = record_audit(
        actor=koordinator,
        action=AuditLog.Action.POSDAYA_CHANGED,
        target=posdaya,
        posdaya=posdaya,
        before={"name": "Lama"},
        after={"name": "Baru"},
    )
    entry.note = "ubah"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    fresh = AuditLog.objects.get()
    assert (fresh.note, fresh.before, fresh.after) == (
        "",
        {"name": "Lama"},
        {"name": "Baru"},
    )
    assert fresh.actor == koordinator
    assert fresh.target_repr == "POSDAYA Bahagia"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_database_refuses_update_and_delete_on_postgresql(posdaya, koordinator):
    entry = record_audit(
        actor=koordinator, action=AuditLog.Action.OTHER, target=posdaya
    )
    for sql in (
        "UPDATE pasar_auditlog SET note = 'x' WHERE id = %s",
        "DELETE FROM pasar_auditlog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditLog.objects.get().note == ""
