"""Sitemap sections of the catalog: public products and categories."""

from django.contrib.sitemaps import Sitemap

from . import selectors


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 10_000

    def items(self):
        return (
            selectors.public_products()
            .only("slug", "updated_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, product):
        return product.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return selectors.categories()
