"""Craft categories kept by the koordinator under /dasbor/induk/kategori/."""

import re

import pytest
from django.db import connection
from django.test import Client

from catalog.icons import CATEGORY_ICONS
from catalog.models import Category, Product
from catalog.services import DEFAULT_CATEGORIES, add_default_categories

from ..conftest import KOORDINATOR_ONLY, client_for, race, status_matrix
from ..factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

POSTED = dict(KOORDINATOR_ONLY, koordinator=302)
DENIED = {k: v for k, v in KOORDINATOR_ONLY.items() if k != "koordinator"}


def denied_as(response):
    """The answer to a refused visitor: "login" (sent to sign in) or the status."""
    if response.status_code == 302 and "/akun/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.fixture
def tas():
    return CategoryFactory(name="Tas", slug="tas", order=1, icon="bag")


def rows():
    return list(
        Category.objects.order_by("order", "name").values_list(
            "name", "slug", "order", "icon"
        )
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- who may ------------------------------------------------------------------


def test_pages_matrix(actors, tas):
    for url in ("/dasbor/induk/kategori/", "/dasbor/induk/kategori/baru/"):
        assert status_matrix(actors, url) == KOORDINATOR_ONLY, url
    assert status_matrix(actors, f"/dasbor/induk/kategori/{tas.pk}/") == (
        KOORDINATOR_ONLY
    )


def test_a_missing_category_is_login_first_then_404(actors):
    url = "/dasbor/induk/kategori/999999/"
    assert status_matrix(actors, url) == dict(KOORDINATOR_ONLY, koordinator=404)


def test_create_matrix_only_the_koordinator_changes_anything(actors):
    data = {"name": "Tikar", "slug": "", "order": 5, "icon": "grid"}
    assert status_matrix(actors, "/dasbor/induk/kategori/baru/", "post", data) == (
        POSTED
    )
    assert rows() == [("Tikar", "tikar", 5, "grid")]


def test_update_matrix(actors, tas):
    data = {"name": "Tas Belanja", "slug": "tas", "order": 2, "icon": "bag-heart"}
    url = f"/dasbor/induk/kategori/{tas.pk}/"
    assert status_matrix(actors, url, "post", data) == POSTED
    assert rows() == [("Tas Belanja", "tas", 2, "bag-heart")]


def test_delete_matrix(actors, tas):
    url = f"/dasbor/induk/kategori/{tas.pk}/hapus/"
    for name, answer in DENIED.items():
        assert denied_as(getattr(actors, name).post(url)) == answer, name
        assert Category.objects.filter(pk=tas.pk).exists(), name
    assert actors.koordinator.get(url).status_code == 405
    response = actors.koordinator.post(url)
    assert response["Location"] == "/dasbor/induk/kategori/"
    assert rows() == []


def test_defaults_matrix(actors):
    url = "/dasbor/induk/kategori/bawaan/"
    for name, answer in DENIED.items():
        assert denied_as(getattr(actors, name).post(url)) == answer, name
        assert Category.objects.count() == 0, name
    assert actors.koordinator.post(url)["Location"] == "/dasbor/induk/kategori/"
    assert Category.objects.count() == 13


# --- what it does -------------------------------------------------------------


def test_list_shows_product_counts_in_a_fixed_number_of_queries(
    koordinator, tas, posdaya, django_assert_num_queries
):
    dompet = CategoryFactory(name="Dompet", slug="dompet", order=2)
    ProductFactory.create_batch(3, posdaya=posdaya, category=tas)
    client = client_for(koordinator)
    client.get("/dasbor/induk/kategori/")  # warm the session and user caches
    # session, user, koordinator check, POSDAYA switcher, categories, and the
    # taken slugs and names for the missing defaults
    with django_assert_num_queries(7):
        response = client.get("/dasbor/induk/kategori/")
    listed = [(c.name, c.product_count) for c in response.context["categories"]]
    assert listed == [("Tas", 3), ("Dompet", 0)]
    page = response.content.decode()
    assert "Tambahkan 11 kategori bawaan" in page
    assert "Kategori bawaan yang belum ada: Tempat Tisu, Tempat Pensil," in page
    # Only the unused category offers a delete button.
    assert f"/dasbor/induk/kategori/{dompet.pk}/hapus/" in page
    assert f"/dasbor/induk/kategori/{tas.pk}/hapus/" not in page


def test_slug_comes_from_the_name_when_left_empty(koordinator):
    response = client_for(koordinator).post(
        "/dasbor/induk/kategori/baru/",
        {"name": "  Tas   Anyaman ", "slug": "", "order": 0, "icon": "bi-basket"},
        follow=True,
    )
    assert messages_of(response) == ["Kategori Tas Anyaman disimpan."]
    assert rows() == [("Tas Anyaman", "tas-anyaman", 0, "basket")]
    assert Client().get("/kategori/tas-anyaman/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "tas"}, "name", "Kategori dengan nama ini sudah ada."),
        ({"name": "Tas Kain", "slug": "tas"}, "slug", "Slug ini sudah dipakai"),
        ({"name": "Lampu", "icon": "lampu-ajaib"}, "icon", "Ikon lampu-ajaib tidak"),
        ({"name": "Lampu", "slug": "lampu hias"}, "slug", "Masukkan “slug” valid"),
        ({"name": "!!!"}, "slug", "Nama ini tidak bisa dijadikan slug"),
        ({"name": ""}, "name", "Bidang ini tidak boleh kosong."),
        ({"name": "Lampu", "order": "-1"}, "order", "Pastikan nilai ini lebih"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(
    koordinator, tas, data, field, message
):
    before = rows()
    posted = {"slug": "", "order": 3, "icon": ""} | data
    response = client_for(koordinator).post("/dasbor/induk/kategori/baru/", posted)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message), errors[field][0]
    assert rows() == before


def test_a_category_in_use_is_not_deleted(koordinator, tas, posdaya):
    ProductFactory.create_batch(2, posdaya=posdaya, category=tas)
    response = client_for(koordinator).post(
        f"/dasbor/induk/kategori/{tas.pk}/hapus/", follow=True
    )
    assert messages_of(response) == [
        "Kategori Tas masih dipakai 2 produk. Pindahkan produknya ke kategori lain "
        "dulu."
    ]
    assert rows() == [("Tas", "tas", 1, "bag")]
    assert Product.objects.filter(category=tas).count() == 2


def test_defaults_fill_only_what_is_missing(koordinator):
    CategoryFactory(name="Tas", slug="tas-kresek")  # same name, other slug
    CategoryFactory(name="Dompet Lama", slug="dompet")  # same slug, other name
    client = client_for(koordinator)
    response = client.post("/dasbor/induk/kategori/bawaan/", follow=True)
    assert messages_of(response) == ["11 kategori bawaan ditambahkan."]
    assert Category.objects.count() == 13
    assert Category.objects.get(slug="tempat-tisu").icon == "box2"
    response = client.post("/dasbor/induk/kategori/bawaan/", follow=True)
    assert messages_of(response) == ["Semua kategori bawaan sudah ada."]
    assert Category.objects.count() == 13
    assert "/dasbor/induk/kategori/bawaan/" not in response.content.decode()


def test_default_and_offered_icons_exist_in_the_served_icon_subset():
    from catalog.forms import bootstrap_icon_names

    icons = {icon for _slug, _name, icon in DEFAULT_CATEGORIES}
    assert icons - bootstrap_icon_names() == set()
    assert set(CATEGORY_ICONS) - bootstrap_icon_names() == set()
    # Bootstrap Icons has "airplane", but the site does not serve it.
    assert "airplane" not in bootstrap_icon_names()


def test_the_form_offers_the_icons_and_refuses_one_that_is_not_served(koordinator):
    client = client_for(koordinator)
    page = client.get("/dasbor/induk/kategori/baru/").content.decode()
    assert 'list="category-icons"' in page
    offered = re.findall(r'<option value="([a-z0-9-]+)"></option>', page)
    assert offered == list(CATEGORY_ICONS)
    before = rows()
    response = client.post(
        "/dasbor/induk/kategori/baru/",
        {"name": "Pesawat", "slug": "", "order": 1, "icon": "airplane"},
    )
    assert response.context["form"].errors["icon"] == [
        "Ikon airplane tidak tersedia. Pilih salah satu ikon dari daftar."
    ]
    assert rows() == before


def test_a_renamed_category_is_never_served_stale(
    settings, koordinator, tas, django_capture_on_commit_callbacks
):
    settings.PASAR_PAGE_CACHE = True
    assert "Tas" in Client().get("/").content.decode()
    assert Client().get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(koordinator).post(
            f"/dasbor/induk/kategori/{tas.pk}/",
            {"name": "Tas Daur Ulang", "slug": "tas", "order": 1, "icon": "bag"},
        )
    fresh = Client().get("/")
    assert "X-Page-Cache" not in fresh
    assert "Tas Daur Ulang" in fresh.content.decode()


def test_english_messages(koordinator, tas, posdaya):
    ProductFactory(posdaya=posdaya, category=tas)
    client = client_for(koordinator)
    client.cookies["django_language"] = "en"
    response = client.post(f"/dasbor/induk/kategori/{tas.pk}/hapus/", follow=True)
    assert messages_of(response) == [
        "Category Tas is still used by 1 product(s). Move those products to "
        "another category first."
    ]
    response = client.post("/dasbor/induk/kategori/baru/", {"name": "tas"})
    assert response.context["form"].errors["name"] == [
        "A category with this name already exists."
    ]


def test_service_counts_what_it_created():
    assert add_default_categories() == len(DEFAULT_CATEGORIES) == 13
    assert add_default_categories() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL sessions"
)
@pytest.mark.django_db(transaction=True)
def test_racing_clicks_create_each_default_category_once():
    created, errors = race(add_default_categories)
    assert errors == []
    assert sum(created) == 13
    assert Category.objects.count() == 13
