"""Bayar pakai tabungan over HTTP: who is offered it, checkout, passbook, refusals."""

import pytest

from banksampah.models import Member, SavingsEntry
from orders.models import Order
from tests.conftest import client_for
from tests.factories import MemberFactory

from .test_checkout import confirm, fill, form_data
from .test_savings_payment import book, fund, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def nasabah(posdaya, shopper):
    member = MemberFactory(posdaya=posdaya, name="Ibu Siti", user=shopper)
    fund(member, "20")  # Rp 100.000
    return member


def offered(client) -> tuple[bool, bool]:
    form = client.get("/checkout/").context["form"]
    codes = [code for code, _label in form.fields["payment_method"].choices]
    return "tabungan" in codes, "savings_amount" in form.fields


def test_only_a_nasabah_with_a_linked_book_is_offered_savings(actors, nasabah, product):
    answers = {}
    for name, client in actors.items():
        fill(client, product)
        answers[name] = offered(client)
    assert answers == {
        "anonymous": (False, False),
        "shopper": (True, True),  # the shopper is Ibu Siti, linked to her book
        "other_staff": (False, False),
        "own_staff": (False, False),
        "koordinator": (False, False),
    }
    page = actors.shopper.get("/checkout/").content.decode()
    assert "Bayar pakai tabungan sampah" in page
    assert "Saldo tabungan Anda Rp\xa0100.000." in page


def test_nasabah_pays_with_savings_and_sees_the_passbook_entry(
    nasabah, product, other_product
):
    client = client_for(nasabah.user)
    fill(client, product, other_product)  # Rp 25.000 + Rp 15.000
    response = confirm(client, form_data(client, payment_method="tabungan"))

    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.status, order.savings_amount, order.customer) == (
        Order.Status.PAID,
        40000,
        nasabah.user,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Lunas: Rp\xa040.000 dibayar dari tabungan sampah Anda." in page
    passbook = client.get("/tabungan/").content.decode()
    assert "Rp\xa060.000" in passbook  # the balance
    assert "Belanja" in passbook
    assert f'<a href="/pesanan/{order.code}/">pesanan {order.code}</a>' in passbook
    # The link opens the order for its owner, without the secret.
    assert client.get(f"/pesanan/{order.code}/").status_code == 200


def test_part_from_savings_shows_the_rest_to_transfer(nasabah, product, other_product):
    client = client_for(nasabah.user)
    fill(client, product, other_product)
    data = form_data(client, savings_amount="10000")
    review = client.post("/checkout/", data)
    assert "Rp\xa010.000; sisanya dibayar dengan cara di atas." in (
        review.content.decode()
    )
    response = confirm(client, data)
    order = Order.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert (order.payment_method, order.savings_amount) == ("transfer", 10000)
    assert 'data-amount="savings">Rp\xa010.000<' in page
    assert 'data-amount="rest">Rp\xa030.000<' in page
    assert book(nasabah)[-1] == ("purchase", -10000, 90000, order.code)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"payment_method": "tabungan"},
            "Saldo tabungan tidak cukup: saldo Rp\xa05.000, diminta Rp\xa040.000.",
        ),
        (
            {"savings_amount": "6000"},
            "Saldo tabungan tidak cukup: saldo Rp\xa05.000, diminta Rp\xa06.000.",
        ),
    ],
)
def test_more_than_the_balance_is_refused_with_a_message(
    posdaya, shopper, product, other_product, overrides, message
):
    member = MemberFactory(posdaya=posdaya, user=shopper)
    fund(member, "1")  # Rp 5.000
    client = client_for(shopper)
    fill(client, product, other_product)
    before = snapshot(member)
    data = form_data(client, **overrides)
    review = client.post("/checkout/", data)
    final = dict(data, expected_total=review.context["summary"].total, confirm="1")
    response = client.post("/checkout/", final)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [message]
    assert snapshot(member) == before
    assert client.session["cart"] != {}


def test_bad_savings_amount_is_a_form_error(nasabah, product):
    client = client_for(nasabah.user)
    fill(client, product)
    for value, error in (
        ("abc", "Tulis jumlah Rupiah dengan angka, tanpa titik."),
        ("-5", "Jumlah dari tabungan tidak boleh negatif."),
    ):
        response = client.post(
            "/checkout/", form_data(client, savings_amount=value, confirm="1")
        )
        assert response.status_code == 200
        assert response.context["form"].errors["savings_amount"] == [error]
    assert Order.objects.count() == 0
    assert SavingsEntry.objects.filter(kind="purchase").count() == 0


def test_guest_posting_the_savings_method_is_refused(client, product, posdaya):
    fill(client, product)
    response = client.post(
        "/checkout/", form_data(client, payment_method="tabungan", confirm="1")
    )
    assert response.status_code == 200
    assert "payment_method" in response.context["form"].errors
    assert Order.objects.count() == 0
    assert Member.objects.count() == 0


def test_koordinator_verifies_only_the_rest_of_a_part_paid_order(
    nasabah, product, other_product, koordinator
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from orders.models import PaymentProof

    client = client_for(nasabah.user)
    fill(client, product, other_product)
    response = confirm(client, form_data(client, savings_amount="10000"))
    order = Order.objects.get()
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "blue").save(buffer, format="JPEG")
    client.post(
        f"/pesanan/{order.code}/bukti/",
        {"t": order.secret, "file": SimpleUploadedFile("b.jpg", buffer.getvalue())},
    )
    proof = PaymentProof.objects.get()
    page = client_for(koordinator).get(f"/dasbor/pembayaran/{proof.pk}/")
    html = page.content.decode()
    assert page.context["amount_due"] == 30000
    assert (
        "Total Rp\xa040.000; Rp\xa010.000 sudah dibayar dari tabungan sampah." in html
    )
    assert "Setujui: dana Rp\xa030.000 sudah masuk" in html
    client_for(koordinator).post(f"/dasbor/pembayaran/{proof.pk}/setujui/")
    order.refresh_from_db()
    assert (order.status, order.savings_amount) == (Order.Status.PAID, 10000)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("payment", ["transfer", "bayar_di_tempat", "tabungan"])
@pytest.mark.parametrize(
    "savings", ["", "0", "1", "39999", "40000", "40001", "100001", "1e3", " 5 "]
)
def test_any_savings_input_is_placed_whole_or_refused_whole(
    nasabah, product, other_product, payment, savings
):
    client = client_for(nasabah.user)
    fill(client, product, other_product)  # Rp 40.000; her book Rp 100.000
    before = snapshot(nasabah)
    data = form_data(client, payment_method=payment, savings_amount=savings)
    response = client.post("/checkout/", dict(data, expected_total=40000, confirm="1"))
    assert response.status_code in (200, 302)
    nasabah.refresh_from_db()
    if response.status_code == 200:
        assert snapshot(nasabah) == before
        return
    order = Order.objects.get()
    paid = 100000 - nasabah.balance
    assert paid == order.savings_amount
    assert SavingsEntry.objects.filter(kind="purchase").count() == (1 if paid else 0)
    if order.savings_amount == order.total:
        assert (order.status, order.payment_method) == ("dibayar", "tabungan")
    else:
        assert order.status == "menunggu_pembayaran"
