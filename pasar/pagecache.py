"""Whole-page cache for anonymous visitors of the public catalog pages.

A visitor without a session (no cart, not signed in, no pending message) sees
the same home, catalog, category, product and POSDAYA pages as every other such
visitor, so the rendered page is kept in the cache, per language and URL. Only
the CSRF token of the page's forms differs per visitor: it is stored as a
placeholder and filled in on every hit.

Any change that could alter those pages (a product, price, stock, photo or
POSDAYA profile; an order reserving or returning stock) calls
`invalidate_public_pages()` after its transaction commits, which bumps a version
number that is part of every key: stale pages are never served again. Cart,
checkout and order pages are never cached, so they always read live prices and
stock.
"""

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

VERSION_KEY = "pagecache:version"
TIMEOUT = 600
PLACEHOLDER = "__PASAR_CSRF_TOKEN__"
CACHEABLE = {
    "home",
    "catalog:product_list",
    "catalog:product_detail",
    "catalog:category",
    "posdaya:list",
    "catalog:storefront",
    "impact",
}
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")


def invalidate_public_pages() -> None:
    """Drop every cached public page once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value will do
        cache.set(VERSION_KEY, 2, None)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


class AnonymousPageCacheMiddleware:
    """Serve the public pages from the cache to visitors without a session.

    Sits last in MIDDLEWARE so every other middleware still processes a cached
    response (security headers, CSP, the CSRF cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._eligible(request):
            return self.get_response(request)
        key = self._key(request)
        cached = cache.get(key)
        if cached is not None:
            return self._rebuild(request, cached)
        response = self.get_response(request)
        if self._storable(response):
            content = _TOKEN.sub(
                rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode("utf-8")
            )
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            cache.set(key, {"content": content, "headers": headers}, TIMEOUT)
        return response

    def _eligible(self, request) -> bool:
        if not settings.PASAR_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        if "messages" in request.COOKIES:
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in CACHEABLE

    def _key(self, request) -> str:
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        path = request.get_full_path()
        digest = hashlib.sha256(f"{request.get_host()}|{path}".encode()).hexdigest()
        return f"pagecache:{_version()}:{language}:{digest}"

    @staticmethod
    def _storable(response) -> bool:
        if response.status_code != 200 or response.streaming:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        # A page that started a session or left a message is not shareable.
        return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)

    @staticmethod
    def _rebuild(request, cached) -> HttpResponse:
        content = cached["content"]
        if PLACEHOLDER in content:
            content = content.replace(PLACEHOLDER, get_token(request))
        response = HttpResponse(content)
        for header, value in cached["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return response


def invalidates_public_pages(service):
    """Decorate a service whose success may change a public page."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        invalidate_public_pages()
        return result

    return wrapper
