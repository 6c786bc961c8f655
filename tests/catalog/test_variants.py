"""Variants in the back office: options, variants, their stock; the policy."""

import uuid

import pytest

from catalog import services, stock
from catalog.errors import CatalogError
from catalog.models import Product, ProductVariant, StockMovement
from pasar.models import AuditLog
from tests.conftest import answer_of, status_matrix
from tests.factories import ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

OWN_ONLY = {
    "anonymous": "login",
    "shopper": 404,
    "other_staff": 404,
    "own_staff": 200,
    "koordinator": 200,
}


@pytest.fixture
def product(posdaya):
    return ProductFactory(posdaya=posdaya, name="Tas Kopi", price=25000, stock=4)


def with_variants(product, by=None):
    """Motif Batik (takes the product's 4) and Polos (+3): 7 in all."""
    services.set_variant_options(
        product=product, option1_name="Motif", option2_name="", by=by
    )
    batik = services.add_variant(product=product, option1="Batik", by=by)
    polos = services.add_variant(product=product, option1="Polos", price=30000, by=by)
    services.adjust_stock(
        product=product, variant=polos, quantity=3, reason="produksi", by=by
    )
    return batik, polos


def stocks(product):
    return (
        Product.objects.get(pk=product.pk).stock,
        list(
            ProductVariant.objects.filter(product=product)
            .order_by("pk")
            .values_list("option1", "stock")
        ),
    )


def test_first_variant_takes_the_stock_and_the_product_is_their_sum(product):
    batik, polos = with_variants(product)
    assert stocks(product) == (7, [("Batik", 4), ("Polos", 3)])
    assert (batik.name, batik.unit_price, polos.unit_price) == ("Batik", 25000, 30000)
    moves = StockMovement.objects.filter(product=product).order_by("pk")
    assert list(
        moves.values_list(
            "variant__option1", "quantity", "stock_after", "variant_stock_after"
        )
    ) == [
        (None, 4, 4, None),
        (None, -4, 0, None),
        ("Batik", 4, 4, 4),
        ("Polos", 3, 7, 3),
    ]
    assert stock.mismatches() == []


def test_a_product_with_variants_is_not_adjusted_alone(product):
    with_variants(product)
    before = (stocks(product), StockMovement.objects.count())
    with pytest.raises(CatalogError) as refused:
        services.adjust_stock(product=product, quantity=2, reason="x", by=None)
    assert refused.value.message == "Pilih varian yang stoknya diubah."
    assert (stocks(product), StockMovement.objects.count()) == before


def test_variant_stock_never_goes_below_zero(product):
    _batik, polos = with_variants(product)
    with pytest.raises(CatalogError) as refused:
        services.adjust_stock(
            product=product, variant=polos, quantity=-4, reason="rusak", by=None
        )
    assert refused.value.message == "Stok tidak cukup: sisa 3, akan dikurangi 4."
    assert stocks(product) == (7, [("Batik", 4), ("Polos", 3)])


def test_two_options_and_the_refusals(product, posdaya):
    services.set_variant_options(
        product=product, option1_name="Motif", option2_name="Warna", by=None
    )
    variant = services.add_variant(
        product=product, option1="Batik", option2="Merah", by=None
    )
    assert variant.name == "Batik / Merah"
    other_image = ProductImageFactory(product=ProductFactory(posdaya=posdaya))
    cases = [
        ({"option1": "batik", "option2": "merah"}, "Varian itu sudah ada."),
        ({"option1": "Batik", "option2": ""}, "Isi Warna varian ini."),
        (
            {"option1": "Polos", "option2": "Biru", "image": other_image},
            "Foto itu bukan foto produk ini.",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(CatalogError) as refused:
            services.add_variant(product=product, by=None, **kwargs)
        assert refused.value.message == message
    with pytest.raises(CatalogError) as refused:
        services.set_variant_options(
            product=product, option1_name="Motif", option2_name="", by=None
        )
    assert refused.value.message == (
        "Pilihan 2 tidak bisa ditambah atau dihapus setelah ada varian."
    )
    assert ProductVariant.objects.count() == 1


def test_a_variant_needs_option_names_first(product):
    with pytest.raises(CatalogError) as refused:
        services.add_variant(product=product, option1="Batik", by=None)
    assert refused.value.message == "Isi dulu nama pilihannya, mis. Motif atau Warna."
    assert ProductVariant.objects.count() == 0
    assert Product.objects.get(pk=product.pk).stock == 4


def test_a_variant_price_change_is_audited(product, pengelola):
    batik, _polos = with_variants(product)
    services.update_variant(
        variant=batik, option1="Batik Mega", price=27000, by=pengelola
    )
    audit = AuditLog.objects.get(action=AuditLog.Action.PRICE_CHANGE)
    assert (audit.actor, audit.before, audit.after) == (
        pengelola,
        {"variant": "Batik Mega", "price": None},
        {"variant": "Batik Mega", "price": 27000},
    )


# --- the pages -----------------------------------------------------------------


def urls(product, variant):
    base = f"/dasbor/bahagia/produk/{product.pk}/varian/"
    return [
        base,
        f"{base}pilihan/",
        f"{base}{variant.pk}/",
        f"{base}{variant.pk}/stok/",
    ]


@pytest.mark.parametrize("index", range(4))
def test_get_matrix(actors, product, index):
    batik, _polos = with_variants(product)
    assert status_matrix(actors, urls(product, batik)[index]) == OWN_ONLY


def post_data(index):
    return [
        {"option1": "Bunga"},
        {"option1_name": "Corak", "option2_name": ""},
        {"option1": "Batik Baru", "price": "26000"},
        {"quantity": "2", "reason": "produksi", "key": str(uuid.uuid4())},
    ][index]


def snapshot():
    return (
        list(ProductVariant.objects.order_by("pk").values_list()),
        list(Product.objects.order_by("pk").values_list("stock", "option1_name")),
        StockMovement.objects.count(),
        AuditLog.objects.count(),
    )


@pytest.mark.parametrize("index", range(4))
def test_post_matrix_changes_nothing_when_denied(actors, product, index):
    batik, _polos = with_variants(product)
    url = urls(product, batik)[index]
    before = snapshot()
    answers = {}
    for name in ("anonymous", "shopper", "other_staff"):
        client = getattr(actors, name)
        answers[name] = answer_of(client.post(url, post_data(index)), url)
        assert snapshot() == before, name
    assert answers == {"anonymous": "login", "shopper": 404, "other_staff": 404}
    response = actors.own_staff.post(url, post_data(index))
    assert response.status_code == 302
    assert response["Location"] == urls(product, batik)[0]
    assert snapshot() != before


def test_pages_add_rename_and_stock(actors, product):
    client = actors.own_staff
    base = f"/dasbor/bahagia/produk/{product.pk}/varian/"
    client.post(f"{base}pilihan/", {"option1_name": "Motif", "option2_name": ""})
    response = client.post(base, {"option1": "Batik"}, follow=True)
    assert "Varian Batik ditambahkan." in response.content.decode()
    batik = ProductVariant.objects.get()
    response = client.post(
        f"{base}{batik.pk}/stok/",
        {"quantity": "-1", "reason": "rusak", "key": str(uuid.uuid4())},
        follow=True,
    )
    assert "Stok Tas Kopi (Batik) sekarang 3." in response.content.decode()
    assert stocks(product) == (3, [("Batik", 3)])
    response = client.post(f"{base}{batik.pk}/", {"option1": "", "price": "0"})
    assert response.status_code == 200
    assert stocks(product) == (3, [("Batik", 3)])


def test_another_products_variant_is_a_404(actors, product, posdaya):
    batik, _polos = with_variants(product)
    other = ProductFactory(posdaya=posdaya)
    url = f"/dasbor/bahagia/produk/{other.pk}/varian/{batik.pk}/stok/"
    before = snapshot()
    response = actors.own_staff.post(
        url, {"quantity": "2", "reason": "x", "key": str(uuid.uuid4())}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_recompute_balances_checks_and_mends_variant_stock(product):
    from io import StringIO

    from django.core.management import CommandError, call_command

    def run(*args):
        out = StringIO()
        call_command("recompute_balances", *args, stdout=out)
        return out.getvalue()

    batik, _polos = with_variants(product)
    assert run() == "All balances match the entries.\n"
    # The variant's column changed behind the stock module's back, twice over:
    # its movements and the product's sum both disagree now.
    ProductVariant.objects.filter(pk=batik.pk).update(stock=6)
    with pytest.raises(CommandError, match=r"^2 balance"):
        run()
    assert run("--fix").splitlines()[:2] == [
        "variant stock: Tas Kopi (Batik): stock 6, movements add up to 4",
        "variant stock: Tas Kopi: stock 7, its variants' stock adds up to 9 "
        "(not repaired: adjust a variant)",
    ]
    assert stock.variant_mismatches() == [
        stock.VariantMismatch(product.pk, "Tas Kopi", 7, 9)
    ]
    assert stock.mismatches() == []
    # The product's own ledger is unchanged by the pair of movements.
    assert Product.objects.get(pk=product.pk).stock == 7
