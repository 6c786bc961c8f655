"""`{% product_reviews product %}`: the product page's review section.

A tag, so the catalog's view stays as it is (catalog sits below reviews and
never imports it); the figures come from the product row, the newest reviews
cost one query and none when there is no review.
"""

from django import template

from ..selectors import PRODUCT_PAGE_REVIEWS, visible_reviews

register = template.Library()


@register.inclusion_tag("reviews/partials/_product_reviews.html")
def product_reviews(product):
    reviews = (
        list(visible_reviews(product)[:PRODUCT_PAGE_REVIEWS])
        if product.rating_count
        else []
    )
    return {
        "product": product,
        "reviews": reviews,
        "more": product.rating_count > len(reviews),
    }


@register.filter
def stars(rating) -> str:
    """Return ★ for each point and ☆ for the rest of five (4 → ★★★★☆)."""
    try:
        full = round(float(rating))
    except (TypeError, ValueError):
        return ""
    full = max(0, min(5, full))
    return "★" * full + "☆" * (5 - full)
