"""Money and weight figures: the active language's separators, never broken.

Exact strings, with the no-break space (U+00A0) spelled out as `\\xa0`, in
Indonesian (the default) and English.
"""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from pasar.money import format_kg, format_rupiah


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("id", 25000, "Rp\xa025.000"),
        ("id", 0, "Rp\xa00"),
        ("id", 999, "Rp\xa0999"),
        ("id", -1500, "-Rp\xa01.500"),
        ("id", 73062440, "Rp\xa073.062.440"),
        ("en", 25000, "Rp\xa025,000"),
        ("en", -1500, "-Rp\xa01,500"),
        ("en", 73062440, "Rp\xa073,062,440"),
    ],
)
def test_format_rupiah(language, amount, expected):
    with translation.override(language):
        assert format_rupiah(amount) == expected


def test_format_rupiah_of_nothing_is_a_dash():
    assert format_rupiah(None) == "-"


@pytest.mark.parametrize(
    ("language", "weight", "expected"),
    [
        ("id", Decimal("29071.7"), "29.071,700\xa0kg"),
        ("id", Decimal("1.639"), "1,639\xa0kg"),
        ("id", Decimal("0"), "0,000\xa0kg"),
        ("id", Decimal("-2.5"), "-2,500\xa0kg"),
        ("id", Decimal("1234567.891"), "1.234.567,891\xa0kg"),
        ("en", Decimal("29071.7"), "29,071.700\xa0kg"),
        ("en", Decimal("1.639"), "1.639\xa0kg"),
        ("en", Decimal("1234567.891"), "1,234,567.891\xa0kg"),
    ],
)
def test_format_kg(language, weight, expected):
    with translation.override(language):
        assert format_kg(weight) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "Rp\xa025.000|-Rp\xa05.000|Rp\xa00|29.071,700\xa0kg|0,000\xa0kg"),
        ("en", "Rp\xa025,000|-Rp\xa05,000|Rp\xa00|29,071.700\xa0kg|0.000\xa0kg"),
    ],
)
def test_template_filters_follow_the_active_language(language, expected):
    source = (
        "{{ price|rupiah }}|{{ refund|rupiah }}|{{ missing|rupiah }}|"
        "{{ weight|kg }}|{{ none|kg }}"
    )
    with translation.override(language):
        html = render(
            source, price=25000, refund=-5000, missing="", weight="29071.7", none=None
        )
    assert html == expected


def test_filters_inside_an_attribute_stay_plain_text():
    html = render('<meta content="{{ price|rupiah }} · {{ w|kg }}">', price=20000, w=2)
    assert html == '<meta content="Rp\xa020.000 · 2,000\xa0kg">'


@pytest.mark.django_db
def test_english_pages_use_english_separators(client, posdaya):
    from tests.factories import ProductFactory

    ProductFactory(posdaya=posdaya, name="Tas Kopi", slug="tas-kopi", price=1250000)
    indonesian = client.get("/produk/tas-kopi/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/produk/tas-kopi/").content.decode()
    assert ">Rp\xa01.250.000<" in indonesian
    assert ">Rp\xa01,250,000<" in english
    assert "Rp 1.250.000" not in english


@pytest.mark.parametrize(
    ("language", "total"), [("id", "95.798.580"), ("en", "95,798,580")]
)
def test_chart_totals_follow_the_active_language(language, total):
    from pasar.charts import Series, horizontal_bars

    with translation.override(language):
        svg = horizontal_bars(
            ["Mawar"], [Series("a", [95798000.4]), Series("b", [580])], title="t"
        )
    assert f">{total}<" in svg
