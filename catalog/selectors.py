"""Reads of the catalog: what the public sees, and what a POSDAYA manages.

Every public listing starts from `public_products()`; every dashboard lookup
starts from `products_of_posdaya(posdaya)`, so another POSDAYA's product is a 404.
"""

from django.db.models import F, Prefetch, Q, QuerySet

from posdaya.models import Posdaya

from . import search
from .models import Category, Product, ProductImage, ProductMaterial, StockMovement

PAGE_SIZE = 24
HOME_NEW_PRODUCTS = 8
RELATED_PRODUCTS = 4
STOREFRONT_PRODUCTS = 24

# Sort keys shown to shoppers → ORDER BY; each has an index led by status.
SORTS = {
    "terbaru": ("-published_at", "-id"),
    "termurah": ("price", "id"),
    "termahal": ("-price", "-id"),
    "terlaris": ("-sold_count", "-id"),
    "rating": ("-rating_avg", "-rating_count", "-id"),
}
DEFAULT_SORT = "terbaru"


def ordered_images() -> Prefetch:
    """Return the prefetch that loads product photos in display order."""
    return Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))


def public_products() -> QuerySet[Product]:
    """Return the products the public may see: published, of an active POSDAYA."""
    return Product.objects.public().defer("search_document")


def product_cards(queryset: QuerySet[Product]) -> QuerySet[Product]:
    """Return `queryset` with what a product card shows, in a fixed query count."""
    return queryset.select_related("posdaya").prefetch_related(ordered_images())


def search_products(
    queryset: QuerySet[Product], query: str, *, sort: str | None = None
) -> search.SearchResult | None:
    """Search the already filtered `queryset` for `query` (catalog/search/).

    Returns None when the query has no words (blank or punctuation only): the
    listing then shows `queryset` as it is. Otherwise the result's `products`
    are at most `search.SEARCH_LIMIT` products, ranked, or in the shopper's
    `sort` when one is chosen.
    """
    return search.search_products(queryset, query, ordering=SORTS.get(sort))


def filter_price(
    queryset: QuerySet[Product], *, minimum: int | None, maximum: int | None
) -> QuerySet[Product]:
    """Keep products priced within [minimum, maximum] (either may be None).

    The comparison is on `price + 0` on purpose: it keeps the planner on the
    index of the chosen sort (which stops after one page) instead of a price
    range index that then has to sort tens of thousands of rows. SQLite, which
    cannot see bound values, otherwise always picks the range.
    """
    queryset = queryset.alias(price_value=F("price") + 0)
    if minimum is not None:
        queryset = queryset.filter(price_value__gte=minimum)
    if maximum is not None:
        queryset = queryset.filter(price_value__lte=maximum)
    return queryset


def sort_products(queryset: QuerySet[Product], sort: str | None) -> QuerySet[Product]:
    """Order by a shopper's sort key, newest first without one."""
    return queryset.order_by(*SORTS.get(sort or DEFAULT_SORT, SORTS[DEFAULT_SORT]))


def get_public_product(slug: str) -> Product:
    """Return one public product with its maker, photos and materials.

    Raises Product.DoesNotExist when it is not public.
    """
    return (
        public_products()
        .select_related("posdaya", "category")
        .prefetch_related(
            ordered_images(),
            Prefetch(
                "materials",
                queryset=ProductMaterial.objects.select_related(
                    "waste_category"
                ).order_by("waste_category__order", "waste_category__name"),
            ),
        )
        .get(slug=slug)
    )


def related_products(product: Product, limit: int = RELATED_PRODUCTS) -> list[Product]:
    """Return other public products of the same category, newest first."""
    return list(
        product_cards(
            public_products()
            .filter(category_id=product.category_id)
            .exclude(pk=product.pk)
            .order_by(*SORTS[DEFAULT_SORT])
        )[:limit]
    )


def new_products(limit: int = HOME_NEW_PRODUCTS) -> list[Product]:
    """Return the newest public products for the home page."""
    return list(product_cards(public_products().order_by(*SORTS["terbaru"]))[:limit])


def categories() -> QuerySet[Category]:
    """Return every category in display order."""
    return Category.objects.order_by("order", "name")


def storefront_products(
    posdaya: Posdaya, limit: int = STOREFRONT_PRODUCTS
) -> list[Product]:
    """Return one POSDAYA's newest public products for its storefront."""
    return list(
        product_cards(
            public_products().filter(posdaya=posdaya).order_by(*SORTS["terbaru"])
        )[:limit]
    )


def products_of_posdaya(posdaya: Posdaya) -> QuerySet[Product]:
    """Return every product of one POSDAYA, whatever its status (dashboard)."""
    return Product.objects.filter(posdaya=posdaya).select_related("category")


def search_posdaya_products(
    posdaya: Posdaya, *, query: str = "", status: str = ""
) -> QuerySet[Product]:
    """Return one POSDAYA's products for its dashboard list, newest change first."""
    queryset = products_of_posdaya(posdaya).prefetch_related(ordered_images())
    if status in Product.Status.values:
        queryset = queryset.filter(status=status)
    # PostgreSQL refuses NUL in a text parameter (DataError, a 500): drop it.
    for word in query.replace("\x00", " ").split()[:8]:
        queryset = queryset.filter(
            Q(name__icontains=word) | Q(description__icontains=word)
        )
    return queryset.order_by("-updated_at", "-id")


def stock_movements(product: Product, limit: int = 50) -> list[StockMovement]:
    """Return the latest stock movements of a product, with who made them."""
    return list(
        StockMovement.objects.filter(product=product)
        .select_related("by")
        .order_by("-created_at", "-id")[:limit]
    )


def variant_stock_movements(variant, limit: int = 50) -> list[StockMovement]:
    """Return the latest stock movements of one variant, with who made them."""
    return list(
        StockMovement.objects.filter(variant=variant)
        .select_related("by")
        .order_by("-created_at", "-id")[:limit]
    )
