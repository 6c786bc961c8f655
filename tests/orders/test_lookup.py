"""`/pesanan/cari/`: the link sent again to the checkout's contact, same answer
for a wrong code and a wrong number, rate limited."""

import pytest
from django.core.cache import cache

from notifications.models import Message

from .conftest import PHONE

ANSWER = (
    "Jika kode pesanan dan nomor WhatsApp cocok, tautan pesanan sudah kami kirim "
    "ke kontak yang dipakai saat memesan."
)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def look_up(client, code, phone="0812-9876-5432", channel="whatsapp", **extra):
    return client.post(
        "/pesanan/cari/",
        {"code": code, "phone": phone, "channel": channel},
        follow=True,
        **extra,
    )


def sent():
    return list(
        Message.objects.filter(kind="order_link")
        .order_by("id")
        .values_list("channel", "recipient", "link")
    )


def test_the_page_opens(client):
    response = client.get("/pesanan/cari/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_the_right_code_and_number_send_the_link(client, order, settings):
    settings.PASAR_SITE_URL = "https://pasarbahagia.id"
    Message.objects.all().delete()
    response = look_up(client, order.code.lower())
    assert ANSWER in response.content.decode()
    link = f"https://pasarbahagia.id/pesanan/{order.code}/?t={order.secret}"
    assert sent() == [("whatsapp", PHONE, link)]
    look_up(client, order.code, channel="email")
    assert sent() == [("whatsapp", PHONE, link), ("email", "budi@contoh.id", link)]
    mail = Message.objects.get(kind="order_link", channel="email")
    assert mail.body == f"Halo Budi, ini tautan pesanan {order.code}: {link}"


def test_no_such_order_and_a_wrong_number_get_the_same_answer(client, order):
    Message.objects.all().delete()
    unknown = look_up(client, "PB-0000-XXXX")
    wrong = look_up(client, order.code, phone="0812 1111 2222")
    assert unknown.status_code == wrong.status_code == 200
    assert ANSWER in unknown.content.decode()
    assert ANSWER in wrong.content.decode()
    assert sent() == []


def test_email_for_an_order_without_email_sends_nothing(client, product):
    from .conftest import make_order

    order = make_order({product: 1}, email="")
    look_up(client, order.code, channel="email")
    assert sent() == []


def test_bad_input_is_refused_with_a_clear_message(client, order):
    response = client.post(
        "/pesanan/cari/", {"code": "", "phone": "123", "channel": "sms"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nomor WhatsApp tidak valid" in html
    assert sent() == []


def test_attempts_are_limited_per_client_and_per_order_code(client, order):
    Message.objects.all().delete()
    for _attempt in range(5):
        assert look_up(client, "PB-0000-XXXX").status_code == 200
    refused = look_up(client, order.code)
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in refused.content.decode()
    assert sent() == []
    # From other addresses, the same order code is limited too.
    cache.clear()
    for n in range(5):
        wrong = look_up(
            client, order.code, phone="0812 1111 2222", REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert wrong.status_code == 200
    refused = look_up(client, order.code, REMOTE_ADDR="10.0.0.99")
    assert refused.status_code == 429
    assert sent() == []
