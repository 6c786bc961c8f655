"""Garbage in URL path segments: every pattern with a text parameter, no 500.

The patterns come from the URLconf, so a new `<slug:…>` or `<str:…>` cannot be
forgotten. Each text parameter in turn gets every segment below (a valid
placeholder is reversed, then swapped for the raw, percent-encoded segment);
number parameters get 1. Run on SQLite and on PostgreSQL, where a NUL byte in
a lookup is a database error unless the view refuses it first.
"""

import pytest
from django.test import Client
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
)
from django.urls.converters import IntConverter

from ...conftest import client_for

pytestmark = pytest.mark.django_db

PLACEHOLDER = "Zq9Segment"

# As the client writes them in the URL (the test client unquotes like a server).
SEGMENTS = [
    "%00",
    "a%00b",
    "PB-2612-%00",
    "%25%30%30",  # an encoded "%00", decoded once
    "%C0%80",  # an overlong NUL
    "%FF%FE",  # not UTF-8
    "x" * 5000,
    "%F0%9F%99%82" * 200,
    "%C3%BCn%C3%AFc%C3%B8d%C3%A9",
    "%E2%80%AE%EF%BB%BF",
    "..",
    "%2e%2e",
    "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "%2F",
    "%5C",
    "%0D%0ASet-Cookie:x=1",
    "%20",
    "'%3B--",
]


def _walk(patterns, namespace="", converters=None, groups=()):
    for pattern in patterns:
        own = getattr(pattern.pattern, "converters", {}) or {}
        names = (*groups, *pattern.pattern.regex.groupindex)
        merged = {**(converters or {}), **own}
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, inner, merged, names)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, names, merged


# Patterns whose text parameters are a closed list in a regex: garbage in them
# never resolves (checked below), so no placeholder can be reversed either.
CLOSED: set[str] = set()


def text_parameter_urls() -> list[tuple[str, str]]:
    """(name, URL with one text parameter as PLACEHOLDER), for every pattern."""
    urls = []
    for name, params, converters in _walk(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue  # Django's own admin, superusers only
        texts = [p for p in params if not isinstance(converters.get(p), IntConverter)]
        for param in texts:
            kwargs = {
                p: PLACEHOLDER if p == param else ("abc" if p in texts else "1")
                for p in params
            }
            try:
                urls.append((f"{name}[{param}]", reverse(name, kwargs=kwargs)))
            except NoReverseMatch:
                CLOSED.add(name)
    return urls


URLS = text_parameter_urls()


def test_the_patterns_are_found():
    names = {name for name, _url in URLS}
    for expected in (
        "orders:order_detail[code]",
        "orders:invoice[code]",
        "orders:proof_upload[code]",
        "catalog:product_detail[slug]",
        "catalog_dashboard:product_list[posdaya]",
        "sitemap_section[section]",
    ):
        assert expected in names
    # (?P<report>pendapatan|semua)\.(?P<fmt>csv|xlsx)
    assert sorted(CLOSED) == ["dashboard:induk_export"]


@pytest.mark.parametrize(("name", "url"), URLS, ids=[n for n, _u in URLS])
def test_no_segment_breaks_a_page(name, url, posdaya, koordinator):
    clients = [Client(), client_for(koordinator)]
    for segment in SEGMENTS:
        target = url.replace(PLACEHOLDER, segment)
        for client in clients:
            for method in (client.get, client.post):
                response = method(target)
                assert response.status_code < 500, (name, segment, method)


@pytest.mark.parametrize(
    "path", ["/pesanan/%00/", "/pesanan/%00/invoice/", "/pesanan/%00/bukti/"]
)
def test_a_nul_order_code_is_not_found(client, path):
    response = client.post(path) if path.endswith("bukti/") else client.get(path)
    assert response.status_code == 404
