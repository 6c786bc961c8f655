"""Shared model bases and the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def recorded_by(verbose_name):
    """A nullable link to the user who did something; kept if the user goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a ledger row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted.")


class AppendOnlyModel(models.Model):
    """Abstract base for ledgers: a row is written once and never changed.

    A mistake is corrected by a new, linked reversal row. On PostgreSQL a trigger
    (see `pasar.db.append_only_trigger`) refuses UPDATE and DELETE as well.
    """

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be updated.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted.")


class AuditLog(AppendOnlyModel):
    """A sensitive action: who did what to which object, before and after."""

    class Action(models.TextChoices):
        PRICE_CHANGE = "price_change", _("Perubahan harga")
        STOCK_ADJUSTMENT = "stock_adjustment", _("Penyesuaian stok")
        PAYMENT_APPROVED = "payment_approved", _("Pembayaran disetujui")
        PAYMENT_REJECTED = "payment_rejected", _("Pembayaran ditolak")
        LEDGER_CORRECTION = "ledger_correction", _("Koreksi buku tabungan")
        PAYOUT = "payout", _("Pembayaran ke POSDAYA")
        ROLE_GRANTED = "role_granted", _("Peran diberikan")
        ROLE_REVOKED = "role_revoked", _("Peran dicabut")
        POSDAYA_CHANGED = "posdaya_changed", _("Profil POSDAYA diubah")
        OTHER = "other", _("Lainnya")

    actor = recorded_by(_("pelaku"))
    action = models.CharField(_("tindakan"), max_length=32, choices=Action.choices)
    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_type = models.CharField(_("jenis objek"), max_length=64)
    target_id = models.CharField(_("id objek"), max_length=64)
    target_repr = models.CharField(_("objek"), max_length=255)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("log audit")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_repr}"
