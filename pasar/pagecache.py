"""The public catalog pages, cached whole for visitors without a session and
as fragments for everyone else.

A visitor without a session (no cart, not signed in, no pending message) sees
the same home, catalog, category, product and POSDAYA pages as every other such
visitor, so the rendered page is kept in the cache, per language and URL. Only
the CSRF token of the page's forms differs per visitor: it is stored as a
placeholder and filled in on every hit.

**Fragments.** A visitor with a session (a cart, an account) sees her own
header, cart badge, messages and CSRF token, so her page is not shared; the
rest of it is. `fragment(request, name, ...)` keeps that rest (the product
grid and filter form, the product itself, the home's sections) rendered, per
normal query, language and catalogue version, in the same `pages` cache and
under the same rules as whole pages; the view renders base.html around it per
request. A CSRF token inside a fragment (the add-to-cart form) is stored as
the placeholder and filled in per request.

**The catalogue version.** Every page and fragment is stored with the
catalogue version it was rendered under, kept in the shared `default` cache,
and served only while that version is current. A change that could alter
any of those pages (a product, price, photo, category or POSDAYA profile)
calls `invalidate_public_pages()`, which writes a new version once its
transaction commits: every page stored before is never read again, by any worker on any
server. A stock move (an order reserving or returning stock) drops only the
pages of its products, through the *scopes* below. A version is a random
token, never a counter:

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

**Keys.** `page_key(request)` builds the key of a page, `entry_key()` that
of a fragment (a retired entry is overwritten by its next rendering), and
`versioned_key()` any small value that must die with the catalogue (the
filter form's choice lists). A hit costs two cache reads: the entry, then the
versions it was stored with (`still_current`, one `get_many`). The pages and
fragments live in the `pages` cache, apart from `default`'s rate-limit
counters and versions, so a flood of pages can cull or evict pages only.

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
from django.utils.safestring import SafeData, mark_safe

PAGES = "pages"  # the cache alias holding rendered pages
VERSION_KEY = "catalogue:version"
TIMEOUT = 600
PLACEHOLDER = "__PASAR_CSRF_TOKEN__"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
TOKEN_OUT = rf"\g<1>{PLACEHOLDER}\g<2>"


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


def normalise(request, view_name: str) -> str | None:
    """Rewrite `request` to the normal form of its query; return that form.

    What the whole-page cache does for visitors without a session, for the
    fragments of everyone else. None when a value has no normal form: the
    page renders as asked, and its fragments are not cached.
    """
    try:
        query = normal_query(view_name, request.GET)
    except NoNormalForm:
        return None
    if query != request.META.get("QUERY_STRING", ""):
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
    return query


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


# --- Scopes: what a page or fragment depends on, and what a change drops -----
#
# Besides the catalogue version (every page), a page or fragment depends on a
# few *scopes*, each with its own random version token in the `default` cache:
#
# - `product:<slug>`: its product page; bumped by a change of that product.
# - `category:<slug>`: its category page, `/produk/?kategori=`, and the
#   product pages of the category (related products); bumped by a change of a
#   product in it.
# - `posdaya:<slug>`: its storefront and `/produk/?posdaya=`; bumped by a
#   change of one of its products.
# - `listing`: `/produk/` without kategori or POSDAYA (searches too); bumped
#   by a change of any product.
# - `home`: the home page; bumped by a change of a product the home shows.
#
# A stored entry keeps the versions of its scopes as read *before* the data it
# shows; a hit is served only while every one is still current. Stock moves
# (`catalog/stock.py`: orders placed, cancelled, expired, paid; staff stock
# adjustments) call `bump_products()` after the commit; anything else (a
# product edit, a category, a POSDAYA profile, the demo data) retires
# everything with `invalidate_public_pages()`.

SCOPE_PREFIX = "catalogue:scope:"
CATALOGUE = "*"  # the scope every entry has: the catalogue version itself
HOME_PRODUCTS_KEY = "catalogue:home:products"  # the ids the cached home shows
LISTING = "listing"
HOME = "home"


def _scope_key(scope: str) -> str:
    return VERSION_KEY if scope == CATALOGUE else SCOPE_PREFIX + scope


def entry_key(kind: str, *parts: str) -> str:
    """Return the key of a page or fragment; its versions are kept inside it."""
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"catalogue:{kind}:{digest}"


def enabled() -> bool:
    """Whether pages and fragments are cached at all (PASAR_PAGE_CACHE)."""
    return settings.PASAR_PAGE_CACHE


def scope_versions(scopes) -> dict[str, str] | None:
    """Return the current version of each scope, starting missing ones.

    One cache read when every scope has a version. A missing one (never set,
    or evicted) gets a fresh random token, never a value used before. None
    when the cache does not answer.
    """
    scopes = list(dict.fromkeys(scopes))
    if not scopes:
        return {}
    keys = {_scope_key(scope): scope for scope in scopes}
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, secrets.token_hex(8), None)
        found.update(cache.get_many(missing))
        if any(key not in found for key in missing):
            return None
    return {keys[key]: version for key, version in found.items()}


class Dependencies:
    """The scope versions a page or fragment was rendered under."""

    def __init__(self, *, record: bool = True):
        self.versions: dict[str, str] = {}
        self.record = record
        self.broken = False  # the cache did not answer: store nothing

    def add(self, *scopes: str) -> None:
        """Read the versions of `scopes` now: call it before reading their data."""
        if not self.record:
            return
        new = [scope for scope in scopes if scope not in self.versions]
        if not new:
            return
        versions = scope_versions(new)
        if versions is None:
            self.broken = True
        else:
            self.versions.update(versions)

    def extend(self, versions: dict[str, str]) -> None:
        """Take over the (checked, current) versions of a fragment it shows."""
        for scope, version in versions.items():
            self.versions.setdefault(scope, version)


def still_current(versions: dict[str, str]) -> bool:
    """Whether every scope (the catalogue's too) still has the entry's version.

    One read of the `default` cache for all of them.
    """
    return CATALOGUE in versions and scope_versions(versions) == versions


def depend(request, *scopes: str) -> None:
    """Record that the page of `request` shows data of `scopes` (read it next)."""
    dependencies = getattr(request, "pagecache_dependencies", None)
    if dependencies is not None:
        dependencies.add(*scopes)


def fragment(request, name: str, *, parts=(), scopes=(), render):
    """Return a user-independent part of a page, from the cache when current.

    `render(dependencies)` computes the value (a dict of rendered strings and
    small values; it may add scopes it learns, such as a product's category)
    and is called only on a miss. The key is the catalogue version, `name`,
    the language and `parts` (the normalised query, a slug...). A rendered
    CSRF token is stored as a placeholder and filled in per request.
    """
    page_dependencies = getattr(request, "pagecache_dependencies", None)
    if not enabled() or parts is None:  # off, or a query with no normal form
        return _fill_token(request, render(Dependencies(record=False)))
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    key = entry_key(
        "fragment", name, language, request.scheme, request.get_host(), *parts
    )
    store = page_cache()
    cached = store.get(key)
    if cached is not None and still_current(cached["scopes"]):
        if page_dependencies is not None:
            page_dependencies.extend(cached["scopes"])
        return _fill_token(request, cached["value"])
    dependencies = Dependencies()
    dependencies.add(CATALOGUE, *scopes)  # read before the data
    value = render(dependencies)
    value = {
        part: _keeping_safety(text, lambda t: _TOKEN.sub(TOKEN_OUT, t))
        for part, text in value.items()
    }
    if not dependencies.broken:
        store.set(key, {"scopes": dependencies.versions, "value": value}, TIMEOUT)
    if page_dependencies is not None:
        page_dependencies.extend(dependencies.versions)
    return _fill_token(request, value)


def catalogue_value(name: str, compute):
    """Return a small value that lives as long as the catalogue version.

    The filter form's category and POSDAYA choices: computed once per version
    (read before the data), shared by every worker.
    """
    if not enabled():
        return compute()
    key = versioned_key("value", name)
    if key is None:
        return compute()
    store = page_cache()
    value = store.get(key)
    if value is None:
        value = compute()
        store.set(key, value, TIMEOUT)
    return value


def _keeping_safety(text, change):
    """Apply `change` to a string; rendered HTML (SafeString) stays safe."""
    if not isinstance(text, str):
        return text
    changed = change(text)
    if isinstance(text, SafeData):
        # It was escaped HTML already; the change only swaps the CSRF token
        # (letters and digits) for a placeholder and back.
        return mark_safe(changed)  # noqa: S308  # nosec B308 B703
    return changed


def _fill_token(request, value: dict) -> dict:
    if not any(isinstance(t, str) and PLACEHOLDER in t for t in value.values()):
        return value
    token = get_token(request)
    return {
        part: _keeping_safety(text, lambda t: t.replace(PLACEHOLDER, token))
        for part, text in value.items()
    }


def remember_home_products(ids) -> None:
    """Note which products the home shows (a change of one drops the home).

    Written when the home's fragment is rendered for the cache; with the cache
    off nothing is kept, so there is nothing to drop.
    """
    if enabled():
        cache.set(HOME_PRODUCTS_KEY, sorted(ids), None)


def bump_scopes(scopes) -> None:
    """Retire every entry that depends on one of `scopes`.

    The scopes' versions are deleted (one query on the database cache, one
    round trip on Redis): the next reader starts a fresh random token, never
    one used before, exactly as after an eviction.
    """
    cache.delete_many([SCOPE_PREFIX + scope for scope in set(scopes)])


def bump_products(rows) -> None:
    """Retire what the products of `rows` appear on, now (after the commit).

    `rows`: (id, slug, category slug, POSDAYA slug) of each changed product.
    Their product pages, their category and POSDAYA listings, the unfiltered
    listings and searches, and the home if it shows one of them; nothing else.
    """
    scopes = {LISTING}
    shown = set(cache.get(HOME_PRODUCTS_KEY) or ())
    for pk, slug, category, posdaya in rows:
        scopes |= {f"product:{slug}", f"category:{category}", f"posdaya:{posdaya}"}
        if pk in shown:
            scopes.add(HOME)
    bump_scopes(scopes)


def page_key(request) -> str:
    """Return the cache key of the page `request` asks for (already normal).

    The page's catalogue and scope versions are stored in it and checked on
    every hit (`still_current`): one read of the page, one of the versions.
    """
    return entry_key(
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
        pages = page_cache()
        cached = pages.get(key)
        if cached is not None and still_current(cached.get("scopes", {})):
            return self._rebuild(request, cached)
        dependencies = request.pagecache_dependencies = Dependencies()
        dependencies.add(CATALOGUE)  # read before the page is rendered
        if dependencies.broken:  # the shared cache does not answer
            return self.get_response(request)
        response = self.get_response(request)
        if self._storable(response) and not dependencies.broken:
            content = _TOKEN.sub(TOKEN_OUT, response.content.decode("utf-8"))
            headers = {h: response[h] for h in KEPT_HEADERS if h in response}
            pages.set(
                key,
                {
                    "content": content,
                    "headers": headers,
                    "scopes": dependencies.versions,
                },
                TIMEOUT,
            )
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
