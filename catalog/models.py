"""Crafts made from household waste, listed by each POSDAYA."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasar.models import AppendOnlyModel, TimeStampedModel, recorded_by
from posdaya.selectors import active_posdaya


def current_time():
    """Return now: the default of a `created_at` that a service may set itself."""
    return timezone.now()


class Category(TimeStampedModel):
    """A kind of craft: tas, dompet, vas bunga, kompos…"""

    name = models.CharField(_("nama"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    icon = models.CharField(
        _("ikon"),
        max_length=40,
        blank=True,
        help_text=_("Nama ikon Bootstrap Icons, mis. bag."),
    )

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})


class MadeToOrder(models.Model):
    """Made to order ("dibuat sesuai pesanan"): a product or variant the
    POSDAYA makes after the order, within `lead_time_days`, when no ready unit
    is left, up to `made_to_order_cap` units ordered and not yet made.

    `open_made_to_order` (those units) is written only by `catalog.stock`, in
    the transaction that reserves, releases or ships them.
    """

    made_to_order = models.BooleanField(_("dibuat sesuai pesanan"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lama pembuatan (hari)"), null=True, blank=True
    )
    made_to_order_cap = models.PositiveIntegerField(
        _("batas unit pesanan dibuat"), null=True, blank=True
    )
    open_made_to_order = models.PositiveIntegerField(
        _("unit pesanan dibuat yang belum dikirim"), default=0, editable=False
    )

    class Meta:
        abstract = True

    @property
    def made_to_order_room(self) -> int:
        """Units that may still be ordered made to order."""
        # A product with variants is made to order through its variants only.
        if not self.made_to_order or getattr(self, "has_variants", False):
            return 0
        return max(0, (self.made_to_order_cap or 0) - self.open_made_to_order)

    @property
    def orderable_units(self) -> int:
        """Ready units plus the made-to-order room: the most one order may take."""
        return max(self.stock, 0) + self.made_to_order_room

    def made_units_for(self, quantity: int) -> int:
        """Units of `quantity` that would be made to order (ready stock first)."""
        if not self.made_to_order_room:
            return 0
        return max(0, quantity - max(self.stock, 0))


def made_to_order_terms(prefix: str) -> models.CheckConstraint:
    """A made-to-order product or variant has a lead time of 1-90 days and a
    cap of at least one unit."""
    return models.CheckConstraint(
        condition=Q(made_to_order=False)
        | Q(lead_time_days__gte=1, lead_time_days__lte=90, made_to_order_cap__gte=1),
        name=f"{prefix}_made_to_order_terms",
    )


class ProductQuerySet(models.QuerySet):
    """The catalog's public rules, each spelled once."""

    def public(self):
        """Published products of an active POSDAYA: what the public may see."""
        # A subquery rather than a join on posdaya.is_active: with the join,
        # SQLite drives the query from the 16 POSDAYA rows and sorts every
        # product instead of walking the sort index and stopping after a page.
        return self.filter(
            status=Product.Status.PUBLISHED,
            posdaya__in=active_posdaya().values("pk"),
        )

    def in_stock(self):
        """Products one can order now (the shop's "hanya yang tersedia" filter):
        with stock left, or made to order with room under the cap (the
        product itself, or one of its variants)."""
        room = Q(made_to_order=True, open_made_to_order__lt=F("made_to_order_cap"))
        variant_room = ProductVariant.objects.filter(room, product=OuterRef("pk"))
        return self.filter(
            Q(stock__gt=0)
            | (room & Q(has_variants=False))
            | (Q(has_variants=True) & Exists(variant_room))
        )


class Product(MadeToOrder, TimeStampedModel):
    """One craft for sale, made and stocked by one POSDAYA.

    `stock` and `sold_count` are written only by `catalog.stock`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Tayang")
        ARCHIVED = "archived", _("Diarsipkan")

    posdaya = models.ForeignKey(
        "posdaya.Posdaya",
        verbose_name=_("POSDAYA"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("kategori"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("nama"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("deskripsi"), blank=True)
    price = models.PositiveIntegerField(_("harga (Rp)"))
    stock = models.IntegerField(_("stok"), default=0)
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), default=250)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Counter cache of units sold in paid orders, for the "terlaris" sort;
    # maintained by `catalog.stock` (called by the orders services).
    sold_count = models.PositiveIntegerField(_("terjual"), default=0)
    # The visible reviews' average and count, kept by reviews/services.py (the
    # one writer) so that sorting by rating reads an index, not an aggregate.
    rating_avg = models.DecimalField(
        _("rata-rata ulasan"), max_digits=3, decimal_places=2, default=0
    )
    rating_count = models.PositiveIntegerField(_("jumlah ulasan"), default=0)
    published_at = models.DateTimeField(_("ditayangkan"), null=True, blank=True)
    # Variants: one or two option names chosen by the pengelola ("Motif",
    # "Warna"); each ProductVariant gives a value for each name. A product
    # with variants keeps `stock` = the sum of its variants' stock
    # (`catalog.stock` writes both in one transaction).
    option1_name = models.CharField(_("nama pilihan 1"), max_length=30, blank=True)
    option2_name = models.CharField(_("nama pilihan 2"), max_length=30, blank=True)
    # Set by `catalog.stock` in the transaction that gives the product its first
    # variant: from then on it is reserved and adjusted through a variant only.
    # A column of the row (not a look-up of the variants) so that a concurrent
    # reservation's conditional UPDATE re-checks it after waiting on the row.
    has_variants = models.BooleanField(_("punya varian"), default=False)
    # PostgreSQL's full-text document of name (weight A) + description, kept
    # up to date by a database trigger (migrations 0002, 0003) so search never
    # rebuilds it per row. Always NULL on SQLite, whose FTS5 table
    # catalog_product_fts holds the same words (catalog/search/).
    search_document = SearchVectorField(
        _("dokumen pencarian"), null=True, editable=False
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="product_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(price__gt=0), name="product_price_positive"
            ),
            made_to_order_terms("product"),
        ]
        # One index per public sort, each led by status, and one per filter that
        # narrows by a foreign key, so the first page of any listing reads a
        # few index entries instead of sorting 100,000 rows. PostgreSQL also
        # gets GIN indexes for search (migration 0002, not expressible here
        # for SQLite).
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id"], name="product_pub_newest"
            ),
            models.Index(fields=["status", "price", "id"], name="product_pub_price"),
            models.Index(
                fields=["status", "-sold_count", "-id"], name="product_pub_bestseller"
            ),
            models.Index(
                fields=["status", "-rating_avg", "-rating_count", "-id"],
                name="product_pub_rating",
            ),
            models.Index(
                fields=["posdaya", "status", "-published_at", "-id"],
                name="product_posdaya_newest",
            ),
            models.Index(
                fields=["category", "status", "-published_at", "-id"],
                name="product_category_newest",
            ),
            # Sorting a category by price.
            models.Index(
                fields=["category", "status", "price", "id"],
                name="product_category_price",
            ),
            # Covers the COUNT(*) of a filtered listing, so counting any
            # combination of filters reads the index, not 100,000 rows.
            models.Index(
                fields=["status", "posdaya", "category", "price", "stock"],
                name="product_pub_filters",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:product_detail", kwargs={"slug": self.slug})

    @property
    def variants_made_to_order(self) -> bool:
        """Whether a variant can still be ordered made to order."""
        return any(v.made_to_order_room for v in self.variants.all())


class ProductImage(TimeStampedModel):
    """A photo of a product, re-encoded on upload with small and large WebP."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        on_delete=models.CASCADE,
        related_name="images",
    )
    original = models.ImageField(_("foto"), upload_to="products/original/")
    small = models.ImageField(_("foto kecil"), upload_to="products/small/")
    large = models.ImageField(_("foto besar"), upload_to="products/large/")
    small_width = models.PositiveSmallIntegerField(default=0)
    small_height = models.PositiveSmallIntegerField(default=0)
    large_width = models.PositiveSmallIntegerField(default=0)
    large_height = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("teks alternatif"), max_length=160, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")
        ordering = ["position", "id"]
        indexes = [
            models.Index(
                fields=["product", "position", "id"], name="productimage_order"
            )
        ]

    def __str__(self):
        return self.alt_text or str(self.product)


class ProductVariant(MadeToOrder, TimeStampedModel):
    """One choice of a product (a motif, a colour): its own stock, optionally
    its own price and photo.

    `stock` is written only by `catalog.stock`, together with the product's.
    """

    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        on_delete=models.CASCADE,
        related_name="variants",
    )
    option1 = models.CharField(_("pilihan 1"), max_length=40)
    option2 = models.CharField(_("pilihan 2"), max_length=40, blank=True)
    # None: the product's price.
    price = models.PositiveIntegerField(_("harga (Rp)"), null=True, blank=True)
    stock = models.IntegerField(_("stok"), default=0)
    image = models.ForeignKey(
        ProductImage,
        verbose_name=_("foto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("varian")
        verbose_name_plural = _("varian")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="variant_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gt=0),
                name="variant_price_positive",
            ),
            models.UniqueConstraint(
                fields=["product", "option1", "option2"],
                name="variant_unique_options",
            ),
            made_to_order_terms("variant"),
        ]

    def __str__(self):
        return f"{self.product} ({self.name})"

    @property
    def name(self) -> str:
        """The variant as the shopper reads it: "Batik / Merah"."""
        return " / ".join(value for value in (self.option1, self.option2) if value)

    @property
    def unit_price(self) -> int:
        return self.product.price if self.price is None else self.price


class ProductMaterial(models.Model):
    """Waste a product is made of: which kind, and how much per unit."""

    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    waste_category = models.ForeignKey(
        "banksampah.WasteCategory",
        verbose_name=_("jenis sampah"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kg_per_unit = models.DecimalField(_("kg per unit"), max_digits=8, decimal_places=3)

    class Meta:
        verbose_name = _("bahan daur ulang")
        verbose_name_plural = _("bahan daur ulang")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "waste_category"],
                name="product_material_unique_category",
            ),
            models.CheckConstraint(
                condition=Q(kg_per_unit__gt=0), name="product_material_kg_positive"
            ),
        ]

    def __str__(self):
        return f"{self.waste_category}: {self.kg_per_unit} kg"


class StockMovement(AppendOnlyModel):
    """A change to a product's stock: who, how much, why. Append-only.

    Written only by `catalog.stock`.
    """

    class Kind(models.TextChoices):
        ADJUSTMENT = "adjustment", _("Penyesuaian")
        ORDER = "order", _("Pesanan")
        RELEASE = "release", _("Pesanan batal/kedaluwarsa")

    product = models.ForeignKey(
        Product,
        verbose_name=_("produk"),
        on_delete=models.PROTECT,
        related_name="stock_movements",
    )
    # Set when the movement changed one variant's stock; `stock_after` is
    # always the product's stock (the sum), `variant_stock_after` the variant's.
    variant = models.ForeignKey(
        ProductVariant,
        verbose_name=_("varian"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
    )
    variant_stock_after = models.IntegerField(
        _("stok varian sesudah"), null=True, blank=True
    )
    # Not auto_now_add, which ignores a given value: the stock services take
    # `now=` so the demo can write its history without patching the clock.
    created_at = models.DateTimeField(
        _("waktu"), default=current_time, editable=False, db_index=True
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    quantity = models.IntegerField(_("jumlah"))
    stock_after = models.IntegerField(_("stok sesudah"))
    reason = models.CharField(_("alasan"), max_length=200, blank=True)
    by = recorded_by(_("oleh"))
    # Set on a staff adjustment, from its form: a double submit moves stock once.
    idempotency_key = models.UUIDField(
        _("kunci konfirmasi"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("pergerakan stok")
        verbose_name_plural = _("pergerakan stok")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.product}: {self.quantity:+d}"
