"""Reads shared across apps: the audit log."""

from django.db.models import QuerySet

from .models import AuditLog


def audit_entries(
    *, action="", posdaya=None, actor="", date_from=None, date_to=None
) -> QuerySet[AuditLog]:
    """Return audit rows, newest first, narrowed by the given filters."""
    entries = AuditLog.objects.select_related("actor", "posdaya")
    if action:
        entries = entries.filter(action=action)
    if posdaya is not None:
        entries = entries.filter(posdaya=posdaya)
    if actor:
        entries = entries.filter(actor__username__icontains=actor)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries
