"""Closed weeks of the induk report are added up once; the open week is live."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.services import cancel_suborder
from pasar.site import reports

from ..banksampah.conftest import pet  # noqa: F401 (fixture)
from ..conftest import client_for
from .test_induk_reports import WEEK_A, WEEK_B, at, fortnight, paid_cod  # noqa: F401

pytestmark = pytest.mark.django_db

END = WEEK_B + dt.timedelta(days=6)
AFTER = END + dt.timedelta(days=3)  # both weeks closed
DURING_B = WEEK_B + dt.timedelta(days=3)  # week B still open


def figures(sales):
    return (
        [(r["quantity"], r["amount"]) for r in sales.category_rows()],
        [(r["product_name"], r["quantity"], r["amount"]) for r in sales.top_products()],
    )


EXPECTED = ([(4, 100000), (1, 15000)], [("Tas Kopi", 4, 100000), ("Vas", 1, 15000)])


def lines_sql(captured) -> list[str]:
    return [q["sql"] for q in captured if "orders_orderline" in q["sql"]]


def test_closed_weeks_are_added_up_once(fortnight):  # noqa: F811
    with CaptureQueriesContext(connection) as cold:
        first = reports.line_sales(start=WEEK_A, end=END, today=AFTER)
    # Fingerprints, then categories and products of the two weeks.
    assert len(cold) == 3
    assert figures(first) == EXPECTED
    with CaptureQueriesContext(connection) as warm:
        again = reports.line_sales(start=WEEK_A, end=END, today=AFTER)
    # The fingerprints only: no order line is read again.
    assert len(warm) == 1
    assert lines_sql(warm) == []
    assert figures(again) == EXPECTED
    # Another range of kept weeks: added up from each week's entry.
    with CaptureQueriesContext(connection) as other:
        week_a = reports.line_sales(
            start=WEEK_A, end=WEEK_A + dt.timedelta(days=6), today=AFTER
        )
    assert len(other) == 1
    assert figures(week_a) == (
        [(3, 75000), (1, 15000)],
        [("Tas Kopi", 3, 75000), ("Vas", 1, 15000)],
    )


def test_the_open_week_is_added_up_live(fortnight):  # noqa: F811
    reports.line_sales(start=WEEK_A, end=END, today=DURING_B)
    with CaptureQueriesContext(connection) as warm:
        sales = reports.line_sales(start=WEEK_A, end=END, today=DURING_B)
    assert len(warm) == 3
    # Week A from the cache; only week B's lines are read, one bucket each.
    assert [sql.count(" WHEN ") for sql in lines_sql(warm)] == [1, 1]
    assert figures(sales) == EXPECTED
    tas, _vas = fortnight
    paid_cod({tas: 3}, at(DURING_B, 9))
    assert figures(reports.line_sales(start=WEEK_A, end=END, today=DURING_B)) == (
        [(7, 175000), (1, 15000)],
        [("Tas Kopi", 7, 175000), ("Vas", 1, 15000)],
    )


def test_a_change_to_a_closed_week_is_added_up_again(fortnight, pengelola):  # noqa: F811
    assert figures(reports.line_sales(start=WEEK_A, end=END, today=AFTER)) == EXPECTED
    tas, vas = fortnight
    # A paid part of week A cancelled later (its fingerprint changes)...
    first = tas.order_lines.order_by("pk").first().suborder
    cancel_suborder(suborder=first, by=pengelola, reason="Rusak")
    assert figures(reports.line_sales(start=WEEK_A, end=END, today=AFTER)) == (
        [(2, 50000), (1, 15000)],
        [("Tas Kopi", 2, 50000), ("Vas", 1, 15000)],
    )
    # ...and a payment recorded with a date in week B.
    paid_cod({vas: 2}, at(WEEK_B + dt.timedelta(days=4), 12))
    assert figures(reports.line_sales(start=WEEK_A, end=END, today=AFTER)) == (
        [(2, 50000), (3, 45000)],
        [("Vas", 3, 45000), ("Tas Kopi", 2, 50000)],
    )


def test_part_weeks_at_the_ends_are_live_and_weeks_kept_per_filter(fortnight, posdaya):  # noqa: F811
    # Wednesday of week A to Tuesday of week B: no whole week to keep.
    start, end = WEEK_A + dt.timedelta(days=2), WEEK_B + dt.timedelta(days=1)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            sales = reports.line_sales(start=start, end=end, today=AFTER)
        assert len(lines_sql(captured)) == 2
        assert figures(sales) == (
            [(2, 50000), (1, 15000)],
            [("Tas Kopi", 2, 50000), ("Vas", 1, 15000)],
        )
    reports.line_sales(start=WEEK_A, end=END, today=AFTER)
    one = reports.line_sales(start=WEEK_A, end=END, posdaya=posdaya, today=AFTER)
    assert figures(one) == ([(4, 100000)], [("Tas Kopi", 4, 100000)])


def test_the_induk_page_reads_closed_weeks_from_the_rollup(fortnight, koordinator):  # noqa: F811
    client = client_for(koordinator)
    query = {"dari": WEEK_A.isoformat(), "sampai": END.isoformat()}
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/dasbor/induk/", query)
    with CaptureQueriesContext(connection) as warm:
        second = client.get("/dasbor/induk/", query)
    assert first.status_code == second.status_code == 200
    assert len(cold) == len(warm) + 2
    assert len(lines_sql(cold)) == 2
    assert lines_sql(warm) == []
    # The fingerprints come from the income query the page runs anyway.
    assert not [q for q in warm if " FILTER (WHERE " in q["sql"]]
    assert second.context["categories"] == first.context["categories"]
    assert [r["product_name"] for r in second.context["top_products"]] == [
        "Tas Kopi",
        "Vas",
    ]


def test_the_income_report_holds_the_fingerprints(fortnight):  # noqa: F811
    income = reports.income_per_week(start=WEEK_A, end=END)
    # Week A: three paid sub-orders (one order was at two POSDAYA); B: one.
    assert income.fingerprints() == {WEEK_A: (3, 90000), WEEK_B: (1, 25000)}
    reports.line_sales(start=WEEK_A, end=END, today=AFTER, income=income)
    with CaptureQueriesContext(connection) as warm:
        sales = reports.line_sales(start=WEEK_A, end=END, today=AFTER, income=income)
    assert len(warm) == 0
    assert figures(sales) == EXPECTED
