"""`{% can "products" posdaya as can_products %}`: ask the permission policy.

Menus and buttons show a link only when the policy lets the user open it, so
what a role sees is exactly what it may do.
"""

from django import template

from posdaya.permissions import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, area, posdaya=None) -> bool:
    """Tell whether the signed-in user may work in `area` (at `posdaya`)."""
    request = context.get("request")
    if request is None:
        return False
    return policy.user_has_permission(request.user, area, posdaya)
