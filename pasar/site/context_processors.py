from django.conf import settings

from orders.cart import count_in_session


def site(request):
    """Site-wide template context: the induk's contact, the cart count.

    The count comes from the session cart, so a visitor without a session
    costs no query at all.
    """
    counter = getattr(request, "cart_count", None)
    if callable(counter):
        cart_count = counter()
    else:
        cart_count = count_in_session(getattr(request, "session", None))
    return {"induk": settings.PASAR_INDUK, "cart_count": cart_count}
