"""A savings book is linked to an account only by its owner's claim code.

The attack this closes: a stranger signs up with the member's email as his
username; the petugas types her email in the member form; the form found his
account first and he read her balance at /tabungan/. Now the member form has
no account field (and so says nothing about which accounts exist), usernames
cannot hold "@", and the member links her own account by entering the
one-time code the petugas handed over.
"""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from banksampah.models import Member
from banksampah.services import BankSampahError, claim_member, issue_claim_code
from pasar.models import AuditLog
from tests.conftest import DENIED, assert_denied, client_for, status_matrix
from tests.factories import PASSWORD, UserFactory

from .conftest import deposit

pytestmark = pytest.mark.django_db

BASE = "/dasbor/bahagia/bank-sampah/"
CLAIM = "/tabungan/klaim/"
WRONG = (
    "Kode klaim salah atau sudah tidak berlaku. Periksa kode pada kertas dari "
    "petugas, atau minta kode baru di bank sampah."
)
CODE = re.compile(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}")


def shown_code(response) -> str:
    """The claim code on the page (the claim-code sheet or the message)."""
    return CODE.search(response.content.decode()).group()


def errors_of(response) -> list[str]:
    form = response.context["form"]
    return [*form.non_field_errors(), *form.errors.get("code", [])]


def claim(client, code):
    return client.post(CLAIM, {"code": code})


# --- the attack ---------------------------------------------------------------


SITI_EMAIL = "siti.aminah@contoh.id"


def test_a_username_cannot_be_her_email(client):
    response = client.post(
        "/akun/signup/",
        {
            "email": "penyusup@contoh.id",
            "username": SITI_EMAIL,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        "Nama pengguna tidak boleh memuat tanda @."
    ]
    assert not UserFactory._meta.model.objects.filter(username=SITI_EMAIL).exists()


def test_a_stranger_with_her_email_as_username_gets_nothing(petugas, member, pet):
    """The petugas types her email on the forms: his account is not linked."""
    deposit(member, (pet, "10"))  # Rp 30.000 on her book
    # An account named so before the rule (or made by hand).
    attacker = UserFactory(username=SITI_EMAIL, email="penyusup@contoh.id")
    staff = client_for(petugas)
    response = staff.post(
        BASE + "nasabah/baru/",
        {"name": "Ibu Siti Aminah", "user": SITI_EMAIL, "key": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert not Member.objects.filter(user=attacker).exists()
    response = staff.post(
        BASE + f"nasabah/{member.pk}/ubah/",
        {"name": member.name, "is_active": "on", "user": SITI_EMAIL},
    )
    assert response.status_code == 302
    assert not Member.objects.filter(user__isnull=False).exists()
    page = client_for(attacker).get("/tabungan/")
    body = page.content.decode()
    assert page.context["member"] is None
    assert member.account_number not in body
    assert "Rp\xa030.000" not in body
    assert "belum terhubung" in body


def test_the_member_form_asks_for_no_account(petugas, member):
    """No account field, so no answer about whether an account exists."""
    UserFactory(username="siti", email="siti@contoh.id")
    staff = client_for(petugas)
    for url in (BASE + "nasabah/baru/", BASE + f"nasabah/{member.pk}/ubah/"):
        form = staff.get(url).context["form"]
        assert "user" not in form.fields, url
    answers = set()
    for account in ("siti@contoh.id", "tidak-ada@contoh.id"):
        response = staff.post(
            BASE + "nasabah/baru/",
            {"name": "", "user": account, "key": str(uuid.uuid4())},
        )
        answers.add(str(response.context["form"].errors.as_data()))
    assert len(answers) == 1


def test_invited_staff_usernames_cannot_hold_an_at_sign(koordinator):
    from posdaya.forms import InviteForm

    form = InviteForm(
        {"email": "a@contoh.id", "username": "a@contoh.id", "role": "koordinator"}
    )
    assert form.errors["username"] == [
        "Gunakan 3–150 huruf, angka atau tanda . + - _ (tanpa @)."
    ]


# --- the claim flow -----------------------------------------------------------


def test_registration_hands_over_a_code_the_member_claims_once(petugas, pet):
    staff = client_for(petugas)
    response = staff.post(
        BASE + "nasabah/baru/",
        {"name": "Ibu Ratna", "key": str(uuid.uuid4())},
        follow=True,
    )
    member = Member.objects.get(name="Ibu Ratna")
    code = shown_code(response)
    assert len(member.claim_code_hash) == 64
    assert code.replace("-", "") not in member.claim_code_hash
    deposit(member, (pet, "5"))  # Rp 15.000
    ratna = UserFactory(username="ratna")
    client = client_for(ratna)
    assert client.get("/tabungan/").context["member"] is None
    assert client.get(CLAIM).status_code == 200
    # Typed as people type it: lower case, with spaces, without the dash.
    response = claim(client, " " + code.replace("-", " ").lower() + " ")
    assert response.status_code == 302
    assert response["Location"] == "/tabungan/"
    page = client.get("/tabungan/")
    assert page.context["member"] == member
    assert "Rp\xa015.000" in page.content.decode()
    assert [str(m) for m in page.context["messages"]] == [
        f"Buku tabungan {member.account_number} atas nama Ibu Ratna terhubung."
    ]
    member.refresh_from_db()
    assert member.user == ratna
    assert member.claim_code_hash == ""
    assert member.claim_code_expires_at is None
    audit = AuditLog.objects.get(note="savings book claimed")
    assert (audit.actor, audit.target_id, audit.after) == (
        ratna,
        str(member.pk),
        {"user": ratna.pk},
    )
    # Once linked, the claim page leads to the book.
    assert client.get(CLAIM)["Location"] == "/tabungan/"


def test_a_spent_code_cannot_be_used_again(member):
    issued = issue_claim_code(member=member, by=None)
    first, second = UserFactory(), UserFactory()
    assert claim(client_for(first), issued.code).status_code == 302
    response = claim(client_for(second), issued.code)
    assert response.status_code == 200
    assert errors_of(response) == [WRONG]
    member.refresh_from_db()
    assert member.user == first
    assert not Member.objects.filter(user=second).exists()


def test_an_expired_code_gets_the_same_message(member):
    issued = issue_claim_code(member=member, by=None)
    assert issued.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    assert issued.expires_at - timezone.now() <= dt.timedelta(days=14)
    user = UserFactory()
    with pytest.raises(BankSampahError) as refused:
        claim_member(
            user=user, code=issued.code, now=issued.expires_at + dt.timedelta(0, 1)
        )
    assert refused.value.message == WRONG
    Member.objects.filter(pk=member.pk).update(
        claim_code_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = claim(client_for(user), issued.code)
    assert errors_of(response) == [WRONG]
    member.refresh_from_db()
    assert member.user_id is None


def test_a_wrong_code_and_a_replaced_code_get_the_same_message(member):
    old = issue_claim_code(member=member, by=None)
    new = issue_claim_code(member=member, by=None)
    assert old.code != new.code
    client = client_for(UserFactory())
    for attempt in ("", "ABCD", "ABCD-EFG1", "AAAA-AAAA", old.code):
        response = claim(client, attempt)
        assert response.status_code == 200, attempt
        expected = ["Bidang ini tidak boleh kosong."] if attempt == "" else [WRONG]
        assert errors_of(response) == expected, attempt
    member.refresh_from_db()
    assert member.user_id is None
    # (Five tries: the limit. Another account enters the live code.)
    assert claim(client_for(UserFactory()), new.code).status_code == 302


def test_an_account_with_a_book_cannot_take_a_second(member, other_member):
    first = issue_claim_code(member=member, by=None)
    second = issue_claim_code(member=other_member, by=None)
    user = UserFactory()
    claim_member(user=user, code=first.code)
    response = claim(client_for(user), second.code)
    assert errors_of(response) == ["Akun Anda sudah terhubung dengan buku tabungan."]
    other_member.refresh_from_db()
    assert other_member.user_id is None
    assert other_member.claim_code_hash != ""


def test_guessing_is_rate_limited_per_account(member):
    issued = issue_claim_code(member=member, by=None)
    client = client_for(UserFactory())
    for _attempt in range(5):
        assert errors_of(claim(client, "AAAA-AAAA")) == [WRONG]
    response = claim(client, issued.code)  # even the right code, for a while
    assert response.status_code == 429
    assert errors_of(response) == [
        "Terlalu banyak percobaan. Tunggu 15 menit lalu coba lagi."
    ]
    member.refresh_from_db()
    assert member.user_id is None
    # Another account is counted apart.
    assert claim(client_for(UserFactory()), issued.code).status_code == 302


def test_the_claim_page_needs_a_signed_in_account(client):
    for method in ("get", "post"):
        response = getattr(client, method)(CLAIM, {"code": "AAAA-AAAA"})
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/login/")


# --- the petugas' claim-code page ---------------------------------------------


NO_RIGHT = {name: DENIED[name] for name in ("anonymous", "shopper", "other_staff")}
OWN = {**NO_RIGHT, "own_staff": 200, "koordinator": 200}
ISSUED = {**NO_RIGHT, "own_staff": 302, "koordinator": 302}


def test_claim_code_page_matrix(actors, member, other_member):
    url = BASE + f"nasabah/{member.pk}/kode-klaim/"
    assert status_matrix(actors, url) == OWN
    # POST: those without a right issue nothing.
    assert_denied(
        actors,
        url,
        lambda: Member.objects.values_list(
            "claim_code_hash", "claim_code_expires_at"
        ).get(pk=member.pk),
        expected=NO_RIGHT,
    )
    assert status_matrix(actors, url, "post") == ISSUED
    other = f"/dasbor/{other_member.posdaya.slug}/bank-sampah/nasabah/"
    assert (
        actors.own_staff.post(other + f"{other_member.pk}/kode-klaim/").status_code
        == 404
    )


def test_a_new_code_on_demand_voids_the_old(petugas, member):
    first = issue_claim_code(member=member, by=None)
    staff = client_for(petugas)
    url = BASE + f"nasabah/{member.pk}/kode-klaim/"
    page = staff.get(url).content.decode()
    assert "Buat kode klaim baru" in page
    assert CODE.search(page) is None
    response = staff.post(url)
    assert response.status_code == 302
    assert response["Location"] == url
    response = staff.get(url)
    code = shown_code(response)
    assert "http://testserver/tabungan/klaim/" in response.content.decode()
    assert [str(m) for m in response.context["messages"]] == [
        "Kode klaim baru dibuat; kode lama tidak berlaku."
    ]
    # Shown once: the session forgets it, the book keeps only its hash.
    assert CODE.search(staff.get(url).content.decode()) is None
    assert AuditLog.objects.filter(note="claim code issued").count() == 2
    client = client_for(UserFactory())
    assert errors_of(claim(client, first.code)) == [WRONG]
    assert claim(client, code).status_code == 302
