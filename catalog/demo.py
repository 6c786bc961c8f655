"""Demo catalog: 13 categories and about 120 products across the 16 POSDAYA.

Idempotent (rows found by slug) and deterministic (a fixed random seed).
Everything is written by the services: categories, the waste categories the
materials name (when the bank sampah demo has not made them), products and
their stock. Pictures are drawn with Pillow and go through `add_product_image`, the
same path as an upload, so every product has its renditions.
"""

import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from banksampah.models import WasteCategory
from banksampah.services import DEFAULT_WASTE_CATEGORIES, save_waste_category
from posdaya.models import Posdaya

from . import services
from .models import Category, Product

SEED = 20240817
PICTURE_SIDE = 400  # = the small rendition: one WebP encode per picture

# category slug → (names, description, price range, materials as (slug, kg)).
PRODUCT_KINDS = {
    "tas": (
        [
            "Tas Anyaman Bungkus Kopi",
            "Tas Belanja Lipat dari Kresek",
            "Tas Jinjing Sachet Deterjen",
            "Tote Bag Banner Bekas",
            "Tas Selempang Anyaman",
        ],
        "Dianyam rapi dari kemasan bekas yang sudah dicuci bersih. Kuat untuk "
        "belanja ke pasar, ringan dan tahan air.",
        (45_000, 150_000),
        [("kemasan-sachet", "0.180"), ("kresek", "0.050")],
    ),
    "dompet": (
        [
            "Dompet Koin Sachet Kopi",
            "Dompet Resleting Anyaman",
            "Dompet Kartu Mini",
            "Pouch Kosmetik Daur Ulang",
        ],
        "Dompet kecil dari bungkus kopi dan deterjen, dijahit dengan resleting. "
        "Pas untuk uang receh, kartu dan kunci.",
        (15_000, 45_000),
        [("kemasan-sachet", "0.040")],
    ),
    "tempat-tisu": (
        [
            "Tempat Tisu Anyaman Koran",
            "Kotak Tisu Kardus Motif Batik",
            "Tempat Tisu Gelas Plastik",
        ],
        "Kotak tisu dari gulungan koran yang dipernis, kokoh dan cantik untuk "
        "meja tamu atau meja makan.",
        (25_000, 65_000),
        [("koran", "0.250"), ("kardus", "0.100")],
    ),
    "tempat-pensil": (
        [
            "Tempat Pensil Botol Plastik",
            "Kotak Pensil Kaleng Hias",
            "Tempat Pulpen Gulungan Koran",
        ],
        "Wadah alat tulis dari botol dan kaleng bekas, dihias warna cerah. "
        "Hadiah yang disukai anak sekolah.",
        (10_000, 35_000),
        [("plastik-pet", "0.060")],
    ),
    "sandal": (
        [
            "Sandal Hotel Anyaman Sachet",
            "Sandal Jepit Hias Manik",
            "Sandal Rumah Kain Perca",
        ],
        "Sandal ringan untuk di rumah, alas empuk dengan tali anyaman kemasan "
        "bekas. Tersedia ukuran dewasa.",
        (20_000, 55_000),
        [("kemasan-sachet", "0.090"), ("kresek", "0.030")],
    ),
    "kipas-tangan": (
        [
            "Kipas Tangan Anyaman Sachet",
            "Kipas Lipat Kertas Koran",
            "Kipas Bundar Motif Bunga",
        ],
        "Kipas tangan untuk hajatan dan suvenir pernikahan, dari kemasan bekas "
        "yang dianyam. Bisa pesan dalam jumlah banyak.",
        (10_000, 25_000),
        [("kemasan-sachet", "0.030")],
    ),
    "wadah-hantaran": (
        [
            "Wadah Hantaran Anyaman Koran",
            "Keranjang Seserahan Kardus",
            "Nampan Hantaran Hias",
        ],
        "Wadah seserahan dan parsel yang kokoh, dihias pita dan renda. Bisa "
        "dipesan sesuai warna acara.",
        (60_000, 250_000),
        [("koran", "0.600"), ("kardus", "0.300")],
    ),
    "taplak-meja": (
        [
            "Taplak Meja Anyaman Kresek",
            "Taplak Meja Rajut Plastik",
            "Tatakan Piring Sachet (set 4)",
        ],
        "Taplak dan tatakan yang mudah dilap, tahan air, dari kantong kresek "
        "yang dipotong tipis lalu dirajut.",
        (35_000, 120_000),
        [("kresek", "0.400")],
    ),
    "bunga-hias": (
        [
            "Bunga Mawar Botol Plastik",
            "Rangkaian Bunga Sedotan",
            "Bunga Hias Kresek Warna-warni",
        ],
        "Bunga hias yang tak pernah layu, dibentuk dari botol dan kantong plastik "
        "bekas. Cantik untuk ruang tamu.",
        (15_000, 75_000),
        [("plastik-pet", "0.120"), ("kresek", "0.040")],
    ),
    "vas-bunga": (
        [
            "Vas Bunga Botol Kaca Hias",
            "Vas Gulungan Koran",
            "Pot Bunga Gelas Plastik",
        ],
        "Vas dari botol kaca dan gulungan koran, dicat dan dipernis. Setiap vas "
        "dibuat tangan, motifnya tidak ada yang sama.",
        (25_000, 95_000),
        [("botol-kaca", "0.350"), ("koran", "0.100")],
    ),
    "lampu-hias": (
        [
            "Lampu Tidur Gelas Plastik",
            "Lampu Gantung Botol Kaca",
            "Lampion Sachet Kopi",
        ],
        "Lampu hias dengan cahaya hangat, dirangkai dari gelas plastik atau "
        "botol kaca bekas. Sudah termasuk fitting dan kabel.",
        (55_000, 200_000),
        [("gelas-plastik", "0.200"), ("aluminium", "0.050")],
    ),
    "suvenir": (
        [
            "Gantungan Kunci Sachet",
            "Miniatur Becak Kaleng",
            "Bros Bunga Kain Perca",
            "Celengan Botol Plastik",
        ],
        "Suvenir kecil dari sampah daur ulang, cocok untuk oleh-oleh dan hadiah "
        "acara. Harga khusus untuk pesanan banyak.",
        (10_000, 40_000),
        [("aluminium", "0.030"), ("plastik-pet", "0.020")],
    ),
    "kompos": (
        [
            "Kompos Organik 2 kg",
            "Pupuk Cair Organik 1 liter",
            "Kompos Daun Kering 5 kg",
        ],
        "Kompos matang dari sisa dapur warga yang dipilah, diolah di POSDAYA. "
        "Subur untuk tanaman hias dan sayur.",
        (10_000, 40_000),
        [],
    ),
}

PALETTE = [
    (31, 122, 77),
    (196, 69, 54),
    (52, 101, 164),
    (230, 159, 0),
    (128, 66, 148),
    (0, 150, 150),
    (205, 92, 140),
    (90, 110, 40),
    (170, 110, 60),
    (60, 60, 90),
]
PATTERNS = ["stripes", "dots", "checks", "diagonal", "rings"]


def seed() -> None:
    """Create the demo categories, waste categories and products (idempotent)."""
    rng = random.Random(SEED)
    with transaction.atomic():
        services.add_default_categories()
        categories = {category.slug: category for category in Category.objects.all()}
        waste = {category.slug: category for category in WasteCategory.objects.all()}
        for order, (slug, name, group, unit, *_prices) in enumerate(
            DEFAULT_WASTE_CATEGORIES, 1
        ):
            if slug not in waste:  # the bank sampah demo did not run first
                waste[slug] = save_waste_category(
                    by=None, slug=slug, name=name, group=group, unit=unit, order=order
                )
        branches = list(Posdaya.objects.order_by("pk"))
        if not branches:
            return
        kinds = list(PRODUCT_KINDS.items())
        number = 0
        # 7 or 8 products each: 16 POSDAYA → 120 products, made round-robin so
        # the newest products on the home page come from many POSDAYA.
        for item in range(8):
            for branch_index, branch in enumerate(branches):
                if item == 7 and branch_index % 2:
                    continue
                category_slug, (names, description, prices, materials) = kinds[
                    (branch_index * 3 + item) % len(kinds)
                ]
                name = names[(branch_index + item) % len(names)]
                low, high = prices
                price = rng.randrange(low, high + 1, 500) // 1000 * 1000 or low
                stock = 0 if number % 11 == 3 else rng.randint(1, 40)
                publish = number % 17 != 5  # a few drafts
                two_pictures = number % 3 == 0
                color = PALETTE[number % len(PALETTE)]
                pattern = PATTERNS[(number // len(PALETTE)) % len(PATTERNS)]
                number += 1
                weight = rng.choice([100, 150, 250, 400, 600, 1000])
                if Product.objects.filter(
                    slug=slugify(f"{name} {branch.slug}")
                ).exists():
                    continue
                pictures = [
                    _picture(name, branch.name, color, pattern, variant)
                    for variant in range(2 if two_pictures else 1)
                ]
                services.create_product(
                    posdaya=branch,
                    category=categories[category_slug],
                    name=name,
                    price=price,
                    by=None,
                    description=f"{description}\n\nBuatan ibu-ibu {branch.name}.",
                    stock=stock,
                    weight_grams=weight,
                    publish=publish,
                    materials=[
                        services.MaterialLine(waste[slug], Decimal(kg))
                        for slug, kg in materials
                    ],
                    images=pictures,
                )
        _seed_variants(branches[0], rng)


MADE_TO_ORDER = {"made_to_order": True, "lead_time_days": 7, "made_to_order_cap": 5}


def _seed_variants(branch, rng) -> None:
    """Give one bag of the first POSDAYA motifs to choose from (once)."""
    bag = (
        Product.objects.filter(
            posdaya=branch, category__slug="tas", status=Product.Status.PUBLISHED
        )
        .order_by("pk")
        .first()
    )
    if bag is None or bag.variants.exists():
        return
    services.set_variant_options(
        product=bag, option1_name="Motif", option2_name="", by=None
    )
    for motif, extra_price, units in (
        ("Batik", 0, 0),
        ("Polos", 0, rng.randint(3, 12)),
        ("Bunga", 2000, rng.randint(1, 4)),
    ):
        variant = services.add_variant(
            product=bag,
            option1=motif,
            price=bag.price + extra_price if extra_price else None,
            by=None,
            # Batik is sewn after the order: made to order in a week, 5 open.
            made_to_order=MADE_TO_ORDER if motif == "Batik" else None,
        )
        if units:
            services.adjust_stock(
                product=bag,
                variant=variant,
                quantity=units,
                reason="Stok awal (demo)",
                by=None,
            )


def _picture(name, maker, color, pattern, variant) -> SimpleUploadedFile:
    """Draw a product picture: its colour, a pattern and its name."""
    side = PICTURE_SIDE
    light = tuple(min(255, c + 90) for c in color)
    if variant:
        color, light = light, color
    image = Image.new("RGB", (side, side), light)
    draw = ImageDraw.Draw(image)
    step = 40
    if pattern == "stripes":
        for x in range(0, side, step):
            draw.rectangle([x, 0, x + step // 2, side], fill=color)
    elif pattern == "dots":
        for x in range(step // 2, side, step):
            for y in range(step // 2, side, step):
                draw.ellipse([x - 10, y - 10, x + 10, y + 10], fill=color)
    elif pattern == "checks":
        for x in range(0, side, step):
            for y in range(0, side, step):
                if (x + y) // step % 2:
                    draw.rectangle([x, y, x + step, y + step], fill=color)
    elif pattern == "diagonal":
        for offset in range(-side, side, step):
            draw.line([(offset, 0), (offset + side, side)], fill=color, width=12)
    else:
        for radius in range(side, 0, -step):
            draw.ellipse(
                [
                    side / 2 - radius,
                    side / 2 - radius,
                    side / 2 + radius,
                    side / 2 + radius,
                ],
                outline=color,
                width=10,
            )
    band_top = side * 0.62
    draw.rectangle([0, band_top, side, side], fill=(255, 255, 255))
    title = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=20)
    words, lines = name.split(), [""]
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if draw.textlength(candidate, font=title) > side - 40 and lines[-1]:
            lines.append(word)
        else:
            lines[-1] = candidate
    y = band_top + 16
    for line in lines[:3]:
        draw.text((20, y), line, fill=color if not variant else light, font=title)
        y += 36
    draw.text((20, side - 34), maker, fill=(90, 90, 90), font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(
        f"{name}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )
