"""The site's public address: every absolute link is built from one setting.

`PASAR_SITE_URL` (e.g. `https://pasarbahagia.id`) is where shoppers reach the
site. Links that leave the request (emails, WhatsApp messages, invitations)
and links that crawlers keep (sitemap, robots.txt, OpenGraph) never trust the
request's Host header or the sites framework's "example.com". pasar/checks.py
refuses production settings without it.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """Return the public address without a trailing slash."""
    return settings.PASAR_SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """Return `path` on the public address; an absolute URL comes back as is."""
    if urlsplit(path).scheme in ("http", "https"):
        return path  # photos on S3 already carry their own origin
    return f"{site_url()}/{path.lstrip('/')}"


def site_scheme() -> str:
    return urlsplit(site_url()).scheme


def site_domain() -> str:
    """Return host[:port] of the public address (what sitemaps call a domain)."""
    return urlsplit(site_url()).netloc


def site_url_problem(value: str) -> str | None:
    """Return why `value` cannot be the public address, or None when it can."""
    if not value:
        return "is not set"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// address with a host name"
    if parts.path.strip("/") or parts.query or parts.fragment:
        return "must be the site's root, without a path, query or fragment"
    return None
