"""Journeys through the site shell: language, sign-in, dashboard."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD
from .conftest import assert_accessible, open_menu, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_language_and_back(page, posdaya):
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
    page.goto(page.base + "/posdaya/bahagia/")
    expect(page.get_by_role("heading", name="Weighing days")).to_be_visible()
    open_menu(page, "Open menu")
    with page.expect_navigation():
        page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Hari penimbangan")).to_be_visible()


def test_pengelola_signs_in_and_reaches_own_dashboard(page, posdaya, pengelola):
    sign_in(page, "pengelola", PASSWORD)
    page.goto(page.base + "/dasbor/")
    page.get_by_role("link", name="POSDAYA Bahagia").first.click()
    page.wait_for_url("**/dasbor/bahagia/")
    assert page.get_by_role("heading", level=1).inner_text() == "POSDAYA Bahagia"
    assert_accessible(page)
