"""Public catalog pages: the product list, a category, a product, a storefront."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from pasar.siteurl import absolute_url
from posdaya.selectors import active_posdaya

from .. import selectors
from ..filters import ProductFilter
from ..models import Product


def absolute_image_url(request, product: Product) -> str:
    """Return the absolute URL of a product's cover photo (large), or ""."""
    images = list(product.images.all())
    return absolute_url(images[0].large.url) if images else ""


class ProductListView(TemplateView):
    """`/produk/`: search, filters and sort in the query string, 24 a page."""

    template_name = "catalog/product_list.html"

    def base_queryset(self):
        return selectors.public_products()

    def get_filter(self):
        return ProductFilter(self.request.GET or None, queryset=self.base_queryset())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product_filter = self.get_filter()
        products = selectors.product_cards(product_filter.sorted_qs)
        page = Paginator(products, selectors.PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            filter=product_filter,
            page_obj=page,
            products=list(page.object_list),
            query=self.request.GET.get("q", "").strip(),
            show_category_filter="kategori" in product_filter.filters,
        )
        return context


class CategoryView(ProductListView):
    """`/kategori/<slug>/`: the product list of one category."""

    template_name = "catalog/category.html"

    def dispatch(self, request, *args, **kwargs):
        self.category = get_object_or_404(selectors.categories(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return selectors.public_products().filter(category=self.category)

    def get_filter(self):
        product_filter = super().get_filter()
        del product_filter.filters["kategori"]
        return product_filter

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context


class ProductDetailView(TemplateView):
    """`/produk/<slug>/`: photos, price, stock, maker, materials, related."""

    template_name = "catalog/product_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            product = selectors.get_public_product(kwargs["slug"])
        except Product.DoesNotExist:
            raise Http404 from None
        url = absolute_url(product.get_absolute_url())
        context.update(
            product=product,
            images=list(product.images.all()),
            materials=list(product.materials.all()),
            related=selectors.related_products(product),
            canonical_url=url,
            og_image=absolute_image_url(self.request, product),
            whatsapp_text=_(
                "Halo %(posdaya)s, saya tertarik dengan produk %(product)s: %(url)s"
            )
            % {"posdaya": product.posdaya.name, "product": product.name, "url": url},
        )
        return context


class StorefrontView(DetailView):
    """`/posdaya/<slug>/`: one POSDAYA's profile and its products."""

    template_name = "posdaya/posdaya_detail.html"
    context_object_name = "posdaya"

    def get_object(self, queryset=None):
        return get_object_or_404(active_posdaya(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = selectors.storefront_products(self.object)
        return context
