"""The address of the client a request comes from, the same for every limit.

Behind a reverse proxy every request reaches the app from the proxy's address,
so a limit counted per REMOTE_ADDR is one bucket for the whole site. The
deployment says which proxies to trust (environment, read in the settings):

- `PASAR_TRUSTED_PROXY_COUNT`: the number of proxies in front of the app that
  each append the address they saw to `X-Forwarded-For`; the client is the
  entry that many places from the end (entries before it are what the client
  sent and are never believed).
- `PASAR_TRUSTED_CLIENT_IP_HEADER`: or a header a trusted proxy overwrites with
  the client's address (`X-Real-IP`, `CF-Connecting-IP`).

allauth's rate limits ask this helper through `pasar.accountadapter`; every
limit of our own must too.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """Return the client's address: from the trusted proxy, else the peer's."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.PASAR_TRUSTED_CLIENT_IP_HEADER
    count = settings.PASAR_TRUSTED_PROXY_COUNT
    if header:
        candidate = request.headers.get(header, "")
    elif count > 0:
        entries = request.headers.get("X-Forwarded-For", "").split(",")
        # Fewer entries than trusted proxies: the request went around them.
        candidate = entries[-count] if len(entries) >= count else ""
    else:
        candidate = ""
    return _valid(candidate) or _valid(remote) or remote


def _valid(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""
