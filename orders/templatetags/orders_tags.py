"""Template tags for other apps' pages: the new sub-order badge."""

from django import template

from orders.selectors import count_new_suborders

register = template.Library()


@register.simple_tag
def new_suborder_count(posdaya) -> int:
    """Count a POSDAYA's sub-orders in state `baru` (one query)."""
    return count_new_suborders(posdaya)
