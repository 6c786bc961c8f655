"""Members (nasabah): opening a savings book and changing its contact details."""

import uuid
from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Member, MemberSequence
from .claims import IssuedClaimCode, store_claim_code
from .ledger import insert
from .validation import BankSampahError


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
    idempotency_key: uuid.UUID | None = None,
    with_claim_code: bool = False,
    at: datetime | None = None,
) -> Member:
    """Open a savings book at `posdaya` with the next account number.

    The number is `<code>-<rw>-<sequence>` (e.g. `BHG-07-0042`); the sequence
    comes from a counter row locked for the transaction, so numbers are unique
    and never handed out twice, even when a member is later removed. A repeated
    `idempotency_key` (the form's one-time key) returns the book it opened,
    with `claim_code` None. `with_claim_code` issues the first claim code
    (`member.claim_code`, shown once to the petugas). `at` records a book
    opened in the past (the demo's history). No account is linked here: only
    the member can, with the claim code (`claim_member`).
    """
    if idempotency_key is not None:
        existing = Member.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_member(existing, posdaya)
    with transaction.atomic():
        MemberSequence.objects.get_or_create(posdaya=posdaya)
        counter = MemberSequence.objects.select_for_update().get(posdaya=posdaya)
        if idempotency_key is not None:
            # A twin request waited for the counter lock: its book is there now.
            existing = Member.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _same_member(existing, posdaya)
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
            idempotency_key=idempotency_key,
        )
        claim_code: IssuedClaimCode | None = None
        if with_claim_code:
            claim_code = store_claim_code(member, now=at)
        insert(member, at=at)
    member.claim_code = claim_code
    return member


def _same_member(member: Member, posdaya) -> Member:
    if member.posdaya_id != posdaya.pk:
        raise BankSampahError(
            _("Formulir ini sudah dipakai di POSDAYA lain. Muat ulang halaman.")
        )
    member.claim_code = None
    return member


def update_member(*, member: Member, **fields) -> Member:
    """Change a member's contact details (never the number nor the balance).

    The linked account is not among them: it changes only by `claim_member`.
    """
    allowed = {"name", "whatsapp", "whatsapp_receipts", "address", "rt", "rw"}
    allowed |= {"is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)}")
    with transaction.atomic():
        for key, value in fields.items():
            setattr(member, key, value)
        member.save(update_fields=[*fields, "updated_at"])
    return member
