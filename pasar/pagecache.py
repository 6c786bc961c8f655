"""Whole-page cache for anonymous visitors of the public catalog pages.

A visitor without a session (no cart, not signed in, no pending message) sees
the same home, catalog, category, product and POSDAYA pages as every other such
visitor, so the rendered page is kept in the cache, per language and URL. Only
the CSRF token of the page's forms differs per visitor: it is stored as a
placeholder and filled in on every hit.

**The catalogue version.** Every key starts with the catalogue version, kept
in the shared `default` cache. Any change that could alter those pages (a
product, price, stock, photo or POSDAYA profile; an order reserving or
returning stock) calls `invalidate_public_pages()`, which writes a new version
once its transaction commits: every page stored before is never read again,
by any worker on any server. A version is a random token, never a counter:

- two bumps at once (two workers, two servers) each write a value nobody has
  used, so whichever lands last, the current version is new for both changes
  (a database cache's `incr` is a read and a write, and two `incr`s from 5
  would both write 6; harmless, but a counter has a worse failure:)
- a version key that is evicted (Redis LRU, database-cache culling) is
  replaced by a fresh token, never by a value used before, so a page stored
  under an old version can never come back.

A page is read after its version: if a change commits after the version was
read, the page is stored under that old version, which the change's bump has
just retired. The only window is between a commit and its `on_commit` bump.

**Keys.** `page_key(request)` builds the key of a page and `versioned_key()`
any key that must die with the catalogue (issue 15's fragments use it too:
`versioned_key("fragment", name, language, ...)`). The pages themselves live
in the `pages` cache, apart from `default`'s rate-limit counters, so a flood of
pages can cull or evict pages only.

**The query string.** Each cacheable view lists the parameters it reads
(`CACHEABLE`). A request is cached under its *normal form*: unknown
parameters (`fbclid`, `utm_*`, junk) and empty ones dropped, values trimmed
where the view trims them, `page=1` dropped (the first page), sorted. The
request itself is rewritten to that form before the view runs, so the page
stored under the normal key is exactly the page of the normal form, never a
page that echoes someone's tracking parameters; junk query strings all land on
one entry. A value with no safe normal form (a price that is not a whole
number, an unknown sort, a repeated parameter) is served uncached as asked.
Cart, checkout and order pages are never cached, so they always read live
prices and stock.
"""

import functools
import hashlib
import re
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve

PAGES = "pages"  # the cache alias holding rendered pages
VERSION_KEY = "catalogue:version"
TIMEOUT = 600
PLACEHOLDER = "__PASAR_CSRF_TOKEN__"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


class NoNormalForm(ValueError):
    """A query value whose page may differ from any normal form's: not cached."""


def _text(value: str) -> str:
    # The search box: the view and the filter both strip it; 100 is its limit.
    value = value.strip()
    if len(value) > 100:
        raise NoNormalForm
    return value


_SLUG = re.compile(r"[-a-z0-9_]+")


def _slug(value: str) -> str:
    # Looked up exactly (not stripped, case-sensitive): only a slug's shape.
    if not _SLUG.fullmatch(value):
        raise NoNormalForm
    return value


def _price(value: str) -> str:
    # Whole Rupiah within the filter's bounds (0 to 100,000,000).
    value = value.strip()
    if not re.fullmatch(r"\d{1,9}", value) or int(value) > 100_000_000:
        raise NoNormalForm
    return str(int(value))


def _flag(value: str) -> str:
    # A checkbox sends "on"; links write "1".
    if value not in ("1", "on"):
        raise NoNormalForm
    return "1"


SORTS = ("terbaru", "termurah", "termahal", "terlaris", "rating")


def _sort(value: str) -> str:
    if value not in SORTS:
        raise NoNormalForm
    return value


def _page(value: str) -> str:
    # Paginator.get_page: no page is the first page.
    value = value.strip()
    if not re.fullmatch(r"\d{1,6}", value):
        raise NoNormalForm
    number = int(value)
    return "" if number == 1 else str(number)


CATALOG_FILTERS = {
    "q": _text,
    "posdaya": _slug,
    "harga_min": _price,
    "harga_max": _price,
    "tersedia": _flag,
    "urut": _sort,
    "page": _page,
}
# Each cacheable view and the query parameters it reads (tests/pasar/
# test_pagecache.py checks them against catalog.filters.ProductFilter).
CACHEABLE = {
    "home": {},
    "catalog:product_list": {**CATALOG_FILTERS, "kategori": _slug},
    "catalog:category": CATALOG_FILTERS,
    "catalog:product_detail": {},
    "posdaya:list": {},
    "catalog:storefront": {},
    "impact": {},
}


def normal_query(view_name: str, query: QueryDict) -> str:
    """Return the normal form of a cacheable view's query string.

    Raise NoNormalForm when a value has none: serve that request uncached.
    """
    parameters = CACHEABLE[view_name]
    kept = {}
    for name, clean in parameters.items():
        values = query.getlist(name)
        if len(values) > 1:
            raise NoNormalForm
        if values and values[0] != "":
            value = clean(values[0])
            if value:
                kept[name] = value
    return urlencode(sorted(kept.items()))


def page_cache():
    """Return the cache that holds rendered pages (and issue 15's fragments)."""
    return caches[PAGES]


def catalogue_version() -> str | None:
    """Return the current catalogue version, starting one if there is none.

    None when the shared cache does not answer (Redis down): cache nothing.
    """
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_catalogue_version() -> str:
    """Retire every page and fragment: write (and return) an unused version."""
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, None)
    return version


def invalidate_public_pages() -> None:
    """Drop every cached public page once the current transaction commits."""
    transaction.on_commit(bump_catalogue_version)


def invalidates_public_pages(service):
    """Decorate a service whose success may change a public page."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        result = service(*args, **kwargs)
        invalidate_public_pages()
        return result

    return wrapper


def versioned_key(kind: str, *parts: str) -> str | None:
    """Return a key that dies with the current catalogue version.

    None when there is no version to build it on (the cache is down).
    """
    version = catalogue_version()
    if version is None:
        return None
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"catalogue:{version}:{kind}:{digest}"


def page_key(request) -> str | None:
    """Return the cache key of the page `request` asks for (already normal)."""
    return versioned_key(
        "page",
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
    )


class AnonymousPageCacheMiddleware:
    """Serve the public pages from the cache to visitors without a session.

    Sits last in MIDDLEWARE so every other middleware still processes a cached
    response (security headers, CSP, the CSRF cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view_name = self._cacheable_view(request)
        if view_name is None:
            return self.get_response(request)
        try:
            query = normal_query(view_name, request.GET)
        except NoNormalForm:
            return self.get_response(request)
        if query != request.META.get("QUERY_STRING", ""):
            # The view renders the normal form, so the page may be shared.
            request.GET = QueryDict(query)
            request.META["QUERY_STRING"] = query
        key = page_key(request)
        if key is None:
            return self.get_response(request)
        pages = page_cache()
        cached = pages.get(key)
        if cached is not None:
            return self._rebuild(request, cached)
        response = self.get_response(request)
        if self._storable(response):
            content = _TOKEN.sub(
                rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode("utf-8")
            )
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            pages.set(key, {"content": content, "headers": headers}, TIMEOUT)
        return response

    @staticmethod
    def _cacheable_view(request) -> str | None:
        if not settings.PASAR_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        if "messages" in request.COOKIES:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return match.view_name if match.view_name in CACHEABLE else None

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
