"""Members (nasabah): opening a savings book and changing its contact details."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import Member, MemberSequence
from .ledger import insert


def register_member(
    *,
    posdaya,
    name: str,
    whatsapp: str = "",
    whatsapp_receipts: bool = False,
    address: str = "",
    rt: str = "",
    rw: str = "",
    joined_on: date | None = None,
    user=None,
    at: datetime | None = None,
) -> Member:
    """Open a savings book at `posdaya` with the next account number.

    The number is `<code>-<rw>-<sequence>` (e.g. `BHG-07-0042`); the sequence
    comes from a counter row locked for the transaction, so numbers are unique
    and never handed out twice, even when a member is later removed. `at`
    records a book opened in the past (the demo's history).
    """
    with transaction.atomic():
        MemberSequence.objects.get_or_create(posdaya=posdaya)
        counter = MemberSequence.objects.select_for_update().get(posdaya=posdaya)
        counter.last_number = F("last_number") + 1
        counter.save(update_fields=["last_number"])
        counter.refresh_from_db(fields=["last_number"])
        sequence = counter.last_number
        member = Member(
            posdaya=posdaya,
            sequence=sequence,
            account_number=f"{posdaya.code}-{posdaya.rw}-{sequence:04d}",
            name=name.strip(),
            whatsapp=whatsapp,
            whatsapp_receipts=whatsapp_receipts,
            address=address,
            rt=rt,
            rw=rw or posdaya.rw,
            joined_on=joined_on or timezone.localdate(at),
            user=user,
        )
        return insert(member, at=at)


def update_member(*, member: Member, **fields) -> Member:
    """Change a member's contact details (never the number nor the balance)."""
    allowed = {"name", "whatsapp", "whatsapp_receipts", "address", "rt", "rw"}
    allowed |= {"is_active", "user"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)}")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(member, key, value)
        member.save(update_fields=[*fields, "updated_at"])
    return member
