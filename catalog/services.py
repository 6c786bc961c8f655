"""Writes to the catalog: products, their photos, materials and stock."""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog
from pasar.pagecache import invalidates_public_pages
from pasar.uploads import (
    MAX_SIDE,
    Rendition,
    open_image,
    random_name,
    webp_rendition,
)

from . import stock
from .errors import CatalogError
from .errors import StockTooLowError as StockTooLowError  # raised by adjust_stock
from .models import (
    Category,
    Product,
    ProductImage,
    ProductMaterial,
    ProductVariant,
    StockMovement,
)

SMALL_SIDE = 400
LARGE_SIDE = 1200
MAX_IMAGES_PER_PRODUCT = 10


# The craft categories of the program paper: (slug, name, Bootstrap icon).
DEFAULT_CATEGORIES = [
    ("tas", "Tas", "bag"),
    ("dompet", "Dompet", "wallet2"),
    ("tempat-tisu", "Tempat Tisu", "box2"),
    ("tempat-pensil", "Tempat Pensil", "pencil"),
    ("sandal", "Sandal", "person-walking"),
    ("kipas-tangan", "Kipas Tangan", "wind"),
    ("wadah-hantaran", "Wadah Hantaran", "gift"),
    ("taplak-meja", "Taplak Meja", "grid-3x3"),
    ("bunga-hias", "Bunga Hias", "flower1"),
    ("vas-bunga", "Vas Bunga", "flower2"),
    ("lampu-hias", "Lampu Hias", "lightbulb"),
    ("suvenir", "Suvenir", "star"),
    ("kompos", "Kompos", "tree"),
]


@dataclass(frozen=True)
class MaterialLine:
    """One waste material a product is made of."""

    waste_category: object  # banksampah.WasteCategory
    kg_per_unit: Decimal


def unique_product_slug(*, name: str, posdaya) -> str:
    """Return a free slug made of the product and POSDAYA names."""
    base = slugify(f"{name} {posdaya.slug}")[:120] or "produk"
    slug, number = base, 2
    while Product.objects.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def missing_default_categories() -> list[Category]:
    """Unsaved default categories whose slug and name are both still free."""
    taken_slugs = set(Category.objects.values_list("slug", flat=True))
    taken_names = {
        name.casefold() for name in Category.objects.values_list("name", flat=True)
    }
    return [
        Category(slug=slug, name=name, icon=icon, order=order)
        for order, (slug, name, icon) in enumerate(DEFAULT_CATEGORIES)
        if slug not in taken_slugs and name.casefold() not in taken_names
    ]


@transaction.atomic
@invalidates_public_pages
def add_default_categories() -> int:
    """Create the default categories that are missing; return how many.

    Existing categories are left as they are.
    """
    created = 0
    for category in missing_default_categories():
        # get_or_create: a second click racing the first creates nothing twice.
        created += Category.objects.get_or_create(
            slug=category.slug,
            defaults={
                "name": category.name,
                "icon": category.icon,
                "order": category.order,
            },
        )[1]
    return created


@transaction.atomic
@invalidates_public_pages
def save_category(*, category: Category) -> Category:
    """Create or change a category; public pages show it from the next request."""
    category.save()
    return category


@transaction.atomic
@invalidates_public_pages
def delete_category(*, category: Category) -> None:
    """Delete a category that no product uses (products keep their category)."""
    try:
        category.delete()
    except ProtectedError as error:
        raise CatalogError(
            _(
                "Kategori %(name)s masih dipakai %(count)s produk. Pindahkan "
                "produknya ke kategori lain dulu."
            )
            % {"name": category.name, "count": len(error.protected_objects)}
        ) from error


def _set_materials(*, product: Product, materials: list[MaterialLine]) -> None:
    ProductMaterial.objects.filter(product=product).delete()
    ProductMaterial.objects.bulk_create(
        ProductMaterial(
            product=product,
            waste_category=line.waste_category,
            kg_per_unit=line.kg_per_unit,
        )
        for line in materials
    )


MAX_LEAD_TIME_DAYS = 90


def made_to_order_fields(
    *, made_to_order: bool, lead_time_days: int | None, made_to_order_cap: int | None
) -> dict:
    """Check a made-to-order choice and return the fields it sets.

    Made to order needs a lead time of 1-90 days and a cap of at least one
    unit; turned off, both are cleared. The open count is not touched here
    (`catalog.stock` keeps it): units already ordered stay open until made,
    also when the cap is lowered below them.
    """
    if not made_to_order:
        return {
            "made_to_order": False,
            "lead_time_days": None,
            "made_to_order_cap": None,
        }
    if lead_time_days is None or not 1 <= lead_time_days <= MAX_LEAD_TIME_DAYS:
        raise CatalogError(
            _("Isi lama pembuatan antara 1 dan %(max)s hari.")
            % {"max": MAX_LEAD_TIME_DAYS},
            field="lead_time_days",
        )
    if made_to_order_cap is None or made_to_order_cap < 1:
        raise CatalogError(
            _("Isi batas pesanan dibuat, paling sedikit 1 unit."),
            field="made_to_order_cap",
        )
    return {
        "made_to_order": True,
        "lead_time_days": lead_time_days,
        "made_to_order_cap": made_to_order_cap,
    }


def _product_made_to_order(product: Product, terms: dict | None) -> dict:
    if terms is None:
        return {}
    fields = made_to_order_fields(**terms)
    if fields["made_to_order"] and product.has_variants:
        raise CatalogError(
            _("Produk ini punya varian: atur pesanan dibuat di tiap varian."),
            field="made_to_order",
        )
    return fields


@transaction.atomic
@invalidates_public_pages
def create_product(
    *,
    posdaya,
    category: Category,
    name: str,
    price: int,
    by,
    description: str = "",
    stock: int = 0,
    weight_grams: int = 250,
    publish: bool = False,
    materials: list[MaterialLine] | None = None,
    images: list | None = None,
    made_to_order: dict | None = None,
) -> Product:
    """Create a product (draft unless `publish`), its materials, photos and stock.

    The starting stock is recorded as a stock adjustment, like any other.
    `made_to_order` ({made_to_order, lead_time_days, made_to_order_cap}, see
    `made_to_order_fields`) marks it "dibuat sesuai pesanan".
    """
    terms = made_to_order_fields(**made_to_order) if made_to_order else {}
    product = Product.objects.create(
        **terms,
        posdaya=posdaya,
        category=category,
        name=name,
        slug=unique_product_slug(name=name, posdaya=posdaya),
        description=description,
        price=price,
        weight_grams=weight_grams,
    )
    _set_materials(product=product, materials=materials or [])
    for upload in images or []:
        add_product_image(product=product, upload=upload, by=by)
    if stock:
        adjust_stock(product=product, quantity=stock, reason=_("Stok awal"), by=by)
    if publish:
        publish_product(product=product, by=by)
    product.refresh_from_db()
    return product


@transaction.atomic
@invalidates_public_pages
def update_product(
    *,
    product: Product,
    by,
    category: Category,
    name: str,
    price: int,
    description: str = "",
    weight_grams: int = 250,
    materials: list[MaterialLine] | None = None,
    made_to_order: dict | None = None,
) -> Product:
    """Change a product's details; a price change is written to the audit log.

    The slug stays, so shared links keep working after a rename. Stock is not
    changed here: use `adjust_stock`. `made_to_order` as for `create_product`
    (None: unchanged); a product with variants is made to order per variant.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    for field, value in _product_made_to_order(product, made_to_order).items():
        setattr(product, field, value)
    old_price = product.price
    product.category = category
    product.name = name
    product.price = price
    product.description = description
    product.weight_grams = weight_grams
    product.save()
    if materials is not None:
        _set_materials(product=product, materials=materials)
    if old_price != price:
        record_audit(
            actor=by,
            action=AuditLog.Action.PRICE_CHANGE,
            target=product,
            posdaya=product.posdaya,
            before={"price": old_price},
            after={"price": price},
        )
    return product


@invalidates_public_pages
def _set_status(*, product: Product, status: str) -> Product:
    product.status = status
    fields = ["status", "updated_at"]
    if status == Product.Status.PUBLISHED and product.published_at is None:
        product.published_at = timezone.now()
        fields.append("published_at")
    product.save(update_fields=fields)
    return product


@transaction.atomic
def publish_product(*, product: Product, by) -> Product:
    """Show a product to the public; the first publication dates it as new."""
    return _set_status(product=product, status=Product.Status.PUBLISHED)


@transaction.atomic
def archive_product(*, product: Product, by) -> Product:
    """Hide a product from the public for good (kept for old orders)."""
    return _set_status(product=product, status=Product.Status.ARCHIVED)


@transaction.atomic
def unpublish_product(*, product: Product, by) -> Product:
    """Take a product back to draft: hidden from the public, still editable."""
    return _set_status(product=product, status=Product.Status.DRAFT)


@transaction.atomic
@invalidates_public_pages
def add_product_image(
    *, product: Product, upload, by, alt_text: str = ""
) -> ProductImage:
    """Validate an uploaded photo and store it with its small and large WebP.

    The file is decoded (not trusted by name), re-encoded without metadata and
    saved under random names. Raises ValidationError with the reason.
    """
    if product.images.count() >= MAX_IMAGES_PER_PRODUCT:
        raise ValidationError(
            _("Paling banyak %(count)s foto per produk.")
            % {"count": MAX_IMAGES_PER_PRODUCT},
            code="too_many",
        )
    image = open_image(upload)
    original = webp_rendition(image, MAX_SIDE, quality=85)
    # A photo already within a rendition's size would encode to the same
    # picture again: copy the bytes instead (WebP encoding is the slow part).
    longest = max(image.size)
    large = (
        _copy(original) if longest <= LARGE_SIDE else webp_rendition(image, LARGE_SIDE)
    )
    small = _copy(large) if longest <= SMALL_SIDE else webp_rendition(image, SMALL_SIDE)
    last = product.images.aggregate(last=Max("position"))["last"]
    return ProductImage.objects.create(
        product=product,
        original=original.file,
        large=large.file,
        large_width=large.width,
        large_height=large.height,
        small=small.file,
        small_width=small.width,
        small_height=small.height,
        alt_text=(alt_text or product.name)[:160],
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def add_product_images(*, product: Product, uploads: list, by) -> list[ProductImage]:
    """Add several photos at once, all or none (see `add_product_image`)."""
    return [
        add_product_image(product=product, upload=upload, by=by) for upload in uploads
    ]


def _copy(rendition: Rendition) -> Rendition:
    rendition.file.seek(0)
    data = rendition.file.read()
    rendition.file.seek(0)
    return Rendition(
        ContentFile(data, name=random_name("webp")), rendition.width, rendition.height
    )


@transaction.atomic
@invalidates_public_pages
def reorder_product_images(*, product: Product, image_ids: list[int], by) -> None:
    """Put the product's photos in the given order; the first is the cover.

    Ids not belonging to the product are ignored; photos not named keep their
    relative order after the named ones.
    """
    images = list(product.images.select_for_update().order_by("position", "id"))
    by_id = {image.pk: image for image in images}
    ordered = [by_id[pk] for pk in dict.fromkeys(image_ids) if pk in by_id]
    ordered += [image for image in images if image not in ordered]
    for position, image in enumerate(ordered):
        if image.position != position:
            image.position = position
            image.save(update_fields=["position", "updated_at"])


@transaction.atomic
@invalidates_public_pages
def move_product_image(*, image: ProductImage, up: bool, by) -> None:
    """Move one photo a place earlier (`up`) or later."""
    ids = list(
        image.product.images.order_by("position", "id").values_list("pk", flat=True)
    )
    index = ids.index(image.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    reorder_product_images(product=image.product, image_ids=ids, by=by)


@transaction.atomic
@invalidates_public_pages
def delete_product_image(*, image: ProductImage, by) -> None:
    """Remove a photo; its files are deleted once the transaction commits."""
    files = [image.original, image.small, image.large]
    storage_names = [(f.storage, f.name) for f in files if f.name]
    image.delete()

    def remove_files():
        for storage, name in storage_names:
            storage.delete(name)

    transaction.on_commit(remove_files)


def adjust_stock(
    *,
    product: Product,
    quantity: int,
    reason: str,
    by,
    variant: ProductVariant | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> StockMovement:
    """Add (or with a negative quantity remove) stock by hand, never below zero.

    `catalog.stock.adjust` makes the change and its movement; this adds the
    audit row of who changed it, how much and why. Sets `product.stock` to
    the new value. A product with variants is adjusted through one `variant`.
    Raises StockTooLowError when the stock would go below zero.
    A repeated `idempotency_key` (the form's one-time key) returns the first
    movement and changes nothing, also when two requests race: the second
    waits on the variant's or product's row, then its movement collides with
    the first's key and its whole change rolls back.
    """
    earlier = _earlier_adjustment(idempotency_key, product, variant)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            movement = stock.adjust(
                product=product,
                variant=variant,
                quantity=quantity,
                reason=reason,
                by=by,
                idempotency_key=idempotency_key,
            )
            before = {"stock": movement.stock_after - quantity}
            after = {"stock": movement.stock_after}
            if variant is not None:
                before["variant"] = after["variant"] = variant.name
                before["variant_stock"] = movement.variant_stock_after - quantity
                after["variant_stock"] = movement.variant_stock_after
            record_audit(
                actor=by,
                action=AuditLog.Action.STOCK_ADJUSTMENT,
                target=product,
                posdaya=product.posdaya,
                before=before,
                after=after,
                note=reason,
            )
    except IntegrityError:
        earlier = _earlier_adjustment(idempotency_key, product, variant)
        if earlier is None:
            raise
        return earlier
    return movement


def _earlier_adjustment(idempotency_key, product, variant=None) -> StockMovement | None:
    if idempotency_key is None:
        return None
    movement = StockMovement.objects.filter(idempotency_key=idempotency_key).first()
    if movement is not None and (
        movement.product_id != product.pk
        or movement.variant_id != (variant.pk if variant is not None else None)
    ):
        raise CatalogError(
            _("Formulir ini sudah dipakai untuk produk lain. Muat ulang halaman.")
        )
    if movement is not None:
        product.refresh_from_db(fields=["stock"])
        if variant is not None:
            variant.refresh_from_db(fields=["stock"])
    return movement


# --- variants ------------------------------------------------------------------


@transaction.atomic
@invalidates_public_pages
def set_variant_options(
    *, product: Product, option1_name: str, option2_name: str, by
) -> Product:
    """Name what the shopper chooses ("Motif", "Warna"): one or two options.

    Once a product has variants, its first option keeps a name and the second
    cannot be added or removed (every variant would lose or lack a value).
    """
    option1_name, option2_name = option1_name.strip(), option2_name.strip()
    if option2_name and not option1_name:
        raise CatalogError(
            _("Isi nama pilihan 1 sebelum pilihan 2."), field="option1_name"
        )
    if product.variants.exists():
        if not option1_name:
            raise CatalogError(
                _("Produk yang sudah punya varian perlu nama pilihan 1."),
                field="option1_name",
            )
        if bool(option2_name) != bool(product.option2_name):
            raise CatalogError(
                _("Pilihan 2 tidak bisa ditambah atau dihapus setelah ada varian."),
                field="option2_name",
            )
    Product.objects.filter(pk=product.pk).update(
        option1_name=option1_name, option2_name=option2_name, updated_at=timezone.now()
    )
    product.option1_name, product.option2_name = option1_name, option2_name
    return product


def _check_variant(*, product: Product, option1, option2, image, exclude=None):
    if not product.option1_name:
        raise CatalogError(
            _("Isi dulu nama pilihannya, mis. Motif atau Warna."), field="option1"
        )
    if not option1:
        raise CatalogError(
            _("Isi %(option)s varian ini.") % {"option": product.option1_name},
            field="option1",
        )
    if product.option2_name and not option2:
        raise CatalogError(
            _("Isi %(option)s varian ini.") % {"option": product.option2_name},
            field="option2",
        )
    if not product.option2_name and option2:
        raise CatalogError(_("Produk ini hanya punya satu pilihan."), field="option2")
    if image is not None and image.product_id != product.pk:
        raise CatalogError(_("Foto itu bukan foto produk ini."), field="image")
    same = product.variants.filter(option1__iexact=option1, option2__iexact=option2)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise CatalogError(_("Varian itu sudah ada."), field="option1")


@transaction.atomic
@invalidates_public_pages
def add_variant(
    *,
    product: Product,
    option1: str,
    option2: str = "",
    price: int | None = None,
    image: ProductImage | None = None,
    by,
    made_to_order: dict | None = None,
) -> ProductVariant:
    """Add a variant (with no stock of its own yet) to a product.

    The product row is locked first, so no order reserves the product alone
    while it gains its first variant; that first variant takes over the
    product's stock (`stock.open_first_variant`), so the product's stock stays
    the sum of its variants'. Later variants start at zero and get stock by an
    adjustment.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    option1, option2 = option1.strip(), option2.strip()
    _check_variant(product=product, option1=option1, option2=option2, image=image)
    terms = made_to_order_fields(**made_to_order) if made_to_order else {}
    first = not product.variants.exists()
    variant = ProductVariant.objects.create(
        **terms,
        product=product,
        option1=option1,
        option2=option2,
        price=price,
        image=image,
        position=product.variants.count(),
    )
    if first:
        stock.open_first_variant(variant=variant, by=by)
    return variant


@transaction.atomic
@invalidates_public_pages
def update_variant(
    *,
    variant: ProductVariant,
    option1: str,
    option2: str = "",
    price: int | None = None,
    image: ProductImage | None = None,
    by,
    made_to_order: dict | None = None,
) -> ProductVariant:
    """Rename a variant, set or clear its own price and photo; prices audited.

    Order lines keep the name and price they were bought with. `made_to_order`
    as for `create_product` (None: unchanged).
    """
    terms = made_to_order_fields(**made_to_order) if made_to_order else {}
    option1, option2 = option1.strip(), option2.strip()
    product = variant.product
    _check_variant(
        product=product, option1=option1, option2=option2, image=image, exclude=variant
    )
    old_price = variant.price
    ProductVariant.objects.filter(pk=variant.pk).update(
        **terms,
        option1=option1,
        option2=option2,
        price=price,
        image=image,
        updated_at=timezone.now(),
    )
    for field, value in terms.items():
        setattr(variant, field, value)
    variant.option1, variant.option2 = option1, option2
    variant.price, variant.image = price, image
    if old_price != price:
        record_audit(
            actor=by,
            action=AuditLog.Action.PRICE_CHANGE,
            target=product,
            posdaya=product.posdaya,
            before={"variant": variant.name, "price": old_price},
            after={"variant": variant.name, "price": price},
        )
    return variant
