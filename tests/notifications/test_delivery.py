"""The outbox worker: delivery, retries with back-off, failure for good, once only."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications import services
from notifications.channels import DeliveryError
from notifications.models import Message
from notifications.services import (
    deliver,
    deliver_due,
    mark_sent_by_hand,
    queue_message,
)
from tests.conftest import race

S = Message.Status


def email(**overrides):
    fields = {
        "kind": "order_link",
        "channel": "email",
        "to": "budi@contoh.id",
        "subject": "Tautan pesanan",
        "body": "Halo Budi",
    }
    return queue_message(**{**fields, **overrides})


def whatsapp(**overrides):
    fields = {
        "kind": "payment_approved",
        "channel": "whatsapp",
        "to": "6281298765432",
        "body": "Halo Budi, pembayaran diterima: https://pasar.test/p",
        "params": ["Budi", "PB-1", "https://pasar.test/p"],
        "name": "Budi",
    }
    return queue_message(**{**fields, **overrides})


def row(message):
    message.refresh_from_db()
    return (message.status, message.attempts, message.last_error)


def test_a_message_is_delivered_after_the_commit_not_before(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = email()
    assert (row(message), mail.outbox) == ((S.PENDING, 0, ""), [])
    (callback,) = callbacks
    callback()  # the immediate task backend delivers in place
    assert row(message) == (S.SENT, 1, "")
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        ("Tautan pesanan", ["budi@contoh.id"], "Halo Budi")
    ]


def test_no_recipient_or_muted_writes_nothing(db):
    assert email(to="") is None
    with services.muted():
        assert email() is None
    assert Message.objects.count() == 0


def test_delivering_twice_sends_once(db):
    message = email()
    assert deliver(message_id=message.pk) == S.SENT
    assert deliver(message_id=message.pk) is None
    assert len(mail.outbox) == 1


class Flaky:
    """A channel failing the first `failures` times, then delivering."""

    def __init__(self, failures, permanent=False):
        self.failures, self.permanent, self.sent = failures, permanent, []

    def is_configured(self):
        return True

    def send(self, message):
        if self.failures:
            self.failures -= 1
            raise DeliveryError("server busy", permanent=self.permanent)
        self.sent.append(message.pk)


@pytest.fixture
def flaky(monkeypatch):
    def install(channel):
        monkeypatch.setattr(services, "get_channel", lambda name: channel)
        return channel

    return install


def test_a_temporary_failure_is_retried_with_back_off(db, flaky):
    channel = flaky(Flaky(failures=2))
    message = email()
    now = timezone.now()
    assert deliver(message_id=message.pk, now=now) == S.PENDING
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        S.PENDING,
        1,
        "server busy",
    )
    assert message.next_attempt_at == now + timedelta(minutes=1)
    # Not due yet: nothing happens.
    assert deliver(message_id=message.pk, now=now + timedelta(seconds=59)) is None
    later = now + timedelta(minutes=1)
    assert deliver(message_id=message.pk, now=later) == S.PENDING
    message.refresh_from_db()
    assert message.next_attempt_at == later + timedelta(minutes=5)
    assert deliver_due(now=later + timedelta(minutes=5)) == {S.SENT: 1}
    assert row(message) == (S.SENT, 3, "")
    assert channel.sent == [message.pk]


def test_after_the_last_attempt_it_fails_for_good_with_the_reason(db, flaky):
    flaky(Flaky(failures=99))
    message = email()
    now = timezone.now()
    for attempt in range(services.MAX_ATTEMPTS):
        status = deliver(message_id=message.pk, now=now + timedelta(days=attempt))
    assert status == S.FAILED
    assert row(message) == (S.FAILED, 5, "server busy")
    assert deliver(message_id=message.pk, now=now + timedelta(days=30)) is None


def test_a_permanent_failure_is_not_retried(db, flaky):
    flaky(Flaky(failures=1, permanent=True))
    message = email()
    assert deliver(message_id=message.pk) == S.FAILED
    assert row(message) == (S.FAILED, 1, "server busy")


def test_a_crashing_channel_is_a_temporary_failure(db, flaky):
    class Broken(Flaky):
        def send(self, message):
            raise ValueError("bug")

    flaky(Broken(0))
    message = email()
    assert deliver(message_id=message.pk) == S.PENDING
    assert row(message) == (S.PENDING, 1, "ValueError: bug")


def test_a_claim_left_by_a_dead_worker_is_freed_by_the_sweep(db):
    message = email()
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        status=S.SENDING, claimed_at=now - timedelta(minutes=16)
    )
    assert deliver_due(now=now) == {S.SENT: 1}
    assert len(mail.outbox) == 1


def test_whatsapp_without_the_cloud_api_waits_to_be_sent_by_hand(db, koordinator):
    message = whatsapp()
    assert row(message) == (S.MANUAL, 0, "")
    assert deliver(message_id=message.pk) is None  # the worker leaves it alone
    mark_sent_by_hand(message=message, by=koordinator)
    message.refresh_from_db()
    assert (message.status, message.sent_by) == (S.SENT, koordinator)
    with pytest.raises(services.MessageError, match="sudah ditandai terkirim"):
        mark_sent_by_hand(message=message, by=koordinator)


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_deliver_a_message_once(monkeypatch):
    sent = []

    class Slow(Flaky):
        def send(self, message):
            time.sleep(0.2)  # the other workers arrive while this one sends
            sent.append(message.pk)

    monkeypatch.setattr(services, "get_channel", lambda name: Slow(0))
    monkeypatch.setattr(services, "enqueue_delivery", lambda pk: None)
    message = email()
    results, errors = race(lambda: deliver(message_id=message.pk), threads=4)
    assert errors == []
    assert sorted(results, key=str) == [None, None, None, S.SENT]
    assert sent == [message.pk]
    assert row(message) == (S.SENT, 1, "")


def test_send_messages_command_sweeps_what_is_due(db, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setattr(services, "enqueue_delivery", lambda pk: None)
    email()
    email(to="sari@contoh.id")
    out = StringIO()
    call_command("send_messages", stdout=out)
    assert out.getvalue() == "Messages: 2 sent.\n"
    assert sorted(m.to[0] for m in mail.outbox) == ["budi@contoh.id", "sari@contoh.id"]
    call_command("send_messages", stdout=out)
    assert out.getvalue().endswith("Messages: none due.\n")


@pytest.mark.django_db(transaction=True)
def test_a_retry_is_a_deferred_task_on_the_database_queue(flaky, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from notifications import tasks

    monkeypatch.setattr(
        tasks, "deliver_message", tasks.deliver_message.using(backend="database")
    )
    flaky(Flaky(failures=1))
    message = email()  # committed: its first task is queued
    (first,) = DBTaskResult.objects.all()
    assert (first.task_path, first.args_kwargs) == (
        "notifications.tasks.deliver_message",
        {"args": [message.pk], "kwargs": {}},
    )
    now = timezone.now()
    assert deliver(message_id=message.pk, now=now) == S.PENDING
    retry = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert retry.run_after == now + timedelta(minutes=1)


def test_a_refused_email_address_fails_for_good_with_a_reason_in_indonesian(
    db, monkeypatch
):
    import smtplib

    from notifications import channels

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"budi@contoh.id": (550, b"No such user")})

    monkeypatch.setattr(channels, "send_mail", refuse)
    message = email()
    assert deliver(message_id=message.pk) == S.FAILED
    assert row(message) == (
        S.FAILED,
        1,
        "Server email menolak alamat penerima: budi@contoh.id",
    )
