"""A buyer reviews a product from her completed order and sees it on the page."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from ..factories import PASSWORD, ProductFactory, UserFactory
from ..orders.conftest import make_order
from ..reviews.conftest import complete
from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_shopper_reviews_a_product_from_a_completed_order(
    page, posdaya, pengelola, tmp_path
):
    shopper = UserFactory(username="sari")
    product = ProductFactory(
        posdaya=posdaya, name="Tas Bungkus Kopi", slug="tas-bungkus-kopi", stock=5
    )
    order = make_order({product: 1}, payment="bayar_di_tempat", customer=shopper)
    complete(order.suborders.get(), pengelola)
    photo = tmp_path / "tas.png"
    Image.new("RGB", (64, 48), (40, 140, 80)).save(photo, format="PNG")

    sign_in(page, "sari", PASSWORD)
    page.goto(page.base + f"/pesanan/{order.code}/")
    page.get_by_role("link", name="Beri ulasan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Ulasan pesanan {order.code}"
    )
    assert_accessible(page)
    page.get_by_label("4 bintang").check()
    page.get_by_label("Ulasan", exact=True).fill("Jahitannya rapi, kuat dipakai.")
    page.get_by_label("Foto (boleh dilewati)").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim ulasan").click()
    page.get_by_text("Terima kasih, ulasan Anda sudah tampil.").wait_for()
    expect(page.get_by_role("button", name="Kirim ulasan")).to_have_count(0)

    page.goto(page.base + product.get_absolute_url())
    section = page.locator("#ulasan")
    expect(section.locator("[data-rating]")).to_contain_text("4,0 / 5 · 1 ulasan")
    expect(section).to_contain_text("Jahitannya rapi, kuat dipakai.")
    expect(section).to_contain_text("Budi")  # the first name on the order
    expect(section.get_by_role("img", name="Foto dari pembeli")).to_be_visible()
    assert_accessible(page)
