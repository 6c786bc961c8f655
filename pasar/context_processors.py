from django.conf import settings


def site(request):
    """Site-wide template context: the induk's contact, the cart count."""
    cart_count = 0
    counter = getattr(request, "cart_count", None)
    if callable(counter):
        cart_count = counter()
    return {"induk": settings.PASAR_INDUK, "cart_count": cart_count}
