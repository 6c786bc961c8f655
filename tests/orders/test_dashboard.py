"""Back office: permission matrix on every URL, and what each action does."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from orders.models import DeliveryZone, Order, PaymentProof, SubOrder
from orders.services import (
    OrderError,
    approve_payment,
    create_zone,
    submit_payment_proof,
)
from pasar.models import AuditLog
from pasar.uploads import clean_pdf

from ..conftest import KOORDINATOR_ONLY, client_for, status_matrix
from ..factories import ProductFactory
from .conftest import DENIED_INDUK, DENIED_POSDAYA, denied_as, make_order

pytestmark = pytest.mark.django_db

OWN_POSDAYA = {
    "anonymous": "login",
    "shopper": 404,
    "other_staff": 404,
    "own_staff": 200,
    "koordinator": 200,
}


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("b.png", buffer.getvalue())


@pytest.fixture
def proof(order):
    return submit_payment_proof(order=order, file=png(), kind="image")


def sub_of(order, posdaya):
    return SubOrder.objects.get(order=order, posdaya=posdaya)


@pytest.mark.parametrize(
    "url",
    [
        "/dasbor/induk/ongkir/",
        "/dasbor/induk/ongkir/baru/",
        "/dasbor/pembayaran/",
        "/dasbor/pembayaran/?status=ditolak",
    ],
)
def test_koordinator_pages_matrix(actors, url):
    assert status_matrix(actors, url) == KOORDINATOR_ONLY


def test_zone_update_and_proof_pages_matrix(actors, zone, proof):
    for url in (
        f"/dasbor/induk/ongkir/{zone.pk}/ubah/",
        f"/dasbor/pembayaran/{proof.pk}/",
        f"/dasbor/pembayaran/{proof.pk}/berkas/",
    ):
        assert status_matrix(actors, url) == KOORDINATOR_ONLY, url


def test_zone_create_denied_changes_nothing(actors):
    data = {"name": "Bekasi Utara", "fee": 15000, "for_local": "on", "is_active": "on"}
    result = status_matrix(actors, "/dasbor/induk/ongkir/baru/", "post", data)
    assert result == dict(KOORDINATOR_ONLY, koordinator=302)
    zone = DeliveryZone.objects.get()
    assert (zone.name, zone.fee, zone.for_local, zone.for_courier) == (
        "Bekasi Utara",
        15000,
        True,
        False,
    )


def test_zone_needs_a_method(koordinator):
    response = client_for(koordinator).post(
        "/dasbor/induk/ongkir/baru/", {"name": "X", "fee": 1000}
    )
    assert response.status_code == 200
    assert "Pilih minimal satu cara pengiriman" in response.content.decode()
    assert DeliveryZone.objects.count() == 0


def zone_data(zone, **changes):
    data = {"name": zone.name, "fee": zone.fee, "for_local": "on", "is_active": "on"}
    return {**data, **changes}


def test_zone_fee_change_is_audited(koordinator, zone):
    client = client_for(koordinator)
    url = f"/dasbor/induk/ongkir/{zone.pk}/ubah/"
    response = client.post(url, zone_data(zone, fee=12500), follow=True)
    assert response.redirect_chain == [("/dasbor/induk/ongkir/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Zona pengiriman disimpan."
    ]
    zone.refresh_from_db()
    assert (zone.fee, zone.for_local, zone.for_courier) == (12500, True, False)
    audit = AuditLog.objects.get()
    assert (audit.action, audit.actor, audit.target_repr) == (
        "price_change",
        koordinator,
        "Babelan",
    )
    assert (audit.before, audit.after) == ({"fee": 10000}, {"fee": 12500})
    # Renaming it is no fee change.
    client.post(url, zone_data(zone, name="Babelan Kota"))
    assert DeliveryZone.objects.get().name == "Babelan Kota"
    assert AuditLog.objects.count() == 1


def test_zone_update_denied_changes_nothing(actors, zone):
    url = f"/dasbor/induk/ongkir/{zone.pk}/ubah/"
    result = status_matrix(actors, url, "post", zone_data(zone, fee=1))
    assert result == dict(KOORDINATOR_ONLY, koordinator=302)
    assert DeliveryZone.objects.values_list("fee", flat=True).get() == 1
    assert AuditLog.objects.get().actor.username == "koordinator"


def test_zone_service_refuses_a_zone_without_a_method(koordinator):
    with pytest.raises(OrderError, match="Pilih minimal satu cara pengiriman"):
        create_zone(name="X", fee=1000, for_local=False, by=koordinator)
    assert DeliveryZone.objects.count() == 0


def test_approve_matrix_denied_changes_nothing(actors, proof, order):
    url = f"/dasbor/pembayaran/{proof.pk}/setujui/"
    for name, answer in DENIED_INDUK.items():
        assert denied_as(getattr(actors, name).post(url)) == answer, name
        assert Order.objects.get(pk=order.pk).status == "menunggu_verifikasi"
    assert AuditLog.objects.count() == 0
    response = actors.koordinator.post(url)
    assert response["Location"] == "/dasbor/pembayaran/"
    assert Order.objects.get(pk=order.pk).status == "dibayar"


def test_reject_matrix_and_reason(actors, proof, order):
    url = f"/dasbor/pembayaran/{proof.pk}/tolak/"
    result = status_matrix(actors, url, "post", {"reason": "Buram"})
    assert result == dict(KOORDINATOR_ONLY, koordinator=302)
    proof.refresh_from_db()
    assert (proof.status, proof.reason) == ("ditolak", "Buram")


def test_reject_without_reason_changes_nothing(koordinator, proof, order):
    client_for(koordinator).post(f"/dasbor/pembayaran/{proof.pk}/tolak/", {})
    assert PaymentProof.objects.get(pk=proof.pk).status == "menunggu"


def test_payment_queue_lists_pending_oldest_first(koordinator, product, proof):
    later = make_order({product: 1})
    second = submit_payment_proof(order=later, file=png(), kind="image")
    response = client_for(koordinator).get("/dasbor/pembayaran/")
    assert list(response.context["proofs"]) == [proof, second]


def test_proof_file_served_with_safe_headers(koordinator, proof):
    response = client_for(koordinator).get(f"/dasbor/pembayaran/{proof.pk}/berkas/")
    assert response["Content-Type"] == "image/webp"
    assert response["Content-Disposition"] == (
        f'inline; filename="bukti-transfer-{proof.order.code}.webp"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_koordinator_gets_a_pdf_proof_as_a_download(order, koordinator):
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(200, 200)
    writer.write(buffer)
    upload = SimpleUploadedFile("bukti.pdf", buffer.getvalue())
    proof = submit_payment_proof(order=order, file=clean_pdf(upload), kind="pdf")
    response = client_for(koordinator).get(f"/dasbor/pembayaran/{proof.pk}/berkas/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bukti-transfer-{order.code}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_suborder_pages_matrix(actors, order, posdaya):
    sub = sub_of(order, posdaya)
    base = f"/dasbor/{posdaya.slug}/pesanan/"
    for url in (
        base,
        f"{base}?status=baru",
        f"{base}{sub.pk}/",
        f"{base}{sub.pk}/slip/",
    ):
        assert status_matrix(actors, url) == OWN_POSDAYA, url


def test_other_posdaya_suborder_id_is_404(order, posdaya, other_posdaya, pengelola):
    theirs = sub_of(order, other_posdaya)
    client = client_for(pengelola)
    assert client.get(f"/dasbor/{posdaya.slug}/pesanan/{theirs.pk}/").status_code == 404
    response = client.post(
        f"/dasbor/{posdaya.slug}/pesanan/{theirs.pk}/ubah/",
        {"to_status": "dibatalkan", "note": "iseng"},
    )
    assert response.status_code == 404
    assert SubOrder.objects.get(pk=theirs.pk).status == "baru"


def test_petugas_cannot_open_orders(order, posdaya, petugas):
    assert (
        client_for(petugas).get(f"/dasbor/{posdaya.slug}/pesanan/").status_code == 404
    )


def test_list_shows_only_own_suborders(order, posdaya, other_posdaya, pengelola):
    response = client_for(pengelola).get(f"/dasbor/{posdaya.slug}/pesanan/")
    assert list(response.context["suborders"]) == [sub_of(order, posdaya)]
    tabs = {value: count for value, _label, count in response.context["status_tabs"]}
    assert tabs["baru"] == 1 and tabs["selesai"] == 0


def test_list_filters_by_state(order, cod_order, posdaya, pengelola):
    sub = sub_of(cod_order, posdaya)
    client = client_for(pengelola)
    client.post(
        f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/ubah/", {"to_status": "diproses"}
    )
    response = client.get(f"/dasbor/{posdaya.slug}/pesanan/?status=diproses")
    assert list(response.context["suborders"]) == [sub]


def test_transition_matrix_denied_changes_nothing(actors, cod_order, posdaya):
    sub = sub_of(cod_order, posdaya)
    url = f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/ubah/"
    for name, answer in DENIED_POSDAYA.items():
        response = getattr(actors, name).post(url, {"to_status": "diproses"})
        assert denied_as(response) == answer, name
        assert SubOrder.objects.get(pk=sub.pk).status == "baru"
    response = actors.own_staff.post(url, {"to_status": "diproses"})
    assert response["Location"] == f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/"
    assert SubOrder.objects.get(pk=sub.pk).status == "diproses"


def test_mark_paid_matrix(actors, cod_order, posdaya):
    sub = sub_of(cod_order, posdaya)
    url = f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/lunas/"
    for name, answer in DENIED_POSDAYA.items():
        assert denied_as(getattr(actors, name).post(url)) == answer, name
        assert SubOrder.objects.get(pk=sub.pk).paid_at is None
    actors.own_staff.post(url)
    assert SubOrder.objects.get(pk=sub.pk).paid_at is not None


def test_illegal_transition_shows_message(cod_order, posdaya, pengelola):
    sub = sub_of(cod_order, posdaya)
    client = client_for(pengelola)
    response = client.post(
        f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/ubah/",
        {"to_status": "selesai"},
        follow=True,
    )
    assert "tidak bisa diubah dari Baru ke Selesai" in response.content.decode()
    assert SubOrder.objects.get(pk=sub.pk).status == "baru"
    response = client.post(
        f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/ubah/",
        {"to_status": "rusak"},
        follow=True,
    )
    assert SubOrder.objects.get(pk=sub.pk).status == "baru"


def test_cancel_needs_reason_over_http(cod_order, posdaya, pengelola):
    sub = sub_of(cod_order, posdaya)
    response = client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/ubah/",
        {"to_status": "dibatalkan"},
        follow=True,
    )
    assert "Tuliskan alasan pembatalan." in response.content.decode()
    assert SubOrder.objects.get(pk=sub.pk).status == "baru"


def test_detail_shows_contact_and_actions(order, posdaya, pengelola, koordinator):
    sub = sub_of(order, posdaya)
    url = f"/dasbor/{posdaya.slug}/pesanan/{sub.pk}/"
    response = client_for(pengelola).get(url)
    assert response.context["actions"] == []  # transfer not yet verified
    assert response.context["can_cancel"] is True
    assert "https://wa.me/6281298765432?text=" in response.content.decode()
    approve_payment(
        proof_id=submit_payment_proof(order=order, file=png(), kind="image").pk,
        by=koordinator,
    )
    response = client_for(pengelola).get(url)
    assert response.context["actions"] == [("diproses", "Diproses")]


def test_branch_home_badges_new_suborders(
    order, posdaya, pengelola, django_assert_num_queries
):
    ProductFactory(posdaya=posdaya)
    response = client_for(pengelola).get(f"/dasbor/{posdaya.slug}/")
    page = response.content.decode()
    assert f'/dasbor/{posdaya.slug}/pesanan/?status=baru">1</a>' in page


def test_suborder_list_queries_are_fixed(
    posdaya, pengelola, product, django_assert_num_queries
):
    # session, user, the user's roles (the policy, once per request), POSDAYA,
    # the page of sub-orders (by keyset, no count), status tabs, switcher list
    client = client_for(pengelola)
    url = f"/dasbor/{posdaya.slug}/pesanan/"
    make_order({product: 1})
    client.get(url)
    with django_assert_num_queries(7):
        client.get(url)
    for _ in range(3):
        make_order({product: 1})
    with django_assert_num_queries(7):
        client.get(url)


def test_koordinator_order_overview(
    actors, order, cod_order, koordinator, django_assert_num_queries
):
    from tests.conftest import status_matrix

    assert status_matrix(actors, "/dasbor/induk/pesanan/") == {
        "anonymous": "login",
        "shopper": 404,
        "other_staff": 404,
        "own_staff": 404,
        "koordinator": 200,
    }
    client = client_for(koordinator)
    page = client.get("/dasbor/induk/pesanan/")
    assert [o.code for o in page.context["orders"]] == [cod_order.code, order.code]
    html = page.content.decode()
    part = order.suborders.get(posdaya__slug="flamboyan")
    assert f'/dasbor/flamboyan/pesanan/{part.pk}/"' in html
    found = client.get("/dasbor/induk/pesanan/", {"q": order.code.lower()})
    assert [o.code for o in found.context["orders"]] == [order.code]
    by_state = client.get("/dasbor/induk/pesanan/", {"status": "menunggu_pembayaran"})
    assert {o.status for o in by_state.context["orders"]} == {"menunggu_pembayaran"}
    junk = client.get("/dasbor/induk/pesanan/", {"status": "zzz", "q": "x" * 500})
    assert junk.status_code == 200
    client.get("/dasbor/induk/pesanan/")
    # session, user, koordinator, switcher, count, page of orders, their parts
    with django_assert_num_queries(7):
        client.get("/dasbor/induk/pesanan/")
