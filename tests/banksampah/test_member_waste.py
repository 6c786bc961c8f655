"""A nasabah's /tabungan/: what she brought per category and what it became."""

from decimal import Decimal

import pytest

from banksampah.models import Member
from banksampah.selectors import member_waste
from banksampah.services import (
    SaleLine,
    record_production_use,
    record_sale,
    reverse_deposit,
)
from tests.conftest import client_for
from tests.factories import MemberFactory

from .conftest import deposit

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(posdaya, other_posdaya, member, pet, kardus, petugas):
    neighbour = MemberFactory(posdaya=posdaya, name="Ibu Tetangga")
    deposit(member, (pet, "10"), (kardus, "4"))
    deposit(neighbour, (pet, "30"))
    wrong = deposit(member, (pet, "5"))
    reverse_deposit(deposit=wrong, reason="Salah timbang", by=petugas)
    # Another POSDAYA's pool is not hers.
    deposit(MemberFactory(posdaya=other_posdaya), (pet, "100"))
    record_production_use(
        posdaya=posdaya, category=pet, weight=Decimal("8"), by=petugas
    )
    record_sale(
        posdaya=posdaya,
        buyer_name="Pengepul Jaya",
        lines=[
            SaleLine(category=pet, weight=Decimal("12")),
            SaleLine(category=kardus, weight=Decimal("2")),
        ],
        by=petugas,
    )
    return member


def test_member_waste_is_her_share_of_the_pool(story, pet, kardus):
    waste = member_waste(story)
    assert [
        (r.category.name, r.weight, r.amount, r.into_production, r.sold_to_pengepul)
        for r in waste.rows
    ] == [
        # 10 of the 40 kg of PET that stand: a quarter of 8 kg and of 12 kg.
        (
            "Botol plastik PET",
            Decimal("10.000"),
            30000,
            Decimal("2.000"),
            Decimal("3.000"),
        ),
        # All the kardus is hers.
        ("Kardus", Decimal("4.000"), 6000, Decimal("0.000"), Decimal("2.000")),
    ]
    assert waste.collected_kg == Decimal("14.000")
    assert waste.production_kg == Decimal("2.000")
    assert waste.sold_kg == Decimal("5.000")
    assert waste.paid_bank == 36000


def test_passbook_page_shows_her_figures(story, shopper):
    Member.objects.filter(pk=story.pk).update(user=shopper)
    html = client_for(shopper).get("/tabungan/").content.decode()
    assert 'data-figure="collected">14,000\xa0kg<' in html
    assert 'data-figure="production">2,000\xa0kg<' in html
    assert 'data-figure="sold">5,000\xa0kg<' in html
    assert 'data-figure="paid">Rp\xa036.000<' in html
    assert "Botol plastik PET" in html and "Kardus" in html


def test_member_without_deposits_sees_no_waste_section(member, shopper):
    Member.objects.filter(pk=member.pk).update(user=shopper)
    html = client_for(shopper).get("/tabungan/").content.decode()
    assert "Sampah yang Anda bawa" not in html
    assert member_waste(member).rows == []


def test_member_waste_is_three_queries(story, django_assert_num_queries):
    with django_assert_num_queries(3):
        member_waste(story)
