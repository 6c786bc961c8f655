"""Journeys through the site shell: language, sign-in, dashboard."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, ProductFactory
from .conftest import assert_accessible, open_menu, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_language_and_back(page, posdaya):
    ProductFactory(posdaya=posdaya, name="Tas Kopi", slug="tas-kopi", price=1250000)
    page.goto(page.base + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert_accessible(page)
    open_menu(page)
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^Crafts from household waste")
    )
    assert_accessible(page)
    # English separators throughout.
    page.goto(page.base + "/produk/")
    price = page.locator(".product-card", has_text="Tas Kopi").locator(".text-success")
    assert price.inner_text() == "Rp\xa01,250,000"
    assert_accessible(page)
    page.goto(page.base + "/dampak/")
    expect(page.locator('[data-impact="collected"]')).to_have_text("0.000\xa0kg")
    assert_accessible(page)
    page.goto(page.base + "/posdaya/bahagia/")
    expect(page.get_by_role("heading", name="Weighing days")).to_be_visible()
    assert_accessible(page)
    open_menu(page, "Open menu")
    with page.expect_navigation():
        page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Hari penimbangan")).to_be_visible()
    assert_accessible(page)


def test_pengelola_signs_in_and_reaches_own_dashboard(page, posdaya, pengelola):
    sign_in(page, "pengelola", PASSWORD)
    page.goto(page.base + "/dasbor/")
    page.get_by_role("link", name="POSDAYA Bahagia").first.click()
    page.wait_for_url("**/dasbor/bahagia/")
    assert page.get_by_role("heading", level=1).inner_text() == "POSDAYA Bahagia"
    assert_accessible(page)


def test_koordinator_sets_up_categories_on_a_fresh_install(page, koordinator):
    sign_in(page, "koordinator", PASSWORD)
    page.goto(page.base + "/dasbor/induk/kategori/")
    expect(
        page.get_by_role("cell", name="Belum ada kategori.", exact=False)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Tambahkan 13 kategori bawaan").click()
    expect(page.get_by_text("13 kategori bawaan ditambahkan.")).to_be_visible()
    expect(page.locator("main tbody tr")).to_have_count(13)

    page.get_by_role("link", name="Kategori baru").click()
    page.get_by_label("Nama").fill("Tikar Plastik")
    page.get_by_label("Urutan").fill("20")
    page.get_by_label("Ikon").fill("grid-3x2")
    assert_accessible(page)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kategori Tikar Plastik disimpan.")).to_be_visible()
    last = page.locator("main tbody tr").last
    expect(last).to_contain_text("Tikar Plastik")
    expect(last.get_by_role("link", name="/kategori/tikar-plastik/")).to_be_visible()
    assert_accessible(page)

    page.goto(page.base + "/dasbor/induk/harga-sampah/")
    page.get_by_role("button", name="Tambahkan 11 jenis sampah bawaan").click()
    expect(
        page.get_by_text("11 jenis sampah bawaan ditambahkan beserta harganya.")
    ).to_be_visible()
    row = page.locator("main table").first.locator("tr", has_text="Minyak jelantah")
    expect(row).to_contain_text("Rp\xa04.000")
    expect(row).to_contain_text("Rp\xa06.000")
    assert_accessible(page)

    page.goto(page.base + "/kategori/tikar-plastik/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tikar Plastik")
    assert_accessible(page)
