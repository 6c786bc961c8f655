"""Weighing and withdrawal receipts to the nasabah: WhatsApp, only when opted in."""

import datetime as dt
import uuid
from decimal import Decimal

from banksampah.models import Member
from banksampah.services import (
    DepositInput,
    WeighedLine,
    record_deposits,
    record_withdrawal,
)
from notifications.models import Message
from tests.conftest import client_for
from tests.factories import MemberFactory

from .conftest import deposit

SATURDAY = dt.date(2026, 11, 28)


def receipts():
    return list(
        Message.objects.order_by("id").values_list(
            "kind", "channel", "recipient", "status", "posdaya__slug", "body"
        )
    )


def opted_in(posdaya, **fields):
    return MemberFactory(
        posdaya=posdaya,
        name="Ibu Siti",
        whatsapp="6281311112222",
        whatsapp_receipts=True,
        **fields,
    )


def test_a_weighing_and_a_withdrawal_send_receipts_to_an_opted_in_member(
    posdaya, pet, petugas
):
    member = opted_in(posdaya)
    deposit(member, (pet, "2.500"), by=petugas, on=SATURDAY)
    record_withdrawal(member=member, amount=5000, by=petugas, withdrawn_on=SATURDAY)
    assert receipts() == [
        (
            "weighing_receipt",
            "whatsapp",
            "6281311112222",
            Message.Status.MANUAL,
            "bahagia",
            "Struk setoran POSDAYA Bahagia, 28 Nov 2026: 2,500\xa0kg, Rp\xa07.500. "
            "Saldo Ibu Siti kini Rp\xa07.500. Terima kasih!",
        ),
        (
            "withdrawal_receipt",
            "whatsapp",
            "6281311112222",
            Message.Status.MANUAL,
            "bahagia",
            "Struk penarikan POSDAYA Bahagia, 28 Nov 2026: Rp\xa05.000. "
            "Saldo Ibu Siti kini Rp\xa02.500.",
        ),
    ]


def test_no_receipt_without_consent_or_a_number(posdaya, pet, member):
    deposit(member, (pet, "1.000"))
    no_number = MemberFactory(posdaya=posdaya, whatsapp="", whatsapp_receipts=True)
    deposit(no_number, (pet, "1.000"))
    assert receipts() == []


def test_a_weighing_day_sends_one_receipt_per_opted_in_member(posdaya, pet, petugas):
    member = opted_in(posdaya)
    silent = MemberFactory(posdaya=posdaya, whatsapp="6281399998888")
    day = [
        DepositInput(
            member=m,
            lines=[WeighedLine(category=pet, weight=Decimal("1.000"))],
            idempotency_key=uuid.uuid4(),
        )
        for m in (member, silent)
    ]
    record_deposits(posdaya=posdaya, deposits=day, by=petugas, weighed_on=SATURDAY)
    record_deposits(posdaya=posdaya, deposits=day, by=petugas, weighed_on=SATURDAY)
    assert [(kind, to) for kind, _c, to, *_rest in receipts()] == [
        ("weighing_receipt", "6281311112222")
    ]


def test_the_member_form_records_the_consent(posdaya, petugas):
    client = client_for(petugas)
    response = client.post(
        "/dasbor/bahagia/bank-sampah/nasabah/baru/",
        {
            "name": "Ibu Baru",
            "whatsapp": "0813 1111 2222",
            "whatsapp_receipts": "on",
            "key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(name="Ibu Baru")
    assert (member.whatsapp, member.whatsapp_receipts) == ("6281311112222", True)
    client.post(
        f"/dasbor/bahagia/bank-sampah/nasabah/{member.pk}/ubah/",
        {"name": "Ibu Baru", "whatsapp": "0813 1111 2222", "is_active": "on"},
    )
    member.refresh_from_db()
    assert member.whatsapp_receipts is False
