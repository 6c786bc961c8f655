"""Public catalog pages: the product list, a category, a product, a storefront.

Each page is the same for every visitor but for the header, the cart badge,
the messages and the CSRF token. The rest (the product grid, the filter form,
the product itself) is rendered once into a fragment kept by
`pasar.pagecache.fragment()` and shared by every visitor, with or without a
session; only base.html is rendered per request.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pasar import pagecache
from pasar.siteurl import absolute_url
from posdaya.selectors import active_posdaya

from .. import selectors
from ..filters import ProductFilter
from ..models import Product

LISTING_TEMPLATE = "catalog/product_list.html#listing"


def absolute_image_url(request, product: Product) -> str:
    """Return the absolute URL of a product's cover photo (large), or ""."""
    images = list(product.images.all())
    return absolute_url(images[0].large.url) if images else ""


def cover_url(request, products) -> str:
    """Return the absolute URL of the first product's cover photo, or ""."""
    return absolute_image_url(request, products[0]) if products else ""


COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Count exactly up to COUNT_CAP products, then say "1.000+ produk".

    The count reads at most one row past the cap, or past the asked page when
    that lies deeper, so the next page is always offered while there is one;
    a full `COUNT(*)` of 90,000 products is never run.
    """

    def __init__(self, object_list, per_page, *, number, cap=None):
        super().__init__(object_list, per_page)
        self.cap = cap = COUNT_CAP if cap is None else cap
        self.bound = max(cap, number * per_page)
        self.capped = False

    @cached_property
    def count(self):
        if isinstance(self.object_list, list):  # a search: at most 240
            return len(self.object_list)
        seen = self.object_list.order_by()[: self.bound + 1].count()
        self.capped = seen > self.bound
        return seen


def page_number(value) -> int:
    """The page asked for (Paginator.get_page's reading), 1 when not a number."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


class ProductListView(TemplateView):
    """`/produk/`: search, filters and sort in the query string, 24 a page."""

    template_name = "catalog/product_list.html"
    view_name = "catalog:product_list"

    def base_queryset(self):
        return selectors.public_products()

    def get_filter(self):
        return ProductFilter(self.request.GET or None, queryset=self.base_queryset())

    def fragment_parts(self, query: str) -> tuple[str, ...]:
        return (query,)

    def listing_scopes(self) -> list[str]:
        """The scopes the listing shows (pasar/pagecache.py's table)."""
        scopes = [
            f"{name}:{self.request.GET[field]}"
            for field, name in (("kategori", "category"), ("posdaya", "posdaya"))
            if self.request.GET.get(field)
        ]
        return scopes or [pagecache.LISTING]

    def listing_context(self) -> dict:
        product_filter = self.get_filter()
        products = selectors.product_cards(product_filter.sorted_qs)
        number = self.request.GET.get("page")
        paginator = CappedPaginator(
            products, selectors.PAGE_SIZE, number=page_number(number)
        )
        page = paginator.get_page(number)
        return {
            "filter": product_filter,
            "page_obj": page,
            "products": list(page.object_list),
            "query": self.request.GET.get("q", "").strip(),
            "show_category_filter": "kategori" in product_filter.filters,
        }

    def render_listing(self, dependencies) -> dict:
        context = self.listing_context()
        return {
            "body": render_to_string(LISTING_TEMPLATE, context, self.request),
            "og_image": cover_url(self.request, context["products"]),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = pagecache.normalise(self.request, self.view_name)
        context["listing"] = pagecache.fragment(
            self.request,
            self.view_name,
            parts=None if query is None else self.fragment_parts(query),
            scopes=self.listing_scopes(),
            render=self.render_listing,
        )
        context["query"] = self.request.GET.get("q", "").strip()
        return context


class CategoryView(ProductListView):
    """`/kategori/<slug>/`: the product list of one category."""

    template_name = "catalog/category.html"
    view_name = "catalog:category"

    def base_queryset(self):
        return selectors.public_products().filter(category=self.category)

    def get_filter(self):
        product_filter = super().get_filter()
        del product_filter.filters["kategori"]
        return product_filter

    def fragment_parts(self, query: str) -> tuple[str, ...]:
        return (self.kwargs["slug"], query)

    def listing_scopes(self) -> list[str]:
        return [f"category:{self.kwargs['slug']}"]

    def render_listing(self, dependencies) -> dict:
        self.category = get_object_or_404(
            selectors.categories(), slug=self.kwargs["slug"]
        )
        return {**super().render_listing(dependencies), "category": self.category}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = context["listing"]["category"]
        return context


class ProductDetailView(TemplateView):
    """`/produk/<slug>/`: photos, price, stock, maker, materials, related."""

    template_name = "catalog/product_detail.html"

    def product_context(self, dependencies) -> dict:
        try:
            product = selectors.get_public_product(self.kwargs["slug"])
        except Product.DoesNotExist:
            raise Http404 from None
        # The related products are the category's: read its version first.
        dependencies.add(f"category:{product.category.slug}")
        url = absolute_url(product.get_absolute_url())
        return {
            "product": product,
            "images": list(product.images.all()),
            "materials": list(product.materials.all()),
            "related": selectors.related_products(product),
            "canonical_url": url,
            "og_image": absolute_image_url(self.request, product),
            "whatsapp_text": _(
                "Halo %(posdaya)s, saya tertarik dengan produk %(product)s: %(url)s"
            )
            % {"posdaya": product.posdaya.name, "product": product.name, "url": url},
        }

    def render_detail(self, dependencies) -> dict:
        context = self.product_context(dependencies)
        return {
            "product": context["product"],
            "head": render_to_string(
                f"{self.template_name}#head", context, self.request
            ),
            "body": render_to_string(
                f"{self.template_name}#body", context, self.request
            ),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = pagecache.normalise(self.request, "catalog:product_detail")
        slug = self.kwargs["slug"]
        detail = pagecache.fragment(
            self.request,
            "catalog:product_detail",
            parts=None if query is None else (slug,),
            scopes=[f"product:{slug}"],
            render=self.render_detail,
        )
        context.update(detail=detail, product=detail["product"])
        return context


class StorefrontView(TemplateView):
    """`/posdaya/<slug>/`: one POSDAYA's profile and its products."""

    template_name = "posdaya/posdaya_detail.html"

    def render_storefront(self, dependencies) -> dict:
        posdaya = get_object_or_404(active_posdaya(), slug=self.kwargs["slug"])
        context = {
            "posdaya": posdaya,
            "products": selectors.storefront_products(posdaya),
        }
        return {
            "posdaya": posdaya,
            "storefront": render_to_string(
                "posdaya/partials/_storefront.html", context, self.request
            ),
            "og_image": cover_url(self.request, context["products"]),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = pagecache.normalise(self.request, "catalog:storefront")
        slug = self.kwargs["slug"]
        storefront = pagecache.fragment(
            self.request,
            "catalog:storefront",
            parts=None if query is None else (slug,),
            scopes=[f"posdaya:{slug}"],
            render=self.render_storefront,
        )
        context.update(storefront=storefront, posdaya=storefront["posdaya"])
        return context
