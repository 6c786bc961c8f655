"""The five journeys of the product, in a real browser on a phone-sized screen.

Each builds its data with factories and services, drives the pages the way a
person would (accessible names first), checks the key pages with axe-core and
ends on what the person sees.
"""

import datetime as dt
import re
import uuid
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from banksampah.services import SaleLine, WeighedLine, record_deposit, record_sale
from orders.services import mark_suborder_paid

from ..factories import (
    PASSWORD,
    CategoryFactory,
    MemberFactory,
    ProductFactory,
    UserFactory,
    WasteCategoryFactory,
    WastePriceFactory,
)
from ..orders.conftest import make_order
from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JAKARTA = ZoneInfo("Asia/Jakarta")


def rupiah(text: str) -> int:
    """Read "Rp 1.234.567" (or "-Rp 5.000") as an integer."""
    match = re.search(r"(-?)Rp\s*([\d.]+)", text)
    assert match, text
    return int(match.group(1) + match.group(2).replace(".", ""))


def png(path, colour=(40, 140, 80)) -> str:
    """Write a small real PNG and return its path."""
    Image.new("RGB", (64, 48), colour).save(path, format="PNG")
    return str(path)


def switch_user(page, username: str) -> None:
    """Forget the current visitor (cookies) and sign in as someone else."""
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)


def waste_price(name: str, slug: str, order: int, buy: int, sell: int):
    category = WasteCategoryFactory(name=name, slug=slug, order=order)
    WastePriceFactory(
        category=category,
        valid_from=dt.date(2024, 1, 1),
        buy_price=buy,
        sell_price=sell,
    )
    return category


# --------------------------------------------------------------------------- #
# 1 + 2. A guest buys from two POSDAYA; the induk verifies; both fulfil.
# --------------------------------------------------------------------------- #


@pytest.fixture
def shop(posdaya, other_posdaya, pengelola, other_pengelola, koordinator):
    """Two bags at two POSDAYA and a lamp that a search for "tas" must not find."""
    tas = CategoryFactory(name="Tas", slug="tas")
    lampu = CategoryFactory(name="Lampu", slug="lampu")
    ProductFactory(
        posdaya=posdaya,
        category=lampu,
        name="Lampu Botol",
        slug="lampu-botol",
        description="Lampu hias dari botol bekas.",
        price=40000,
    )
    kopi = ProductFactory(
        posdaya=posdaya,
        category=tas,
        name="Tas Bungkus Kopi",
        slug="tas-bungkus-kopi",
        price=25000,
        stock=5,
    )
    anyam = ProductFactory(
        posdaya=other_posdaya,
        category=tas,
        name="Tas Anyam Flamboyan",
        slug="tas-anyam-flamboyan",
        price=35000,
        stock=4,
    )
    return kopi, anyam


def add_from_search(page, posdaya_name: str, product_name: str, cart_size: int) -> None:
    """Search "tas" from the header, keep one POSDAYA, open a product, add it."""
    # The search box is in the phone's header, not behind the menu.
    search = page.get_by_role("searchbox", name="Cari produk")
    expect(search).to_be_visible()
    search.fill("tas")
    search.press("Enter")
    page.wait_for_url("**/produk/?q=tas")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Hasil pencarian “tas”"
    )
    assert page.get_by_role("link", name="Lampu Botol").count() == 0
    # The filters are folded behind one button; the products come first.
    posdaya_filter = page.get_by_label("POSDAYA", exact=True)
    expect(posdaya_filter).to_be_hidden()
    expect(page.locator(".product-card").first).to_be_in_viewport()
    assert_accessible(page)
    page.locator("summary", has_text="Filter").click()
    posdaya_filter.select_option(label=posdaya_name)
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**posdaya=*")
    names = page.locator(".product-card .card-title").all_inner_texts()
    assert names == [product_name]
    assert_accessible(page)
    page.get_by_role("link", name=product_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(product_name)
    product_url = page.url
    page.evaluate("window.stayedOnPage = true")
    page.get_by_role("button", name="Tambah ke keranjang").click()
    page.get_by_text(f"{product_name} masuk keranjang.").wait_for()
    # The script added it without a reload and updated the header's cart.
    assert page.evaluate("window.stayedOnPage") is True
    assert page.url == product_url
    cart = page.locator("a[data-cart-link]")
    expect(cart).to_have_attribute("aria-label", f"Keranjang, {cart_size} barang")
    assert cart.locator("[data-cart-count]").inner_text() == str(cart_size)


def test_guest_buys_from_two_posdaya_and_both_fulfil(page, shop, tmp_path):
    kopi, anyam = shop

    # 1. The guest: search, filter, product, cart, checkout, proof of transfer.
    page.goto(page.base + "/")
    assert_accessible(page)
    add_from_search(page, "POSDAYA Bahagia", kopi.name, 1)
    assert_accessible(page)  # a product page
    page.goto(page.base + "/")
    add_from_search(page, "POSDAYA Flamboyan", anyam.name, 2)
    # With items in the cart the header still keeps one row.
    header = page.locator(".site-header .navbar").bounding_box()
    assert header["height"] < 70, header
    assert_accessible(page)

    page.get_by_role("link", name="Lihat keranjang").click()
    expect(page.locator(".cart-line")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name="Lanjut ke checkout").click()
    page.get_by_label("Nama").fill("Ibu Rina")
    page.get_by_label("Nomor WhatsApp").fill("0812-3456-7890")
    page.get_by_label("Email (tidak wajib)").fill("rina@contoh.id")
    page.get_by_label("Ambil sendiri di POSDAYA").check()
    page.get_by_label("Transfer bank ke rekening POSDAYA Induk").check()
    assert_accessible(page)
    page.get_by_role("button", name="Lanjut ke ringkasan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa pesanan Anda")
    assert_accessible(page)
    page.get_by_role("button", name="Pesan sekarang · Rp\xa060.000").click()
    page.wait_for_url(re.compile(r"/pesanan/[^/]+/\?t="))
    order_url = page.url
    status = page.locator(".order-status")
    assert status.inner_text() == "Menunggu pembayaran"
    assert_accessible(page)
    page.get_by_label("Bukti transfer (foto atau PDF)").set_input_files(
        png(tmp_path / "bukti.png")
    )
    page.get_by_role("button", name="Kirim bukti transfer").click()
    page.get_by_text("Bukti transfer terkirim. Kami periksa secepatnya.").wait_for()
    assert status.inner_text() == "Menunggu verifikasi"
    assert_accessible(page)
    code = page.get_by_role("heading", level=1).inner_text().removeprefix("Pesanan ")

    # 2. The koordinator approves the transfer.
    switch_user(page, "koordinator")
    page.goto(page.base + "/dasbor/pembayaran/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(code)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    assert_accessible(page)
    page.get_by_role("button", name="Setujui: dana Rp\xa060.000 sudah masuk").click()
    page.get_by_text(f"Pembayaran {code} disetujui.").wait_for()
    expect(page.get_by_text("Tidak ada bukti transfer di sini.")).to_be_visible()
    assert_accessible(page)

    # Each pengelola sees its own sub-order only and completes it.
    for username, slug, mine, theirs in (
        ("pengelola", "bahagia", kopi.name, anyam.name),
        ("pengelola-lain", "flamboyan", anyam.name, kopi.name),
    ):
        switch_user(page, username)
        page.goto(page.base + f"/dasbor/{slug}/pesanan/")
        orders = page.locator("main .list-group-item")
        assert orders.count() == 1
        assert_accessible(page)
        orders.first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(code)
        assert_accessible(page)
        assert page.get_by_text(mine).count() >= 1
        assert page.get_by_text(theirs).count() == 0
        for step in ("Diproses", "Siap diambil", "Selesai"):
            page.get_by_role("button", name=f"Ubah ke: {step}").click()
            expect(page.locator("main h1 + span .badge").first).to_have_text(step)
        assert page.get_by_role("button", name=re.compile("^Ubah ke")).count() == 0
        assert_accessible(page)
        other = "flamboyan" if slug == "bahagia" else "bahagia"
        assert page.goto(page.base + f"/dasbor/{other}/pesanan/").status == 404
        assert_accessible(page)

    # The guest's secret link now shows the order complete.
    page.context.clear_cookies()
    page.goto(order_url)
    assert page.locator(".order-status").inner_text() == "Selesai"
    assert page.locator(".card-header .badge").all_inner_texts() == [
        "Selesai",
        "Selesai",
    ]
    assert_accessible(page)


# --------------------------------------------------------------------------- #
# 3. A pengelola lists a product with a photo from the phone.
# --------------------------------------------------------------------------- #


def test_pengelola_lists_a_product_with_a_photo(page, posdaya, pengelola, tmp_path):
    CategoryFactory(name="Vas bunga", slug="vas-bunga")
    sign_in(page, "pengelola", PASSWORD)
    page.goto(page.base + "/dasbor/bahagia/produk/")
    assert_accessible(page)
    page.get_by_role("link", name="Tambah produk").click()
    page.get_by_label("Nama").fill("Vas Botol Kaca Hijau")
    page.get_by_label("Kategori").select_option(label="Vas bunga")
    page.get_by_label("Harga (Rp)").fill("45000")
    page.get_by_label("Berat (gram)").fill("600")
    page.get_by_label("Deskripsi").fill("Vas dari botol kaca bekas, dicat tangan.")
    page.get_by_label("Stok awal").fill("5")
    page.get_by_label("Foto").set_input_files(png(tmp_path / "vas.png", (20, 90, 160)))
    assert page.get_by_label("Langsung tayangkan").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Produk Vas Botol Kaca Hijau disimpan.").wait_for()
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(page.base + "/produk/")
    assert_accessible(page)
    card = page.locator(".product-card", has_text="Vas Botol Kaca Hijau")
    assert card.locator(".text-success").inner_text() == "Rp\xa045.000"
    assert card.get_by_role("img", name="Vas Botol Kaca Hijau").count() == 1
    card.get_by_role("link", name="Vas Botol Kaca Hijau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vas Botol Kaca Hijau")
    expect(page.get_by_text("Tersedia (5)")).to_be_visible()
    assert_accessible(page)


# --------------------------------------------------------------------------- #
# 4. A petugas weighs three categories with the keyboard only.
# --------------------------------------------------------------------------- #


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)",
            selector,
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_petugas_weighs_by_keyboard_and_nasabah_sees_balance(page, posdaya, petugas):
    waste_price("Botol plastik PET", "plastik-pet", 1, buy=3000, sell=4000)
    waste_price("Kardus", "kardus", 2, buy=1500, sell=2000)
    waste_price("Besi", "besi", 3, buy=5000, sell=6000)
    nasabah = UserFactory(username="siti")
    MemberFactory(posdaya=posdaya, name="Ibu Siti Aminah", user=nasabah)
    MemberFactory(posdaya=posdaya, name="Ibu Ratna")

    sign_in(page, "petugas", PASSWORD)
    page.goto(page.base + "/dasbor/bahagia/bank-sampah/timbang/")
    assert_accessible(page)
    # From here on: keyboard only.
    search = page.get_by_role("searchbox", name="Cari nasabah")
    assert search.evaluate("(el) => el === document.activeElement")  # autofocus
    page.keyboard.type("Siti")
    page.keyboard.press("Enter")
    page.get_by_text("Ibu Siti Aminah", exact=True).wait_for()
    assert_accessible(page)
    # The first category select has the focus; Enter in a weight goes on.
    for presses, weight in ((1, "2,5"), (2, "4"), (3, "1,25")):
        tab_to(page, "select[data-category]")
        for _ in range(presses):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        page.keyboard.type(weight)
        page.keyboard.press("Enter")
    # 2,5 × 3.000 + 4 × 1.500 + 1,25 × 5.000 = 7.500 + 6.000 + 6.250
    assert page.locator("[data-total]").inner_text() == "Rp\xa019.750"
    tab_to(page, "button[value=preview]")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Periksa sebelum konfirmasi").wait_for()
    assert_accessible(page)
    tab_to(page, "button[data-confirm]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bank-sampah/setoran/*/")

    receipt = page.locator("article.print-sheet")
    assert "Ibu Siti Aminah" in receipt.inner_text()
    lines = [
        (
            row.locator("td").first.inner_text(),
            rupiah(row.locator("td").last.inner_text()),
        )
        for row in receipt.locator("tbody tr").all()
    ]
    assert lines == [("Botol plastik PET", 7500), ("Kardus", 6000), ("Besi", 6250)]
    assert rupiah(receipt.locator("tfoot tr").first.inner_text()) == 19750
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    assert_accessible(page)

    switch_user(page, "siti")
    page.goto(page.base + "/tabungan/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tabungan sampah"
    assert page.locator("main .fs-3").inner_text() == "Rp\xa019.750"
    assert_accessible(page)


# --------------------------------------------------------------------------- #
# 5. The koordinator's income report: the XLSX holds the screen's numbers.
# --------------------------------------------------------------------------- #

WEEK_A = dt.date(2026, 10, 5)  # a Monday
WEEK_B = WEEK_A + dt.timedelta(weeks=1)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


def paid_cash(quantities, when):
    """A cash order whose sub-orders were marked paid at `when`."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        order = make_order(quantities, payment="bayar_di_tempat")
        for suborder in order.suborders.all():
            mark_suborder_paid(suborder=suborder, by=None)


@pytest.fixture
def fortnight(posdaya, other_posdaya, pengelola, koordinator):
    tas = ProductFactory(posdaya=posdaya, price=25000, stock=50, name="Tas Kopi")
    vas = ProductFactory(posdaya=other_posdaya, price=15000, stock=50, name="Vas")
    paid_cash({tas: 2, vas: 1}, at(WEEK_A + dt.timedelta(days=2), 10))
    paid_cash({tas: 1}, at(WEEK_B + dt.timedelta(days=1), 9))
    paid_cash({vas: 3}, at(WEEK_B + dt.timedelta(days=4), 16))
    pet = waste_price("Botol plastik PET", "plastik-pet", 1, buy=3000, sell=4000)
    for place, weight in ((posdaya, "30"), (other_posdaya, "12.5")):
        record_deposit(
            member=MemberFactory(posdaya=place),
            lines=[WeighedLine(category=pet, weight=Decimal(weight))],
            by=None,
            idempotency_key=uuid.uuid4(),
            weighed_on=WEEK_A - dt.timedelta(days=3),
        )
    record_sale(
        posdaya=posdaya,
        buyer_name="Pak Udin",
        lines=[SaleLine(category=pet, weight=Decimal("20"))],
        by=pengelola,
        sold_on=WEEK_A + dt.timedelta(days=5),
    )  # 80.000
    record_sale(
        posdaya=other_posdaya,
        buyer_name="Pak Udin",
        lines=[SaleLine(category=pet, weight=Decimal("7.25"), unit_price=4200)],
        by=pengelola,
        sold_on=WEEK_B + dt.timedelta(days=6),
    )  # 30.450


def screen_income(page) -> dict[str, list[int]]:
    """Read the income table as {row name: [week product, waste, total ..., totals]}."""
    table = {}
    for row in page.locator("#income-table tr[data-posdaya]").all():
        name = row.locator("th").inner_text()
        cells = []
        for week in row.locator("td[data-week]").all():
            lines = week.inner_text().splitlines()
            total = rupiah(lines[0])
            if len(lines) > 1:  # "P Rp 75.000 · S Rp 40.000"
                product, waste = (rupiah(part) for part in lines[1].split("·"))
            else:  # the footer shows the week total only
                product = waste = None
            cells += [product, waste, total]
        cells += [
            rupiah(row.locator(f"td[data-col={col}]").inner_text())
            for col in ("product", "waste", "total")
        ]
        table[name] = cells
    return table


def test_koordinator_exports_income_that_matches_the_screen(page, fortnight, tmp_path):
    sign_in(page, "koordinator", PASSWORD)
    page.goto(page.base + "/dasbor/induk/")
    page.get_by_label("Dari tanggal").fill(WEEK_A.isoformat())
    page.get_by_label("Sampai tanggal").fill(
        (WEEK_B + dt.timedelta(days=6)).isoformat()
    )
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**/dasbor/induk/?*dari=2026-10-05*")
    assert_accessible(page)
    screen = screen_income(page)
    assert screen["POSDAYA Bahagia"] == [
        50000, 80000, 130000, 25000, 0, 25000, 75000, 80000, 155000,
    ]  # fmt: skip
    assert screen["POSDAYA Flamboyan"][-3:] == [60000, 30450, 90450]
    assert screen["Jumlah"][-1] == 245450

    with page.expect_download() as download_info:
        page.locator('a[data-export="income-xlsx"]').click()
    download = download_info.value
    assert download.suggested_filename == "laporan-pendapatan-20261005-20261018.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    header, *rows = workbook.active.iter_rows(values_only=True)
    assert header[:4] == (
        "POSDAYA",
        "05-10-2026 produk",
        "05-10-2026 sampah",
        "05-10-2026 total",
    )
    in_file = {row[0]: list(row[1:]) for row in rows}
    assert in_file.keys() == screen.keys()
    for name, cells in screen.items():
        assert [
            cell if shown is not None else shown
            for cell, shown in zip(in_file[name], cells, strict=True)
        ] == cells, name
