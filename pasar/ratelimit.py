"""Our own rate limits (checkout, proof uploads), counted like the sign-in's.

The rates live in `PASAR_RATE_LIMITS` (settings, from the environment), in
allauth's notation: "10/h/ip,5/h/key" is ten an hour per client address and
five an hour per key (an order code). allauth's counter does the counting: the
client address comes from `pasar.clientip` (through our account adapter), the
counts live in the `default` cache every worker and server shares, and each
counter is updated under its own lock. An action without a rate is unlimited.
"""

from allauth.core.internal import ratelimit as _allauth
from django.conf import settings


def allow(request, action: str, *, key: str | None = None) -> bool:
    """Count one `action` by this client; False when it is over its limit."""
    usage = _allauth.consume(
        request,
        app="pasar",
        action=action,
        config=settings.PASAR_RATE_LIMITS,
        key=key,
    )
    return usage is not None
