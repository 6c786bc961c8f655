"""/harga-sampah/: today's buying prices and every POSDAYA's weighing schedule."""

import datetime as dt

import pytest
from django.utils import timezone

from banksampah.services import set_waste_price
from posdaya.models import Posdaya
from tests.conftest import client_for, status_matrix
from tests.factories import PosdayaFactory, WasteCategoryFactory

pytestmark = pytest.mark.django_db

URL = "/harga-sampah/"


def board_rows(response):
    return [
        (category.name, price.buy_price, price.valid_from)
        for category, price in response.context["prices"]
    ]


def test_board_lists_prices_in_force_today_and_each_schedule(
    client, posdaya, other_posdaya, pet, kardus, koordinator
):
    today = timezone.localdate()
    set_waste_price(
        category=pet, valid_from=today, buy_price=3500, sell_price=4500, by=None
    )
    # Tomorrow's price is not today's.
    set_waste_price(
        category=kardus,
        valid_from=today + dt.timedelta(days=1),
        buy_price=9999,
        sell_price=9999,
        by=None,
    )
    WasteCategoryFactory(name="Tanpa harga", slug="tanpa-harga")
    WasteCategoryFactory(name="Nonaktif", slug="nonaktif", is_active=False)
    Posdaya.objects.filter(pk=posdaya.pk).update(
        weighing_days=[6, 5], weighing_hours="08.00–11.00", weighing_place="Balai RW 07"
    )
    Posdaya.objects.filter(pk=other_posdaya.pk).update(weighing_days=[0])
    PosdayaFactory(name="POSDAYA Tutup", slug="tutup", is_active=False)

    response = client.get(URL)

    assert response.status_code == 200
    assert board_rows(response) == [
        ("Botol plastik PET", 3500, today),
        ("Kardus", 1500, dt.date(2024, 1, 1)),
    ]
    html = response.content.decode()
    assert "Rp\xa03.500 per kg" in html
    assert "Rp\xa01.500 per kg" in html
    assert "9.999" not in html
    assert "Tanpa harga" not in html and "Nonaktif" not in html
    assert [p.name for p in response.context["posdaya_list"]] == [
        "POSDAYA Bahagia",
        "POSDAYA Flamboyan",
    ]
    assert "Sabtu, Minggu · 08.00–11.00" in html
    assert "Balai RW 07" in html
    # Without a place of its own, a POSDAYA weighs at its address.
    assert "Senin" in html and "Jl. Uji No. 1, Kel. Bahagia" in html
    assert "POSDAYA Tutup" not in html


def test_price_change_shows_at_once(client, pet, koordinator):
    assert "Rp\xa03.000 per kg" in client.get(URL).content.decode()
    set_waste_price(
        category=pet,
        valid_from=timezone.localdate(),
        buy_price=3200,
        sell_price=4000,
        by=koordinator,
    )
    html = client.get(URL).content.decode()
    assert "Rp\xa03.200 per kg" in html
    assert "Rp\xa03.000 per kg" not in html


def test_koordinator_price_form_change_shows_at_once(client, pet, koordinator):
    client.get(URL)
    response = client_for(koordinator).post(
        "/dasbor/induk/harga-sampah/",
        {
            "category": pet.pk,
            "valid_from": timezone.localdate().isoformat(),
            "buy_price": "2800",
            "sell_price": "3900",
        },
    )
    assert response.status_code == 302
    assert "Rp\xa02.800 per kg" in client.get(URL).content.decode()


def test_board_is_three_queries_for_any_number_of_rows(
    client, posdaya, other_posdaya, pet, kardus, django_assert_num_queries
):
    PosdayaFactory.create_batch(5)
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.status_code == 200


def test_board_is_public_for_everyone(actors):
    assert status_matrix(actors, URL) == {
        "anonymous": 200,
        "shopper": 200,
        "other_staff": 200,
        "own_staff": 200,
        "koordinator": 200,
    }


def test_home_and_footer_link_the_board(client, posdaya):
    html = client.get("/").content.decode()
    assert html.count(f'href="{URL}"') == 2


def test_pengelola_sets_weighing_hours_and_place(posdaya, pengelola):
    from tests.posdaya.test_staff import profile_data

    response = client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/profil/",
        profile_data(weighing_hours="07.30–10.00", weighing_place="Pos RW 07"),
    )
    assert response.status_code == 302
    posdaya.refresh_from_db()
    assert (posdaya.weighing_hours, posdaya.weighing_place) == (
        "07.30–10.00",
        "Pos RW 07",
    )
    html = client_for().get(URL).content.decode()
    assert "07.30–10.00" in html and "Pos RW 07" in html


def test_too_long_place_is_refused_and_nothing_changes(posdaya, pengelola):
    from tests.posdaya.test_staff import profile_data

    response = client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/profil/", profile_data(weighing_place="x" * 256)
    )
    assert response.status_code == 200
    assert "Pastikan nilai ini mengandung paling banyak 255 karakter" in (
        response.content.decode()
    )
    posdaya.refresh_from_db()
    assert posdaya.weighing_place == ""
    assert posdaya.name == "POSDAYA Bahagia"


def test_board_is_in_the_sitemap(client):
    pages = client.get("/sitemap-halaman.xml").content.decode()
    assert f"<loc>http://testserver{URL}</loc>" in pages
