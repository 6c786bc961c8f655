"""Every write of a review, and the one writer of a product's stored rating.

`Product.rating_avg` and `Product.rating_count` are a cache of the visible
reviews (a check can recompute them from this table); each service that
changes what counts locks the product row first, so two reviews posted at
once both count.
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from orders.models import Order, OrderLine, SubOrder
from pasar.audit import record_audit
from pasar.errors import DomainError
from pasar.models import AuditLog
from pasar.pagecache import invalidate_public_pages

from .models import Review
from .selectors import average_of

AUTHOR_NAME_MAX = 60
HIDE_REASON_MAX = 300


class ReviewError(DomainError):
    """A review, reply or hiding that was refused; nothing changed."""


def _clean_text(text: str, *, limit: int, field: str, empty: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReviewError(empty, field=field)
    if len(text) > limit:
        raise ReviewError(
            _("Paling banyak %(limit)s huruf.") % {"limit": limit}, field=field
        )
    return text


def author_name_of(order: Order) -> str:
    """Return the name shown with a review: the buyer's first name only."""
    words = (order.name or "").split()
    return (words[0] if words else _("Pembeli"))[:AUTHOR_NAME_MAX]


def refresh_product_rating(product_id: int) -> None:
    """Store the average (2 places, half up) and count of the visible reviews.

    Call it inside a transaction that holds the product row's lock.
    """
    totals = Review.objects.filter(product_id=product_id, is_hidden=False).aggregate(
        count=Count("id"), total=Sum("rating")
    )
    count = totals["count"] or 0
    average = average_of(totals["total"] or 0, count)
    Product.objects.filter(pk=product_id).update(rating_avg=average, rating_count=count)


def _lock_product(product_id: int) -> None:
    list(Product.objects.select_for_update().filter(pk=product_id).values("pk"))


@transaction.atomic
def repair_product_rating(*, product_id: int) -> None:
    """Recount a product's stored rating from its visible reviews (under lock)."""
    _lock_product(product_id)
    refresh_product_rating(product_id)
    invalidate_public_pages()


@transaction.atomic
def post_review(
    *,
    order: Order,
    line_id: int,
    rating: int,
    text: str,
    photo: ContentFile | None = None,
    by=None,
) -> Review:
    """Record the buyer's review of one line of a completed sub-order.

    `order` is the order the visitor may open (signed in as its customer or
    through its secret link); a line of another order is refused.
    """
    line = (
        OrderLine.objects.select_related("suborder__order")
        .filter(pk=line_id, suborder__order=order)
        .first()
    )
    if line is None:
        raise ReviewError(_("Produk ini tidak ada di pesanan Anda."))
    if line.suborder.status != SubOrder.Status.COMPLETED:
        raise ReviewError(
            _("Produk ini bisa diulas setelah pesanan POSDAYA-nya selesai.")
        )
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ReviewError(_("Pilih nilai 1 sampai 5 bintang."), field="rating")
    text = _clean_text(
        text,
        limit=Review.TEXT_MAX,
        field="text",
        empty=_("Tuliskan ulasan Anda."),
    )
    _lock_product(line.product_id)
    if Review.objects.filter(line=line).exists():
        raise ReviewError(_("Produk ini sudah Anda ulas."))
    try:
        with transaction.atomic():
            review = Review.objects.create(
                line=line,
                product_id=line.product_id,
                posdaya_id=line.suborder.posdaya_id,
                author=by if by is not None and by.is_authenticated else None,
                author_name=author_name_of(order),
                rating=rating,
                text=text,
                photo=photo or "",
            )
    except IntegrityError:  # the same line reviewed at the same instant
        raise ReviewError(_("Produk ini sudah Anda ulas.")) from None
    refresh_product_rating(line.product_id)
    invalidate_public_pages()
    return review


@transaction.atomic
def reply_to_review(*, review: Review, text: str, by) -> Review:
    """Record the POSDAYA's one reply to a review."""
    text = _clean_text(
        text,
        limit=Review.REPLY_MAX,
        field="text",
        empty=_("Tuliskan balasan Anda."),
    )
    now = timezone.now()
    replied = Review.objects.filter(pk=review.pk, reply="").update(
        reply=text, replied_at=now, replied_by=by, updated_at=now
    )
    if not replied:
        raise ReviewError(_("Ulasan ini sudah dibalas."))
    invalidate_public_pages()
    review.refresh_from_db()
    return review


@transaction.atomic
def hide_review(*, review: Review, reason: str, by) -> Review:
    """Hide a review from the public with a reason; audited, leaves the average."""
    reason = _clean_text(
        reason,
        limit=HIDE_REASON_MAX,
        field="reason",
        empty=_("Tuliskan alasan menyembunyikan ulasan."),
    )
    _lock_product(review.product_id)
    now = timezone.now()
    hidden = Review.objects.filter(pk=review.pk, is_hidden=False).update(
        is_hidden=True,
        hidden_reason=reason,
        hidden_at=now,
        hidden_by=by,
        updated_at=now,
    )
    if not hidden:
        raise ReviewError(_("Ulasan ini sudah disembunyikan."))
    review.refresh_from_db()
    record_audit(
        actor=by,
        action=AuditLog.Action.OTHER,
        target=review,
        posdaya=review.posdaya,
        before={"review_hidden": False},
        after={"review_hidden": True, "rating": review.rating},
        note=_("Ulasan disembunyikan: %(reason)s") % {"reason": reason},
    )
    refresh_product_rating(review.product_id)
    invalidate_public_pages()
    return review
