"""Waste categories (koordinator): the defaults and the category form."""

from datetime import date

from django.db import transaction

from ..models import WasteCategory
from .prices import set_waste_price

# slug, name, group, unit, buy price, sell price (Rupiah per unit): the waste the
# program paper's banks take in, at prices pengepul around Babelan paid in 2026.
DEFAULT_WASTE_CATEGORIES = [
    ("plastik-pet", "Botol plastik PET", "plastik", "kg", 3000, 4000),
    ("gelas-plastik", "Gelas plastik", "plastik", "kg", 4000, 5500),
    ("kemasan-sachet", "Kemasan/sachet", "plastik", "kg", 500, 1000),
    ("kresek", "Kantong kresek", "plastik", "kg", 300, 600),
    ("kardus", "Kardus", "kertas", "kg", 1500, 2000),
    ("kertas-hvs", "Kertas HVS", "kertas", "kg", 2000, 2800),
    ("koran", "Koran", "kertas", "kg", 1800, 2500),
    ("besi", "Besi", "logam", "kg", 3000, 4000),
    ("aluminium", "Aluminium", "logam", "kg", 10000, 13000),
    ("botol-kaca", "Botol kaca", "kaca", "kg", 300, 500),
    ("minyak-jelantah", "Minyak jelantah", "lainnya", "liter", 4000, 6000),
]


def missing_default_waste_categories() -> list[tuple]:
    """Rows of DEFAULT_WASTE_CATEGORIES whose slug and name are both still free."""
    taken_slugs = set(WasteCategory.objects.values_list("slug", flat=True))
    taken_names = {
        name.casefold() for name in WasteCategory.objects.values_list("name", flat=True)
    }
    return [
        row
        for row in DEFAULT_WASTE_CATEGORIES
        if row[0] not in taken_slugs and row[1].casefold() not in taken_names
    ]


def add_default_waste_categories(*, by, valid_from: date) -> int:
    """Create the missing default waste categories, each with its starting price.

    The prices go through `set_waste_price`, so they are audited like any other.
    Existing categories and their prices are left alone. Returns how many
    categories were created.
    """
    created = 0
    with transaction.atomic():
        order = {row[0]: n for n, row in enumerate(DEFAULT_WASTE_CATEGORIES, 1)}
        for slug, name, group, unit, buy, sell in missing_default_waste_categories():
            # get_or_create: a second click racing the first prices nothing twice.
            category, new = WasteCategory.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "group": group,
                    "unit": unit,
                    "order": order[slug],
                },
            )
            if not new:
                continue
            created += 1
            set_waste_price(
                category=category,
                valid_from=valid_from,
                buy_price=buy,
                sell_price=sell,
                by=by,
            )
    return created


def save_waste_category(
    *, category: WasteCategory | None = None, by, **fields
) -> WasteCategory:
    """Create or change a waste category (name, slug, group, unit, order, active)."""
    with transaction.atomic():
        category = category or WasteCategory()
        for key, value in fields.items():
            setattr(category, key, value)
        category.save()
    return category
