"""Every write to the outbox: queue a message, deliver it, mark it sent by hand.

A message is queued inside the transaction of its event (placing an order,
approving a payment, recording a weighing) and its delivery task is enqueued
when that transaction commits, so a request never waits for a mail server or
the WhatsApp API, and a rolled-back event sends nothing.

Delivery claims the row with one conditional UPDATE (pending and due →
sending), so two workers running the same task at once deliver it once. A
temporary failure puts it back with a back-off; the last attempt, or a
permanent failure, leaves it "failed" with the reason for the koordinator's
page. A channel that is not configured (WhatsApp without the Cloud API)
keeps its messages "manual": listed with a wa.me link for someone to send.
"""

import logging
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.errors import DomainError

from .channels import DeliveryError, get_channel
from .models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait after the 1st, 2nd, ... failed attempt.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
# A row "sending" this long belongs to a worker that died: due again.
STALE_CLAIM = timedelta(minutes=15)

S = Message.Status
_muted = threading.local()


class MessageError(DomainError):
    pass


@contextmanager
def muted():
    """Queue nothing inside this block (demo data is not news to anyone)."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def is_muted() -> bool:
    return getattr(_muted, "on", False)


def queue_message(
    *,
    kind: str,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    link: str = "",
    params: list | None = None,
    name: str = "",
    posdaya=None,
) -> Message | None:
    """Write one message to the outbox; deliver it after the commit.

    Returns None (and writes nothing) without a recipient or while muted.
    """
    if not to or is_muted():
        return None
    configured = get_channel(channel).is_configured()
    message = Message.objects.create(
        kind=kind,
        channel=channel,
        recipient=to,
        recipient_name=name[:120],
        subject=subject[:200],
        # No trailing blank lines: they say nothing, and an XML backup drops them.
        body=body.strip(),
        link=link[:500],
        params=[str(p) for p in params or []],
        posdaya=posdaya,
        status=S.PENDING if configured else S.MANUAL,
    )
    if configured:
        transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def enqueue_delivery(message_id: int, run_after: datetime | None = None) -> None:
    """Hand the delivery to the task queue; `send_messages` sweeps what it loses."""
    from .tasks import deliver_message

    task = deliver_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the sweep (`manage.py send_messages`) tries it when due
        task = task.using(run_after=run_after)
    try:
        task.enqueue(message_id)
    except Exception:  # the row stays pending: the sweep delivers it
        logger.exception("Could not enqueue the delivery of message %s", message_id)


def deliver(*, message_id: int, now: datetime | None = None) -> str | None:
    """Deliver one message if it is pending and due; return its new status.

    None when another worker has it, it was delivered already, or it is not
    due yet: nothing is sent twice.
    """
    now = now or timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, status=S.PENDING, next_attempt_at__lte=now
    ).update(
        status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    try:
        get_channel(message.channel).send(message)
    except DeliveryError as error:
        return _failed(message, error, now)
    except Exception as error:  # a channel's bug must not stop the queue
        logger.exception(
            "Channel %s crashed on message %s", message.channel, message.pk
        )
        return _failed(message, DeliveryError(f"{type(error).__name__}: {error}"), now)
    Message.objects.filter(pk=message.pk, status=S.SENDING).update(
        status=S.SENT, sent_at=timezone.now(), last_error="", updated_at=timezone.now()
    )
    return S.SENT


def _failed(message: Message, error: DeliveryError, now: datetime) -> str:
    if error.permanent or message.attempts >= MAX_ATTEMPTS:
        status, retry_at = S.FAILED, None
    else:
        status = S.PENDING
        retry_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
    Message.objects.filter(pk=message.pk, status=S.SENDING).update(
        status=status,
        last_error=error.reason,
        next_attempt_at=retry_at or F("next_attempt_at"),
        updated_at=timezone.now(),
    )
    logger.warning(
        "Message %s (%s) attempt %s: %s", message.pk, status, message.attempts, error
    )
    if retry_at is not None:
        enqueue_delivery(message.pk, run_after=retry_at)
    return status


def deliver_due(*, now: datetime | None = None) -> dict[str, int]:
    """Deliver every pending message that is due (the sweep); count outcomes.

    Also frees rows a dead worker left "sending" for STALE_CLAIM.
    """
    now = now or timezone.now()
    Message.objects.filter(status=S.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=S.PENDING, updated_at=now
    )
    counts: dict[str, int] = {}
    due = Message.objects.filter(status=S.PENDING, next_attempt_at__lte=now)
    for pk in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True):
        status = deliver(message_id=pk, now=now)
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts


def mark_sent_by_hand(*, message: Message, by, now: datetime | None = None) -> Message:
    """Record that someone sent a manual message through its wa.me link."""
    now = now or timezone.now()
    done = Message.objects.filter(pk=message.pk, status=S.MANUAL).update(
        status=S.SENT, sent_at=now, sent_by=by, updated_at=now
    )
    if not done:
        raise MessageError(_("Pesan ini sudah ditandai terkirim."))
    message.refresh_from_db()
    return message


def retry_message(*, message: Message, now: datetime | None = None) -> Message:
    """Give a failed message a fresh set of attempts (e.g. after fixing a template)."""
    now = now or timezone.now()
    with transaction.atomic():
        done = Message.objects.filter(pk=message.pk, status=S.FAILED).update(
            status=S.PENDING, attempts=0, next_attempt_at=now, updated_at=now
        )
        if not done:
            raise MessageError(_("Hanya pesan yang gagal yang bisa dicoba lagi."))
        transaction.on_commit(lambda: enqueue_delivery(message.pk))
    message.refresh_from_db()
    return message
