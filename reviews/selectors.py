"""Reads of reviews: a product's visible ones, a POSDAYA's, an order's lines."""

from django.db.models import QuerySet

from orders.models import Order, SubOrder

from .models import Review

PRODUCT_PAGE_REVIEWS = 5


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
