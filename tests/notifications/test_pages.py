"""The outbox pages: who may open them, what they list, the "sent" button."""

import pytest

from notifications.models import Message
from notifications.services import queue_message
from tests.conftest import KOORDINATOR_ONLY, assert_denied, client_for, status_matrix

S = Message.Status


def manual(posdaya=None, name="Budi", to="6281298765432"):
    return queue_message(
        kind="suborder_ready",
        channel="whatsapp",
        to=to,
        body="Halo Budi, pesanan PB-1 siap diambil: https://pasar.test/p",
        params=["Budi"],
        name=name,
        posdaya=posdaya,
    )


def status_of(message):
    return Message.objects.values_list("status", flat=True).get(pk=message.pk)


@pytest.fixture
def petugas_client(petugas):
    return client_for(petugas)


def test_outbox_page_matrix(actors):
    assert status_matrix(actors, "/dasbor/induk/pesan/") == KOORDINATOR_ONLY


def test_branch_page_matrix(actors, posdaya, petugas):
    assert status_matrix(actors, f"/dasbor/{posdaya.slug}/pesan/") == {
        "anonymous": "login",
        "shopper": 404,
        "other_staff": 404,
        "own_staff": 200,
        "koordinator": 200,
    }
    assert client_for(petugas).get(f"/dasbor/{posdaya.slug}/pesan/").status_code == 200


def test_branch_page_lists_its_messages_with_a_wa_me_link(
    posdaya, other_posdaya, pengelola
):
    ours = manual(posdaya)
    manual(other_posdaya, name="Sari")
    manual(None, name="Induk")
    response = client_for(pengelola).get(f"/dasbor/{posdaya.slug}/pesan/")
    assert list(response.context["to_send"]) == [ours]
    html = response.content.decode()
    assert (
        "https://wa.me/6281298765432?text=Halo%20Budi%2C%20pesanan%20PB-1%20siap"
        "%20diambil%3A%20https%3A//pasar.test/p"
    ) in html
    assert f'action="/dasbor/{posdaya.slug}/pesan/{ours.pk}/terkirim/"' in html


def test_staff_mark_their_message_sent(posdaya, pengelola):
    message = manual(posdaya)
    response = client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/pesan/{message.pk}/terkirim/"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/dasbor/{posdaya.slug}/pesan/"
    message.refresh_from_db()
    assert (message.status, message.sent_by) == (S.SENT, pengelola)
    again = client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/pesan/{message.pk}/terkirim/", follow=True
    )
    assert "Pesan ini sudah ditandai terkirim." in again.content.decode()


def test_mark_sent_matrix_changes_nothing_for_the_refused(
    actors, posdaya, other_posdaya
):
    message = manual(posdaya)
    assert_denied(
        actors,
        f"/dasbor/{posdaya.slug}/pesan/{message.pk}/terkirim/",
        lambda: status_of(message),
        expected={"anonymous": "login", "shopper": 404, "other_staff": 404},
    )
    # Another POSDAYA's message through our own page: 404.
    theirs = manual(other_posdaya)
    response = actors.own_staff.post(
        f"/dasbor/{posdaya.slug}/pesan/{theirs.pk}/terkirim/"
    )
    assert (response.status_code, status_of(theirs)) == (404, S.MANUAL)
    induk = manual(None)
    assert_denied(
        actors,
        f"/dasbor/induk/pesan/{induk.pk}/terkirim/",
        lambda: status_of(induk),
    )
    assert (
        actors.koordinator.post(f"/dasbor/induk/pesan/{induk.pk}/terkirim/").status_code
        == 302
    )
    assert status_of(induk) == S.SENT


def test_outbox_lists_every_status_with_the_reason(koordinator, posdaya):
    sent = manual(posdaya)
    Message.objects.filter(pk=sent.pk).update(status=S.SENT)
    failed = manual(posdaya, name="Sari")
    Message.objects.filter(pk=failed.pk).update(
        status=S.FAILED, attempts=1, last_error="HTTP 400: nomor tidak dikenal"
    )
    waiting = manual(None, name="Induk")
    client = client_for(koordinator)
    response = client.get("/dasbor/induk/pesan/")
    assert list(response.context["messages_page"]) == [waiting, failed, sent]
    assert list(response.context["to_send"]) == [waiting]
    assert [(s, n) for s, _label, n in response.context["statuses"]] == [
        ("pending", 0),
        ("sending", 0),
        ("sent", 1),
        ("failed", 1),
        ("manual", 1),
    ]
    assert "HTTP 400: nomor tidak dikenal" in response.content.decode()
    only_failed = client.get("/dasbor/induk/pesan/?status=failed")
    assert list(only_failed.context["messages_page"]) == [failed]
    junk = client.get("/dasbor/induk/pesan/?status=%00&page=x")
    assert junk.status_code == 200
    assert len(junk.context["messages_page"]) == 3


def test_page_queries_are_fixed(
    koordinator, pengelola, posdaya, django_assert_num_queries
):
    for n in range(3):
        manual(posdaya, name=f"Nasabah {n}")
        manual(None, name=f"Pembeli {n}")
    induk = client_for(koordinator)
    induk.get("/dasbor/induk/pesan/")
    # session, user, roles, the paginator's count, the counts by status, the
    # page of messages (with POSDAYA and who sent), the induk's to send
    with django_assert_num_queries(7):
        assert induk.get("/dasbor/induk/pesan/").status_code == 200
    branch = client_for(pengelola)
    branch.get(f"/dasbor/{posdaya.slug}/pesan/")
    # session, user, roles, POSDAYA, its messages to send
    with django_assert_num_queries(5):
        assert branch.get(f"/dasbor/{posdaya.slug}/pesan/").status_code == 200


def test_the_koordinator_retries_a_failed_message(actors, posdaya):
    message = queue_message(
        kind="order_link", channel="email", to="budi@contoh.id", body="Halo"
    )
    Message.objects.filter(pk=message.pk).update(
        status=S.FAILED, attempts=5, last_error="SMTP down"
    )
    url = f"/dasbor/induk/pesan/{message.pk}/ulang/"
    assert_denied(actors, url, lambda: status_of(message))
    response = actors.koordinator.post(url, follow=True)
    assert "Pesan untuk budi@contoh.id dikirim ulang." in response.content.decode()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (S.PENDING, 0)
    again = actors.koordinator.post(url, follow=True)
    assert "Hanya pesan yang gagal yang bisa dicoba lagi." in again.content.decode()
    assert status_of(message) == S.PENDING
