"""`/sitemap.xml`: the site's public pages, on the host the request came to."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap
from django.contrib.sites.requests import RequestSite
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from catalog.sitemaps import CategorySitemap, ProductSitemap
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


class _RequestSiteSitemap:
    """Wrap a section so its URLs use the request's host, not the Site row.

    The sites framework holds "example.com" unless someone edits it; behind a
    proxy with several host names the request knows better.
    """

    def __init__(self, section, request):
        self.section = section()
        self.site = RequestSite(request)

    def __getattr__(self, name):
        return getattr(self.section, name)

    def get_urls(self, page=1, site=None, protocol=None):
        return self.section.get_urls(page=page, site=self.site, protocol=protocol)


def sitemap_index(request):
    """Serve `/sitemap.xml`: the index of the sections, one entry per page."""
    entries = []
    for key, section in SITEMAPS.items():
        url = request.build_absolute_uri(
            reverse("sitemap_section", kwargs={"section": key})
        )
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
    sections = {section: _RequestSiteSitemap(SITEMAPS[section], request)}
    return sitemap(request, sitemaps=sections, section=section)
