"""Writing the audit log."""

from django.db.models import Model

from .models import AuditLog


def record_audit(
    *,
    actor,
    action: str,
    target: Model,
    posdaya=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditLog:
    """Append one audit row; call it inside the service's transaction."""
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        posdaya=posdaya,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        before=before,
        after=after,
        note=note,
    )
