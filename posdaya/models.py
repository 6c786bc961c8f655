"""The 16 POSDAYA of Kelurahan Bahagia and who works at each.

POSDAYA (Pos Pemberdayaan Keluarga) is a family empowerment post run by housewives;
each one makes crafts and runs a bank sampah. The POSDAYA Induk coordinates them.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pasar.models import TimeStampedModel

# Slugs that are dashboard sections, so no POSDAYA may take them.
RESERVED_SLUGS = {"induk", "pembayaran", "baru", "admin"}


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Senin")
    TUESDAY = 1, _("Selasa")
    WEDNESDAY = 2, _("Rabu")
    THURSDAY = 3, _("Kamis")
    FRIDAY = 4, _("Jumat")
    SATURDAY = 5, _("Sabtu")
    SUNDAY = 6, _("Minggu")


def default_weighing_days():
    return [Weekday.SATURDAY, Weekday.SUNDAY]


class Posdaya(TimeStampedModel):
    """One family empowerment post: its shop and its bank sampah."""

    name = models.CharField(_("nama"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    code = models.CharField(
        _("kode"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Tiga huruf kapital, mis. BHG."))],
        help_text=_("Tiga huruf untuk nomor rekening nasabah, mis. BHG."),
    )
    rw = models.CharField(_("RW"), max_length=3)
    address = models.CharField(_("alamat"), max_length=255)
    profile = models.TextField(_("profil singkat"), blank=True)
    photo = models.ImageField(_("foto"), upload_to="posdaya/", blank=True)
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=16)
    weighing_days = models.JSONField(
        _("hari penimbangan"), default=default_weighing_days
    )
    weighing_hours = models.CharField(
        _("jam penimbangan"),
        max_length=40,
        blank=True,
        help_text=_("Mis. 08.00–11.00. Kosongkan bila belum tentu."),
    )
    weighing_place = models.CharField(
        _("tempat penimbangan"),
        max_length=255,
        blank=True,
        help_text=_("Kosongkan bila sama dengan alamat POSDAYA."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("POSDAYA")
        verbose_name_plural = _("POSDAYA")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:storefront", kwargs={"slug": self.slug})

    def get_weighing_days_display(self):
        labels = dict(Weekday.choices)
        return [labels[day] for day in sorted(self.weighing_days) if day in labels]


class Membership(TimeStampedModel):
    """A role held by a user: at one POSDAYA, or koordinator at the induk."""

    class Role(models.TextChoices):
        PENGELOLA = "pengelola", _("Pengelola")
        PETUGAS = "petugas", _("Petugas bank sampah")
        KOORDINATOR = "koordinator", _("Koordinator (POSDAYA Induk)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    posdaya = models.ForeignKey(
        Posdaya,
        verbose_name=_("POSDAYA"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("peran"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("peran staf")
        verbose_name_plural = _("peran staf")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="koordinator") & Q(posdaya__isnull=True))
                | (~Q(role="koordinator") & Q(posdaya__isnull=False)),
                name="membership_koordinator_has_no_posdaya",
            ),
            models.UniqueConstraint(
                fields=["user", "posdaya", "role"], name="membership_unique_role"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role="koordinator"),
                name="membership_unique_koordinator",
            ),
        ]

    def __str__(self):
        if self.posdaya_id:
            return f"{self.user} · {self.get_role_display()} · {self.posdaya}"
        return f"{self.user} · {self.get_role_display()}"
