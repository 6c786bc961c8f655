"""Journeys through the site shell: language, sign-in, dashboard."""

import pytest

from ..factories import PASSWORD
from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_switches_language_and_back(page, posdaya):
    page.goto(page.base + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert_accessible(page)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Crafts from household waste")
    )
    page.goto(page.base + "/posdaya/bahagia/")
    assert page.get_by_role("heading", name="Weighing days").is_visible()
    page.get_by_role("button", name="Open menu").click()
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Hari penimbangan").is_visible()


def test_pengelola_signs_in_and_reaches_own_dashboard(page, posdaya, pengelola):
    sign_in(page, "pengelola", PASSWORD)
    page.goto(page.base + "/dasbor/")
    page.get_by_role("link", name="POSDAYA Bahagia").first.click()
    page.wait_for_url("**/dasbor/bahagia/")
    assert page.get_by_role("heading", level=1).inner_text() == "POSDAYA Bahagia"
    assert_accessible(page)
