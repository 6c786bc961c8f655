"""A nasabah pays a craft with her waste savings and sees it in her passbook.

She checks today's waste prices, signs in, buys a bag in the motif she
chooses, pays with her savings and
opens the passbook entry's link to her order; the POSDAYA completes its part
and the settlement statement shows the credit.
"""

import re
import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from banksampah.models import Member
from banksampah.services import WeighedLine, record_deposit
from catalog.models import ProductVariant
from catalog.services import add_variant, adjust_stock, set_variant_options
from orders.models import OrderLine

from ..factories import PASSWORD, MemberFactory, ProductFactory, UserFactory
from .conftest import assert_accessible, sign_in
from .test_journeys import waste_price

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_nasabah_pays_with_savings_and_sees_the_passbook_entry(
    page, posdaya, pengelola
):
    pet = waste_price("Botol plastik PET", "plastik-pet", 1, 5000, 6000)
    user = UserFactory(username="siti")
    member = MemberFactory(posdaya=posdaya, name="Ibu Siti", user=user)
    record_deposit(
        member=member,
        lines=[WeighedLine(category=pet, weight=Decimal("20"))],
        by=None,
        idempotency_key=uuid.uuid4(),
    )  # Rp 100.000
    bag = ProductFactory(
        posdaya=posdaya,
        name="Tas Bungkus Kopi",
        slug="tas-bungkus-kopi",
        price=25000,
        stock=5,
    )
    set_variant_options(product=bag, option1_name="Motif", option2_name="", by=None)
    add_variant(product=bag, option1="Polos", by=None)  # takes over the 5
    batik = add_variant(product=bag, option1="Batik", by=None)
    adjust_stock(product=bag, variant=batik, quantity=3, reason="produksi", by=None)

    # Before bringing waste: what it is worth today, and when to weigh it.
    page.goto(page.base + "/harga-sampah/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harga sampah hari ini")
    expect(page.get_by_text("Rp\xa05.000 per kg")).to_be_visible()
    assert_accessible(page)

    sign_in(page, "siti", PASSWORD)
    page.goto(page.base + "/produk/tas-bungkus-kopi/")
    page.get_by_role("radio", name=re.compile("Batik")).check()
    page.get_by_role("button", name="Tambah ke keranjang").click()
    page.get_by_text("Tas Bungkus Kopi (Batik) masuk keranjang.").wait_for()
    page.goto(page.base + "/checkout/")
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Ambil sendiri di POSDAYA").check()
    expect(page.get_by_text("Saldo tabungan Anda Rp\xa0100.000.")).to_be_visible()
    page.get_by_label("Bayar pakai tabungan sampah").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lanjut ke ringkasan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa pesanan Anda")
    page.get_by_role("button", name="Pesan sekarang · Rp\xa025.000").click()
    page.wait_for_url(re.compile(r"/pesanan/[^/]+/"))
    expect(page.locator(".order-status")).to_have_text("Dibayar")
    expect(
        page.get_by_text("Lunas: Rp\xa025.000 dibayar dari tabungan sampah Anda.")
    ).to_be_visible()
    assert_accessible(page)
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Pesanan ")
    line = OrderLine.objects.get(suborder__order__code=code)
    assert (line.variant_id, line.variant_name, line.quantity) == (batik.pk, "Batik", 1)
    assert ProductVariant.objects.get(pk=batik.pk).stock == 2

    page.get_by_role("link", name="buku tabungan").click()
    expect(page.get_by_text("Rp\xa075.000").first).to_be_visible()
    entry = page.get_by_role("link", name=f"pesanan {code}")
    expect(entry).to_be_visible()
    assert_accessible(page)
    entry.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Pesanan {code}")
    assert Member.objects.get(pk=member.pk).balance == 75000

    # The POSDAYA completes its part; the statement shows the credit.
    page.context.clear_cookies()
    sign_in(page, "pengelola", PASSWORD)
    page.goto(page.base + "/dasbor/bahagia/pesanan/")
    page.locator("main .list-group-item").first.click()
    for step in ("Diproses", "Siap diambil", "Selesai"):
        page.get_by_role("button", name=f"Ubah ke: {step}").click()
        expect(page.locator("main h1 + span .badge").first).to_have_text(step)
    page.goto(page.base + "/dasbor/bahagia/setelmen/")
    expect(page.get_by_text(code).first).to_be_visible()
    expect(page.get_by_text("Rp\xa025.000").first).to_be_visible()
    assert_accessible(page)
