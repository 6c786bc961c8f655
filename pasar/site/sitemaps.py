"""`/sitemap.xml`: the site's public pages, on its public address (PASAR_SITE_URL)."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from catalog.sitemaps import CategorySitemap, ProductSitemap
from pasar.siteurl import absolute_url, site_domain, site_scheme
from posdaya.sitemaps import PosdayaSitemap


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        names = [
            "home",
            "catalog:product_list",
            "posdaya:list",
            "banksampah:price_board",
            "about",
        ]
        urls = []
        for name in names:
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                continue
        return urls

    def location(self, item):
        return item


SITEMAPS = {
    "halaman": StaticSitemap,
    "kategori": CategorySitemap,
    "posdaya": PosdayaSitemap,
    "produk": ProductSitemap,
}


class _PublicSite:
    """What a sitemap reads of a site: the domain of PASAR_SITE_URL."""

    def __init__(self):
        self.domain = self.name = site_domain()


class _PublicSiteSitemap:
    """Wrap a section so its URLs use PASAR_SITE_URL, not the request's host.

    The sites framework holds "example.com" unless someone edits it, and a
    request's Host header is whatever the client sent.
    """

    def __init__(self, section):
        self.section = section()

    def __getattr__(self, name):
        return getattr(self.section, name)

    def get_urls(self, page=1, site=None, protocol=None):
        return self.section.get_urls(
            page=page, site=_PublicSite(), protocol=site_scheme()
        )


def sitemap_index(request):
    """Serve `/sitemap.xml`: the index of the sections, one entry per page."""
    entries = []
    for key, section in SITEMAPS.items():
        url = absolute_url(reverse("sitemap_section", kwargs={"section": key}))
        entries.append(SitemapIndexItem(url, None))
        pages = section().paginator.num_pages
        entries.extend(
            SitemapIndexItem(f"{url}?p={page}", None) for page in range(2, pages + 1)
        )
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
    )


def sitemap_section(request, section):
    """Serve one section with absolute URLs on the requested host."""
    if section not in SITEMAPS:
        raise Http404
    sections = {section: _PublicSiteSitemap(SITEMAPS[section])}
    return sitemap(request, sitemaps=sections, section=section)
