"""Review pages through HTTP: the buyer's form, the product page, sorting,
the rate limit, and the permission matrix of the reply and hide actions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from pasar.models import AuditLog
from reviews.models import Review
from reviews.services import post_review

from ..conftest import KOORDINATOR_ONLY, assert_denied, client_for, status_matrix
from ..factories import ProductFactory
from ..orders.conftest import make_order
from .conftest import complete, line_of

pytestmark = pytest.mark.django_db


def png(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def review_url(order, product):
    return f"/pesanan/{order.code}/ulasan/{line_of(order, product).pk}/"


def test_signed_in_buyer_reviews_a_completed_line_with_a_photo(
    done_order, product, other_product, shopper
):
    client = client_for(shopper)
    page = client.get(f"/pesanan/{done_order.code}/ulasan/")
    assert page.status_code == 200
    html = page.content.decode()
    # Only the Bahagia part is selesai: one form, for Tas Kopi.
    assert [row["line"].product for row in page.context["rows"]] == [product]
    assert f'action="{review_url(done_order, product)}"' in html
    response = client.post(
        review_url(done_order, product),
        {"rating": "4", "text": "Jahitannya rapi", "photo": png()},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/pesanan/{done_order.code}/ulasan/?t={done_order.secret}"
    )
    review = Review.objects.get()
    assert (review.rating, review.text, review.author) == (
        4,
        "Jahitannya rapi",
        shopper,
    )
    assert review.photo.name.startswith("reviews/")
    assert review.photo.name.endswith(".webp")
    product_page = Client().get(product.get_absolute_url()).content.decode()
    assert "<strong>4,0</strong> / 5 · 1 ulasan" in product_page
    assert "Jahitannya rapi" in product_page
    assert review.photo.url in product_page
    # The order page links to the review page once a part is selesai.
    order_page = client.get(f"/pesanan/{done_order.code}/").content.decode()
    assert f"/pesanan/{done_order.code}/ulasan/?t={done_order.secret}" in order_page


def test_guest_reviews_through_the_secret_link_only(product, pengelola):
    order = make_order({product: 1}, payment="bayar_di_tempat")
    complete(order.suborders.get(), pengelola)
    guest = Client()
    url = review_url(order, product)
    assert guest.get(f"/pesanan/{order.code}/ulasan/").status_code == 404
    refused = guest.post(url, {"rating": "5", "text": "Bagus", "t": "salah"})
    assert refused.status_code == 404
    assert Review.objects.count() == 0
    ok = guest.post(url, {"rating": "5", "text": "Bagus", "t": order.secret})
    assert ok.status_code == 302
    assert Review.objects.get().author is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "Bagus"}, "Pilih nilai 1 sampai 5 bintang."),
        ({"rating": "9", "text": "Bagus"}, "Pilih nilai 1 sampai 5 bintang."),
        ({"rating": "5", "text": ""}, "Tuliskan ulasan Anda."),
        (
            {
                "rating": "5",
                "text": "Bagus",
                "photo": SimpleUploadedFile("x.png", b"bukan foto"),
            },
            "Berkas ini bukan foto yang bisa dibaca. Gunakan JPEG, PNG atau WebP.",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    done_order, product, shopper, data, message
):
    response = client_for(shopper).post(review_url(done_order, product), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Review.objects.count() == 0


def test_an_unfinished_part_answers_with_the_reason(done_order, other_product, shopper):
    client = client_for(shopper)
    response = client.post(
        review_url(done_order, other_product),
        {"rating": "5", "text": "Bagus"},
        follow=True,
    )
    assert "Produk ini bisa diulas setelah pesanan POSDAYA-nya selesai." in (
        response.content.decode()
    )
    assert Review.objects.count() == 0


def test_text_is_escaped(done_order, product, shopper):
    client_for(shopper).post(
        review_url(done_order, product),
        {"rating": "5", "text": '<script>alert("x")</script>'},
    )
    page = Client().get(product.get_absolute_url()).content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_review_posts_are_rate_limited_per_client(
    settings, done_order, product, shopper
):
    from pasar.settings import base

    assert base.PASAR_RATE_LIMITS["review"] == "30/10m/ip"
    # The test settings switch rate limits off; this test turns this one on.
    settings.PASAR_RATE_LIMITS = {"review": "3/10m/ip"}
    client = client_for(shopper)
    url = f"/pesanan/{done_order.code}/ulasan/9999999/"
    for _ in range(3):
        refused = client.post(url, {"rating": "5", "text": "Bagus"}, follow=True)
        assert "Produk ini tidak ada di pesanan Anda." in refused.content.decode()
    response = client.post(
        review_url(done_order, product), {"rating": "5", "text": "Bagus"}, follow=True
    )
    assert "Terlalu banyak ulasan dikirim." in response.content.decode()
    assert Review.objects.count() == 0


def test_a_posted_review_retires_the_cached_product_page(
    settings, done_order, product, shopper, django_capture_on_commit_callbacks
):
    settings.PASAR_PAGE_CACHE = True
    url = product.get_absolute_url()
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_for(shopper).post(
            review_url(done_order, product), {"rating": "3", "text": "Lumayan"}
        )
    assert len(callbacks) == 1  # the catalogue version, bumped after commit
    page = Client().get(url)
    assert "X-Page-Cache" not in page
    assert "<strong>3,0</strong> / 5 · 1 ulasan" in page.content.decode()


def test_rating_sort_puts_the_best_rated_first(posdaya, pengelola):
    good, fair, _new = (
        ProductFactory(posdaya=posdaya, name=name, stock=5)
        for name in ("Tas Bagus", "Tas Lumayan", "Tas Baru")
    )
    for product, ratings in ((fair, [3, 4]), (good, [5])):
        for rating in ratings:
            order = make_order({product: 1}, payment="bayar_di_tempat")
            complete(order.suborders.get(), pengelola)
            post_review(
                order=order,
                line_id=line_of(order, product).pk,
                rating=rating,
                text="Ok",
            )
    listed = Client().get("/produk/", {"urut": "rating"}).context["products"]
    assert [p.name for p in listed] == ["Tas Bagus", "Tas Lumayan", "Tas Baru"]
    searched = Client().get("/produk/", {"urut": "rating", "q": "tas"})
    assert [p.name for p in searched.context["products"]] == [
        "Tas Bagus",
        "Tas Lumayan",
        "Tas Baru",
    ]


# --- permission matrix -----------------------------------------------------------


@pytest.fixture
def posted(done_order, product):
    return post_review(
        order=done_order,
        line_id=line_of(done_order, product).pk,
        rating=2,
        text="Kurang rapi",
    )


def test_branch_review_list_matrix(actors, posdaya, posted):
    assert status_matrix(actors, f"/dasbor/{posdaya.slug}/ulasan/") == {
        "anonymous": "login",
        "shopper": 404,
        "other_staff": 404,
        "own_staff": 200,
        "koordinator": 200,
    }
    page = actors.own_staff.get(f"/dasbor/{posdaya.slug}/ulasan/").content.decode()
    assert "Kurang rapi" in page
    assert f'action="/dasbor/{posdaya.slug}/ulasan/{posted.pk}/balas/"' in page


def test_reply_matrix(actors, posdaya, other_posdaya, posted):
    url = f"/dasbor/{posdaya.slug}/ulasan/{posted.pk}/balas/"

    def state():
        posted.refresh_from_db()
        return posted.reply

    assert_denied(
        actors,
        url,
        state,
        expected={"anonymous": "login", "shopper": 404, "other_staff": 404},
        data={"text": "Maaf"},
    )
    # Another POSDAYA's pengelola naming her own POSDAYA: the review is not hers.
    foreign = f"/dasbor/{other_posdaya.slug}/ulasan/{posted.pk}/balas/"
    assert actors.other_staff.post(foreign, {"text": "Maaf"}).status_code == 404
    assert state() == ""
    response = actors.own_staff.post(url, {"text": "Maaf, kami perbaiki"})
    assert response.status_code == 302
    assert state() == "Maaf, kami perbaiki"
    again = actors.koordinator.post(url, {"text": "Lagi"}, follow=True)
    assert "Ulasan ini sudah dibalas." in again.content.decode()
    assert state() == "Maaf, kami perbaiki"
    shown = Client().get(posted.product.get_absolute_url()).content.decode()
    assert "Maaf, kami perbaiki" in shown


def test_induk_review_list_matrix(actors, posted):
    assert status_matrix(actors, "/dasbor/induk/ulasan/") == KOORDINATOR_ONLY


def test_hide_matrix(actors, posted):
    url = f"/dasbor/induk/ulasan/{posted.pk}/sembunyikan/"

    def state():
        posted.refresh_from_db()
        return posted.is_hidden, AuditLog.objects.count()

    assert_denied(actors, url, state, data={"reason": "Kata kasar"})
    empty = actors.koordinator.post(url, {"reason": ""}, follow=True)
    assert "Tuliskan alasan menyembunyikan ulasan." in empty.content.decode()
    assert state() == (False, 0)
    response = actors.koordinator.post(url, {"reason": "Kata kasar"})
    assert response.status_code == 302
    assert state() == (True, 1)
    page = Client().get(posted.product.get_absolute_url()).content.decode()
    assert "Kurang rapi" not in page
    assert "Belum ada ulasan." in page


def test_the_review_section_costs_one_query_and_none_without_reviews(
    done_order, product, other_product
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post_review(
        order=done_order,
        line_id=line_of(done_order, product).pk,
        rating=5,
        text="Bagus",
    )

    def queries(url):
        client = Client()
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    reviewed = queries(product.get_absolute_url())
    plain = queries(other_product.get_absolute_url())
    assert len(reviewed) == len(plain) + 1
    assert sum("reviews_review" in sql for sql in reviewed) == 1
    assert sum("reviews_review" in sql for sql in plain) == 0


def test_an_out_of_range_line_or_review_id_is_a_clear_refusal(
    done_order, shopper, actors, posdaya
):
    huge = "9" * 30
    response = client_for(shopper).post(
        f"/pesanan/{done_order.code}/ulasan/{huge}/",
        {"rating": "5", "text": "Bagus"},
        follow=True,
    )
    assert "Produk ini tidak ada di pesanan Anda." in response.content.decode()
    assert Review.objects.count() == 0
    reply = f"/dasbor/{posdaya.slug}/ulasan/{huge}/balas/"
    assert actors.own_staff.post(reply, {"text": "Hai"}).status_code == 404
    hide = f"/dasbor/induk/ulasan/{huge}/sembunyikan/"
    assert actors.koordinator.post(hide, {"reason": "x"}).status_code == 404
