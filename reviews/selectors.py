"""Reads of reviews: a product's visible ones, a POSDAYA's, an order's lines."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from catalog.models import Product
from orders.models import Order, SubOrder

from .models import Review

PRODUCT_PAGE_REVIEWS = 5


def average_of(total: int, count: int) -> Decimal:
    """Return total / count to 2 places, half up (0 without reviews)."""
    if not count:
        return Decimal("0.00")
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def visible_reviews(product) -> QuerySet[Review]:
    """Return a product's visible reviews, newest first."""
    return Review.objects.filter(product=product, is_hidden=False).order_by(
        "-created_at", "-id"
    )


def reviews_of_posdaya(posdaya) -> QuerySet[Review]:
    """Return every review of a POSDAYA's products (hidden ones too), newest first."""
    return (
        Review.objects.filter(posdaya=posdaya)
        .select_related("product")
        .order_by("-created_at", "-id")
    )


def all_reviews() -> QuerySet[Review]:
    """Return every review of every POSDAYA, newest first (the koordinator's list)."""
    return Review.objects.select_related("product", "posdaya").order_by(
        "-created_at", "-id"
    )


def order_lines_to_review(order: Order) -> list[dict]:
    """Return each line of the order's completed sub-orders with its review.

    `order` comes with its sub-orders and lines prefetched
    (`orders.selectors.order_detail_queryset`).
    """
    lines = [
        line
        for suborder in order.suborders.all()
        if suborder.status == SubOrder.Status.COMPLETED
        for line in suborder.lines.all()
    ]
    reviews = {
        review.line_id: review
        for review in Review.objects.filter(line__in=[line.pk for line in lines])
    }
    return [{"line": line, "review": reviews.get(line.pk)} for line in lines]


@dataclass(frozen=True)
class RatingMismatch:
    product_id: int
    slug: str
    cached: tuple[Decimal, int]
    reviews: tuple[Decimal, int]

    def __str__(self) -> str:
        return (
            f"{self.slug}: cached {self.cached[0]} of {self.cached[1]}, "
            f"visible reviews {self.reviews[0]} of {self.reviews[1]}"
        )


def rating_mismatches() -> list[RatingMismatch]:
    """Return each product whose stored rating is not that of its visible reviews."""
    visible = Q(reviews__is_hidden=False)
    products = (
        Product.objects.annotate(
            visible_count=Count("reviews", filter=visible),
            visible_total=Sum("reviews__rating", filter=visible),
        )
        .filter(Q(rating_count__gt=0) | Q(rating_avg__gt=0) | Q(visible_count__gt=0))
        .order_by("pk")
        .values(
            "pk", "slug", "rating_avg", "rating_count", "visible_count", "visible_total"
        )
    )
    found = []
    for row in products:
        truth = (
            average_of(row["visible_total"] or 0, row["visible_count"]),
            row["visible_count"],
        )
        cached = (row["rating_avg"], row["rating_count"])
        if cached != truth:
            found.append(RatingMismatch(row["pk"], row["slug"], cached, truth))
    return found
