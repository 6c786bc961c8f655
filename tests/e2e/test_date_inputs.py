"""On the phone, every date input shows its value (browsers drop 01-12-2026).

A `<input type=date>` keeps only an ISO value: the induk report's range, the
payout date (required) and the waste price's start date must be filled when
the page opens, or the staff member has to retype them.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ..factories import PASSWORD
from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_date_inputs_show_their_values(page, koordinator, posdaya):
    sign_in(page, "koordinator", PASSWORD)
    today = timezone.localdate().isoformat()

    page.goto(page.base + "/dasbor/induk/?dari=2026-10-05&sampai=18-10-2026")
    expect(page.get_by_label("Dari tanggal")).to_have_value("2026-10-05")
    expect(page.get_by_label("Sampai tanggal")).to_have_value("2026-10-18")
    assert_accessible(page)

    page.goto(page.base + "/dasbor/induk/setelmen/")
    expect(page.get_by_label("Tanggal bayar")).to_have_value(today)
    assert_accessible(page)

    page.goto(page.base + "/dasbor/induk/harga-sampah/")
    expect(page.get_by_label("Berlaku mulai")).to_have_value(today)
    assert_accessible(page)

    # A value typed in the browser's own picker goes back as ISO and is kept.
    page.goto(page.base + "/dasbor/induk/")
    page.get_by_label("Dari tanggal").fill(dt.date(2026, 11, 2).isoformat())
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url("**/dasbor/induk/?*dari=2026-11-02*")
    expect(page.get_by_label("Dari tanggal")).to_have_value("2026-11-02")
