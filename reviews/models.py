"""Reviews (ulasan) of products by the shoppers who bought them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pasar.models import TimeStampedModel, recorded_by


class Review(TimeStampedModel):
    """A shopper's rating (1–5) and words on one line of a completed sub-order.

    One per order line. The POSDAYA's pengelola may reply once; the
    koordinator may hide it with a reason. Only visible reviews count in the
    product's stored average (`Product.rating_avg`, `rating_count`).
    """

    TEXT_MAX = 1000
    REPLY_MAX = 1000

    line = models.ForeignKey(
        "orders.OrderLine",
        verbose_name=_("baris pesanan"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    product = models.ForeignKey(
        "catalog.Product",
        verbose_name=_("produk"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penulis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    author_name = models.CharField(_("nama penulis"), max_length=60)
    rating = models.PositiveSmallIntegerField(_("nilai"))
    text = models.TextField(_("ulasan"), max_length=TEXT_MAX)
    photo = models.ImageField(_("foto"), upload_to="reviews/", blank=True)
    reply = models.TextField(_("balasan"), max_length=REPLY_MAX, blank=True)
    replied_at = models.DateTimeField(_("dibalas pada"), null=True, blank=True)
    replied_by = recorded_by(_("dibalas oleh"))
    is_hidden = models.BooleanField(_("disembunyikan"), default=False)
    hidden_reason = models.CharField(
        _("alasan disembunyikan"), max_length=300, blank=True
    )
    hidden_at = models.DateTimeField(_("disembunyikan pada"), null=True, blank=True)
    hidden_by = recorded_by(_("disembunyikan oleh"))

    class Meta:
        verbose_name = _("ulasan")
        verbose_name_plural = _("ulasan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["line"], name="review_one_per_order_line"),
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="review_rating_1_to_5",
            ),
        ]
        indexes = [
            # The product page: its visible reviews, newest first.
            models.Index(
                fields=["product", "is_hidden", "-created_at", "-id"],
                name="review_product_newest",
            ),
            models.Index(
                fields=["posdaya", "-created_at", "-id"],
                name="review_posdaya_newest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} · {self.rating}/5 · {self.author_name}"
