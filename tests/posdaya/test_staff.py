"""Induk staff management, POSDAYA profiles and the audit log."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pasar.models import AuditLog
from posdaya.models import Membership, Posdaya

from ..conftest import assert_denied, client_for, status_matrix
from ..factories import MembershipFactory, UserFactory, make_koordinator

pytestmark = pytest.mark.django_db


def test_induk_pages_matrix(actors, posdaya):
    for url in (
        "/dasbor/induk/staf/",
        "/dasbor/induk/posdaya/",
        "/dasbor/induk/audit/",
    ):
        assert status_matrix(actors, url) == {
            "anonymous": "login",
            "shopper": 404,
            "other_staff": 404,
            "own_staff": 404,
            "koordinator": 200,
        }, url


def test_denied_role_and_status_changes_change_nothing(actors, posdaya, pengelola):
    membership = Membership.objects.get(user=pengelola)
    before = Membership.objects.count()

    def state():
        return (
            list(Membership.objects.order_by("pk").values_list("pk", "role")),
            Posdaya.objects.get(pk=posdaya.pk).is_active,
            AuditLog.objects.count(),
        )

    revoke = f"/dasbor/induk/staf/{membership.pk}/cabut/"
    status = f"/dasbor/induk/posdaya/{posdaya.slug}/status/"
    grant = {"grant-user": "pembeli", "grant-role": "koordinator"}
    invite = {
        "invite-email": "baru@contoh.id",
        "invite-username": "baru",
        "invite-role": "koordinator",
    }
    assert_denied(actors, revoke, state)
    assert_denied(actors, status, state, data={"active": "0"})
    assert_denied(actors, "/dasbor/induk/staf/", state, data=grant)
    assert_denied(actors, "/dasbor/induk/staf/", state, data=invite)
    assert Membership.objects.count() == before
    assert Posdaya.objects.get(pk=posdaya.pk).is_active is True
    assert AuditLog.objects.count() == 0
    assert not get_user_model().objects.filter(username="baru").exists()


def test_denied_profile_change_changes_nothing(actors, posdaya):
    def state():
        return (
            Posdaya.objects.filter(pk=posdaya.pk).values().get(),
            AuditLog.objects.count(),
        )

    assert_denied(
        actors,
        f"/dasbor/{posdaya.slug}/profil/",
        state,
        expected={"anonymous": "login", "shopper": 404, "other_staff": 404},
        data=profile_data(),
    )


def test_branch_profile_and_staff_matrix(actors, posdaya):
    for url in (f"/dasbor/{posdaya.slug}/profil/", f"/dasbor/{posdaya.slug}/staf/"):
        assert status_matrix(actors, url) == {
            "anonymous": "login",
            "shopper": 404,
            "other_staff": 404,
            "own_staff": 200,
            "koordinator": 200,
        }, url


def test_petugas_cannot_edit_profile(posdaya, petugas):
    client = client_for(petugas)
    assert client.get(f"/dasbor/{posdaya.slug}/profil/").status_code == 404
    response = client.post(f"/dasbor/{posdaya.slug}/profil/", {"name": "Diubah"})
    assert response.status_code == 404
    assert Posdaya.objects.get(pk=posdaya.pk).name == "POSDAYA Bahagia"


def test_invite_new_person_by_email_sends_password_link(
    koordinator, posdaya, django_capture_on_commit_callbacks
):
    client = client_for(koordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/dasbor/induk/staf/",
            {
                "invite-email": "ani@contoh.id",
                "invite-username": "ani",
                "invite-role": "petugas",
                "invite-posdaya": posdaya.pk,
            },
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="ani")
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("posdaya__slug", "role")) == [
        ("bahagia", "petugas")
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ani@contoh.id"]
    assert "/akun/password/reset/key/" in mail.outbox[0].body
    entry = AuditLog.objects.get()
    assert (entry.action, entry.actor, entry.after) == (
        "role_granted",
        koordinator,
        {"user": "ani", "role": "petugas"},
    )


def test_invite_with_one_time_password_shows_it_once(koordinator, posdaya, client):
    staff = client_for(koordinator)
    response = staff.post(
        "/dasbor/induk/staf/",
        {
            "invite-email": "budi@contoh.id",
            "invite-username": "budi",
            "invite-role": "pengelola",
            "invite-posdaya": posdaya.pk,
            "invite-one_time_password": "on",
        },
        follow=True,
    )
    message = next(iter(response.context["messages"])).message
    password = message.split(": ")[1].split(" ")[0]
    assert (
        client.post("/akun/login/", {"login": "budi", "password": password}).status_code
        == 302
    )
    assert mail.outbox == []


def test_invite_existing_email_grants_role_without_new_account(koordinator, posdaya):
    existing = UserFactory(username="citra", email="citra@contoh.id")
    count = get_user_model().objects.count()
    client_for(koordinator).post(
        "/dasbor/induk/staf/",
        {
            "invite-email": "CITRA@contoh.id",
            "invite-username": "lain",
            "invite-role": "pengelola",
            "invite-posdaya": posdaya.pk,
        },
    )
    assert get_user_model().objects.count() == count
    assert existing.memberships.get().posdaya == posdaya


def test_invite_bad_input_shows_messages_and_changes_nothing(koordinator, posdaya):
    UserFactory(username="dipakai", email="x@contoh.id")
    client = client_for(koordinator)
    count = Membership.objects.count()
    cases = [
        (
            {
                "invite-email": "bukan-email",
                "invite-username": "ok",
                "invite-role": "petugas",
                "invite-posdaya": posdaya.pk,
            },
            "email",
        ),
        (
            {
                "invite-email": "a@contoh.id",
                "invite-username": "ok",
                "invite-role": "petugas",
            },
            "Pilih POSDAYA",
        ),
        (
            {
                "invite-email": "b@contoh.id",
                "invite-username": "dipakai",
                "invite-role": "petugas",
                "invite-posdaya": posdaya.pk,
            },
            "sudah dipakai",
        ),
        (
            {
                "invite-email": "c@contoh.id",
                "invite-username": "a b",
                "invite-role": "petugas",
                "invite-posdaya": posdaya.pk,
            },
            "Gunakan 3",
        ),
        (
            {
                "invite-email": "d@contoh.id",
                "invite-username": "ok",
                "invite-role": "raja",
                "invite-posdaya": posdaya.pk,
            },
            "Pilih",
        ),
        (
            {
                "invite-email": "e@contoh.id",
                "invite-username": "ok",
                "invite-role": "petugas",
                "invite-posdaya": "999999",
            },
            "Pilih",
        ),
    ]
    for data, expected in cases:
        response = client.post("/dasbor/induk/staf/", data)
        assert response.status_code == 200, data
        assert expected in response.content.decode(), data
    assert Membership.objects.count() == count
    assert not get_user_model().objects.filter(username="ok").exists()


def test_grant_and_revoke_role_audited(koordinator, posdaya, shopper):
    client = client_for(koordinator)
    response = client.post(
        "/dasbor/induk/staf/",
        {
            "grant-user": "pembeli",
            "grant-role": "pengelola",
            "grant-posdaya": posdaya.pk,
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=shopper)
    again = client.post(
        "/dasbor/induk/staf/",
        {
            "grant-user": "pembeli",
            "grant-role": "pengelola",
            "grant-posdaya": posdaya.pk,
        },
    )
    assert "sudah memegang peran ini" in again.content.decode()
    client.post(f"/dasbor/induk/staf/{membership.pk}/cabut/")
    assert not Membership.objects.filter(user=shopper).exists()
    assert list(
        AuditLog.objects.order_by("id").values_list("action", "before", "after")
    ) == [
        ("role_granted", None, {"user": "pembeli", "role": "pengelola"}),
        ("role_revoked", {"user": "pembeli", "role": "pengelola"}, None),
    ]


def test_koordinator_can_grant_koordinator_but_last_cannot_be_revoked(
    koordinator, shopper
):
    client = client_for(koordinator)
    client.post(
        "/dasbor/induk/staf/", {"grant-user": "pembeli", "grant-role": "koordinator"}
    )
    assert Membership.objects.filter(role="koordinator").count() == 2
    shopper_role = Membership.objects.get(user=shopper)
    client.post(f"/dasbor/induk/staf/{shopper_role.pk}/cabut/")
    own = Membership.objects.get(user=koordinator)
    response = client.post(f"/dasbor/induk/staf/{own.pk}/cabut/", follow=True)
    assert "Koordinator terakhir" in response.content.decode()
    assert Membership.objects.filter(role="koordinator").count() == 1


def test_pengelola_sees_own_staff_only(
    posdaya, other_posdaya, pengelola, petugas, other_petugas
):
    html = client_for(pengelola).get(f"/dasbor/{posdaya.slug}/staf/").content.decode()
    assert "petugas" in html and "pengelola" in html
    assert "petugas-lain" not in html


def test_deactivate_posdaya_hides_it_keeps_data(
    koordinator, posdaya, pengelola, client
):
    staff = client_for(koordinator)
    staff.post(f"/dasbor/induk/posdaya/{posdaya.slug}/status/", {"active": "0"})
    assert Posdaya.objects.get(pk=posdaya.pk).is_active is False
    assert client.get("/posdaya/bahagia/").status_code == 404
    assert client_for(pengelola).get("/dasbor/bahagia/").status_code == 200
    staff.post(f"/dasbor/induk/posdaya/{posdaya.slug}/status/", {"active": "1"})
    assert client.get("/posdaya/bahagia/").status_code == 200
    assert list(AuditLog.objects.order_by("id").values_list("before", "after")) == [
        ({"is_active": True}, {"is_active": False}),
        ({"is_active": False}, {"is_active": True}),
    ]


def png_upload(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def profile_data(**overrides):
    data = {
        "name": "POSDAYA Bahagia Sejahtera",
        "rw": "07",
        "address": "Komplek Pondok Ungu Permai",
        "profile": "Kami membuat tas.",
        "whatsapp": "0813-1111-2222",
        "weighing_days": ["5", "6"],
    }
    data.update(overrides)
    return data


def test_pengelola_edits_profile_with_photo_and_audit(posdaya, pengelola, client):
    response = client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/profil/", {**profile_data(), "photo": png_upload()}
    )
    assert response.status_code == 302
    posdaya.refresh_from_db()
    assert (posdaya.name, posdaya.whatsapp, posdaya.weighing_days) == (
        "POSDAYA Bahagia Sejahtera",
        "6281311112222",
        [5, 6],
    )
    assert posdaya.photo.name.endswith(".webp")
    entry = AuditLog.objects.get()
    assert entry.before == {
        "address": "Jl. Uji No. 1, Kel. Bahagia",
        "name": "POSDAYA Bahagia",
        "profile": "POSDAYA untuk pengujian.",
        "whatsapp": "6281234567890",
    }
    assert entry.after["whatsapp"] == "6281311112222"
    assert "Bahagia Sejahtera" in client.get("/posdaya/bahagia/").content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"whatsapp": "021-555"}, "Nomor WhatsApp tidak valid"),
        ({"rw": "tujuh"}, "RW berupa angka"),
        ({"weighing_days": ["9"]}, "Masukkan pilihan yang valid"),
        ({"name": "POSDAYA Flamboyan"}, "sudah dipakai POSDAYA lain"),
        (
            {
                "photo": SimpleUploadedFile(
                    "x.jpg", b"bukan foto", content_type="image/jpeg"
                )
            },
            "bukan foto",
        ),
    ],
)
def test_profile_bad_input(posdaya, other_posdaya, pengelola, overrides, message):
    response = client_for(pengelola).post(
        f"/dasbor/{posdaya.slug}/profil/", profile_data(**overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Posdaya.objects.get(pk=posdaya.pk).name == "POSDAYA Bahagia"
    assert AuditLog.objects.count() == 0


def test_audit_log_filters(koordinator, posdaya, other_posdaya):
    other = make_koordinator(username="koordinator2")
    client = client_for(koordinator)
    client.post(f"/dasbor/induk/posdaya/{posdaya.slug}/status/", {"active": "0"})
    client_for(other).post(
        f"/dasbor/induk/posdaya/{other_posdaya.slug}/status/", {"active": "0"}
    )
    MembershipFactory(posdaya=posdaya)  # not through a service: not audited
    response = client.get("/dasbor/induk/audit/")
    assert len(response.context["entries"]) == 2
    response = client.get("/dasbor/induk/audit/", {"posdaya": other_posdaya.pk})
    assert [e.posdaya for e in response.context["entries"]] == [other_posdaya]
    response = client.get("/dasbor/induk/audit/", {"actor": "koordinator2"})
    assert [e.actor for e in response.context["entries"]] == [other]
    response = client.get("/dasbor/induk/audit/", {"action": "payout"})
    assert list(response.context["entries"]) == []
    bad = client.get(
        "/dasbor/induk/audit/", {"date_from": "2026-02-30", "action": "zzz"}
    )
    assert bad.status_code == 200
    assert list(bad.context["entries"]) == []
    swapped = client.get(
        "/dasbor/induk/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert "Tanggal awal harus sebelum tanggal akhir" in swapped.content.decode()


def flashed(response) -> list[str]:
    return [m.message for m in response.context["messages"]]


def test_staff_page_answers_each_form_with_its_message(koordinator, posdaya, shopper):
    client = client_for(koordinator)
    page = client.get("/dasbor/induk/staf/")
    assert page.context["invite_form"].prefix == "invite"
    assert page.context["grant_form"].prefix == "grant"
    granted = client.post(
        "/dasbor/induk/staf/",
        {"grant-user": "pembeli", "grant-role": "petugas", "grant-posdaya": posdaya.pk},
        follow=True,
    )
    assert granted.redirect_chain == [("/dasbor/induk/staf/", 302)]
    assert flashed(granted) == ["Peran diberikan kepada pembeli."]
    invited = client.post(
        "/dasbor/induk/staf/",
        {
            "invite-email": "dewi@contoh.id",
            "invite-username": "dewi",
            "invite-role": "petugas",
            "invite-posdaya": posdaya.pk,
        },
        follow=True,
    )
    assert flashed(invited) == ["Undangan dikirim ke dewi@contoh.id."]
    refused = client.post(
        "/dasbor/induk/staf/",
        {"grant-user": "pembeli", "grant-role": "petugas", "grant-posdaya": posdaya.pk},
    )
    assert refused.status_code == 200
    assert refused.context["grant_form"].non_field_errors() == [
        "pembeli sudah memegang peran ini."
    ]
    assert refused.context["invite_form"].is_bound is False
    membership = Membership.objects.get(user=shopper)
    revoked = client.post(f"/dasbor/induk/staf/{membership.pk}/cabut/", follow=True)
    assert revoked.redirect_chain == [("/dasbor/induk/staf/", 302)]
    assert flashed(revoked) == ["Peran Petugas bank sampah dicabut dari pembeli."]
    assert client.get(f"/dasbor/induk/staf/{membership.pk}/cabut/").status_code == 405
    assert client.post(f"/dasbor/induk/staf/{membership.pk}/cabut/").status_code == 404


def test_posdaya_active_button_messages(koordinator, posdaya):
    client = client_for(koordinator)
    url = f"/dasbor/induk/posdaya/{posdaya.slug}/status/"
    closed = client.post(url, {"active": "0"}, follow=True)
    assert closed.redirect_chain == [("/dasbor/induk/posdaya/", 302)]
    assert flashed(closed) == [
        "POSDAYA Bahagia dinonaktifkan: produknya tidak tampil lagi."
    ]
    opened = client.post(url, {"active": "1"}, follow=True)
    assert flashed(opened) == ["POSDAYA Bahagia aktif kembali."]
    assert client.post("/dasbor/induk/posdaya/tidak-ada/status/").status_code == 404


def test_profile_form_shows_the_current_profile_and_saves(posdaya, pengelola):
    client = client_for(pengelola)
    form = client.get(f"/dasbor/{posdaya.slug}/profil/").context["form"]
    assert form["name"].value() == "POSDAYA Bahagia"
    assert form["weighing_days"].value() == posdaya.weighing_days
    saved = client.post(f"/dasbor/{posdaya.slug}/profil/", profile_data(), follow=True)
    assert saved.redirect_chain == [(f"/dasbor/{posdaya.slug}/profil/", 302)]
    assert flashed(saved) == ["Profil POSDAYA disimpan."]
