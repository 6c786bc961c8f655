"""Bank sampah: the waste bank each POSDAYA runs.

Nasabah (members) bring sorted waste on weighing days; a setoran (deposit) is
weighed and credited to the member's savings book; a penarikan is a withdrawal;
pengepul are the collectors who buy the sorted waste.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pasar.models import TimeStampedModel


class WasteCategory(TimeStampedModel):
    """A kind of waste the bank accepts (PET bottles, cardboard, cooking oil…)."""

    class Group(models.TextChoices):
        PLASTIK = "plastik", _("Plastik")
        KERTAS = "kertas", _("Kertas")
        LOGAM = "logam", _("Logam")
        KACA = "kaca", _("Kaca")
        LAINNYA = "lainnya", _("Lainnya")

    class Unit(models.TextChoices):
        KG = "kg", _("kg")
        LITER = "liter", _("liter")
        PCS = "pcs", _("pcs")

    name = models.CharField(_("nama"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    group = models.CharField(_("kelompok"), max_length=16, choices=Group.choices)
    unit = models.CharField(
        _("satuan"), max_length=8, choices=Unit.choices, default=Unit.KG
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis sampah")
        verbose_name_plural = _("jenis sampah")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
