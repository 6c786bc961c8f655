"""Sitemap section of the POSDAYA storefronts."""

from django.contrib.sitemaps import Sitemap

from .selectors import active_posdaya


class PosdayaSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return active_posdaya().order_by("name")

    def lastmod(self, posdaya):
        return posdaya.updated_at
