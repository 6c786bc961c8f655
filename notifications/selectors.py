"""Reads of the outbox: the koordinator's list and a POSDAYA's messages to send."""

from django.db.models import Count, QuerySet

from .models import Message


def outbox(*, status: str = "") -> QuerySet[Message]:
    """Every message, newest first, optionally of one status (koordinator)."""
    messages = Message.objects.select_related("posdaya", "sent_by")
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-id")


def outbox_counts() -> dict[str, int]:
    """How many messages there are of each status."""
    counts = dict.fromkeys(Message.Status.values, 0)
    for row in Message.objects.values("status").order_by().annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def to_send_by_hand(*, posdaya) -> QuerySet[Message]:
    """Messages `posdaya` (None: the induk) is to send itself through wa.me."""
    return Message.objects.filter(
        posdaya=posdaya, status=Message.Status.MANUAL
    ).order_by("created_at", "id")
