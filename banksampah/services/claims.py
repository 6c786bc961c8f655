"""Claim codes: a member links her own account to her savings book.

A petugas never links an account by typing a name or an email (a stranger
could have signed up with hers). The bank issues a one-time claim code that
the petugas hands over on paper; the member, signed in, enters it at
/tabungan/klaim/. Only a keyed hash of the code is stored; it expires, works
once, and issuing a new one voids the old. The code uses letters and digits
that cannot be mistaken for one another (no 0/O, 1/I/L).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog

from ..models import Member
from .validation import BankSampahError

CLAIM_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLAIM_CODE_LENGTH = 8
CLAIM_CODE_VALID_FOR = timedelta(days=14)


@dataclass(frozen=True)
class IssuedClaimCode:
    """A claim code as handed over: only here is it readable."""

    code: str
    expires_at: datetime

    @property
    def display(self) -> str:
        """The code in two groups of four, as printed (`ABCD-EFGH`)."""
        return f"{self.code[:4]}-{self.code[4:]}"


def _normalise(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").upper()


def _hash(code: str) -> str:
    return salted_hmac("banksampah.claim-code", code, algorithm="sha256").hexdigest()


def store_claim_code(member: Member, *, now: datetime | None = None) -> IssuedClaimCode:
    """Put a fresh code's hash on `member` (unsaved) and return the code."""
    code = "".join(
        secrets.choice(CLAIM_CODE_ALPHABET) for _position in range(CLAIM_CODE_LENGTH)
    )
    expires_at = (now or timezone.now()) + CLAIM_CODE_VALID_FOR
    member.claim_code_hash = _hash(code)
    member.claim_code_expires_at = expires_at
    return IssuedClaimCode(code=code, expires_at=expires_at)


def issue_claim_code(*, member: Member, by) -> IssuedClaimCode:
    """Issue a new claim code for `member`; the previous one stops working."""
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        issued = store_claim_code(locked)
        locked.save(
            update_fields=["claim_code_hash", "claim_code_expires_at", "updated_at"]
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.OTHER,
            target=locked,
            posdaya=locked.posdaya,
            note="claim code issued",
        )
    member.claim_code_hash = locked.claim_code_hash
    member.claim_code_expires_at = locked.claim_code_expires_at
    return issued


def _invalid_code() -> BankSampahError:
    return BankSampahError(
        _(
            "Kode klaim salah atau sudah tidak berlaku. Periksa kode pada kertas "
            "dari petugas, atau minta kode baru di bank sampah."
        ),
        field="code",
    )


def claim_member(*, user, code: str, now: datetime | None = None) -> Member:
    """Link `user` to the book whose live claim code is `code`; spend the code.

    A wrong, expired or spent code gets one and the same message. An account
    already linked to a book cannot take a second one.
    """
    if Member.objects.filter(user=user).exists():
        raise BankSampahError(
            _("Akun Anda sudah terhubung dengan buku tabungan."), field="code"
        )
    code = _normalise(code)
    if len(code) != CLAIM_CODE_LENGTH or set(code) - set(CLAIM_CODE_ALPHABET):
        raise _invalid_code()
    now = now or timezone.now()
    with transaction.atomic():
        # The lock re-reads the row: of two accounts racing with one code,
        # the second finds it spent.
        member = (
            Member.objects.select_for_update()
            .filter(claim_code_hash=_hash(code), claim_code_expires_at__gt=now)
            .first()
        )
        if member is None:
            raise _invalid_code()
        before = {"user": member.user_id}
        member.user = user
        member.claim_code_hash = ""
        member.claim_code_expires_at = None
        member.save(
            update_fields=[
                "user",
                "claim_code_hash",
                "claim_code_expires_at",
                "updated_at",
            ]
        )
        record_audit(
            actor=user,
            action=AuditLog.Action.OTHER,
            target=member,
            posdaya=member.posdaya,
            before=before,
            after={"user": user.pk},
            note="savings book claimed",
        )
    return member
