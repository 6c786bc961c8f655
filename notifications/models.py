"""The outbox: every message the site sends is a row before it is sent."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasar.models import TimeStampedModel, recorded_by


class Message(TimeStampedModel):
    """One message to one recipient on one channel, and how its delivery went.

    Written in the same transaction as the event it tells about, so a message
    exists exactly when its event does; delivered after the commit by the
    task worker (notifications/services.py). `posdaya` is who sends it by hand
    when its channel cannot send by itself (WhatsApp without the Cloud API):
    that POSDAYA's dashboard, or the induk's when empty.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu dikirim")
        SENDING = "sending", _("sedang dikirim")
        SENT = "sent", _("terkirim")
        FAILED = "failed", _("gagal")
        MANUAL = "manual", _("kirim manual")

    kind = models.CharField(_("jenis"), max_length=40)
    channel = models.CharField(_("saluran"), max_length=16, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=254)
    recipient_name = models.CharField(_("nama penerima"), max_length=120, blank=True)
    subject = models.CharField(_("judul"), max_length=200, blank=True)
    body = models.TextField(_("isi"))
    link = models.CharField(_("tautan"), max_length=500, blank=True)
    # The WhatsApp template's body parameters, in order.
    params = models.JSONField(_("parameter"), default=list, blank=True)
    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("coba lagi pada"), default=timezone.now)
    claimed_at = models.DateTimeField(_("diambil pada"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_error = models.TextField(_("alasan gagal"), blank=True)
    sent_by = recorded_by(_("dikirim manual oleh"))

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["posdaya", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(recipient=""), name="message_has_recipient"
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.kind}"
