"""The koordinator's QRIS page: paste or photo, validated, audited, induk only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from orders.models import IndukQris
from pasar.models import AuditLog

from ..conftest import KOORDINATOR_ONLY, assert_denied, client_for, status_matrix
from .qris_data import INDUK, PUBLISHED, png_bytes, sticker_png, with_crc

pytestmark = pytest.mark.django_db

URL = "/dasbor/induk/qris/"


def state():
    return (
        list(IndukQris.objects.values_list("payload", flat=True)),
        AuditLog.objects.count(),
    )


def photo(data: bytes, name="stiker.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_only_the_koordinator_opens_the_page(actors):
    assert status_matrix(actors, URL) == KOORDINATOR_ONLY


def test_no_one_else_can_set_the_qris(actors):
    assert_denied(actors, URL, state, data={"payload": INDUK})
    assert state() == ([], 0)


def test_the_menu_links_the_page_for_the_koordinator_only(koordinator, pengelola):
    assert URL in client_for(koordinator).get("/dasbor/").content.decode()
    assert URL not in client_for(pengelola).get("/dasbor/").content.decode()


def test_pasting_a_valid_static_qris_stores_and_audits_it(koordinator):
    client = client_for(koordinator)
    assert "Belum ada QRIS induk" in client.get(URL).content.decode()
    response = client.post(URL, {"payload": f"  {INDUK}\n"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    page = response.content.decode()
    assert "QRIS induk disimpan: POSDAYA INDUK BAHAGIA, BEKASI." in page
    assert "data-current-qris" in page
    entry = IndukQris.objects.get()
    assert (entry.payload, entry.merchant_name, entry.merchant_city, entry.by) == (
        INDUK,
        "POSDAYA INDUK BAHAGIA",
        "BEKASI",
        koordinator,
    )
    audit = AuditLog.objects.get()
    assert (audit.action, audit.actor, audit.target_repr, audit.before) == (
        "other",
        koordinator,
        "POSDAYA INDUK BAHAGIA (BEKASI)",
        None,
    )
    assert audit.after == {"merchant": "POSDAYA INDUK BAHAGIA", "payload": INDUK}
    assert audit.note == "QRIS induk diganti."


def test_a_new_qris_replaces_the_old_and_the_audit_keeps_both(koordinator):
    client = client_for(koordinator)
    client.post(URL, {"payload": INDUK})
    other = with_crc(INDUK[:-8].replace("6006BEKASI", "6007BABELAN"))
    client.post(URL, {"payload": other})
    assert IndukQris.objects.latest().merchant_city == "BABELAN"
    last = AuditLog.objects.order_by("-id").first()
    assert last.before == {"merchant": "POSDAYA INDUK BAHAGIA", "payload": INDUK}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "Tempel teks QRIS atau unggah foto stiker QRIS."),
        (INDUK[:-4] + "FFFF", "CRC tidak cocok: tertulis FFFF"),
        ("halo", "Struktur QRIS rusak di karakter ke-1"),
        (PUBLISHED, "Ini QRIS dinamis (untuk satu pembayaran)."),
        ("0" * 600, "Teks QRIS terlalu panjang (maks. 512)."),
    ],
)
def test_a_bad_payload_is_refused_with_its_reason(koordinator, payload, message):
    response = client_for(koordinator).post(URL, {"payload": payload})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["payload"]
    assert errors["payload"][0].startswith(message)
    assert message in response.content.decode()
    assert state() == ([], 0)


def test_a_photo_of_the_sticker_is_read_on_the_server(koordinator):
    response = client_for(koordinator).post(
        URL, {"payload": "", "photo": photo(sticker_png())}
    )
    assert response.status_code == 302
    assert IndukQris.objects.get().payload == INDUK


def test_the_photo_wins_over_pasted_text(koordinator):
    client_for(koordinator).post(URL, {"payload": "x", "photo": photo(sticker_png())})
    assert IndukQris.objects.get().payload == INDUK


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            photo(png_bytes()),
            "Tidak ada kode QR yang terbaca di foto ini. Foto ulang stiker QRIS "
            "dari dekat, tegak lurus dan terang, atau tempel teksnya.",
        ),
        (
            photo(b"bukan foto sama sekali", name="stiker.jpg"),
            "Berkas ini bukan foto yang bisa dibaca. Gunakan JPEG, PNG atau WebP.",
        ),
        (
            photo(b"GIF89a" + b"\0" * 40, name="stiker.gif", content_type="image/gif"),
            "Berkas ini bukan foto yang bisa dibaca. Gunakan JPEG, PNG atau WebP.",
        ),
    ],
)
def test_an_unreadable_photo_is_refused(koordinator, upload, message):
    response = client_for(koordinator).post(URL, {"payload": "", "photo": upload})
    assert response.status_code == 200
    assert response.context["form"].errors == {"photo": [message]}
    assert state() == ([], 0)


def test_a_photo_of_some_other_qr_code_is_refused(koordinator):
    from orders.qris import qr_png

    response = client_for(koordinator).post(
        URL, {"photo": photo(qr_png("https://contoh.id/"))}
    )
    assert response.context["form"].errors == {
        "payload": [
            "Struktur QRIS rusak di karakter ke-1: setiap bagian harus diawali "
            "2 angka tag dan 2 angka panjang."
        ]
    }
    assert state() == ([], 0)


def test_a_phone_photo_tilted_and_compressed_is_read(koordinator):
    import io

    from PIL import Image

    sticker = Image.open(io.BytesIO(sticker_png())).convert("RGB")
    scene = Image.new("RGB", (900, 700), (185, 170, 150))  # a wall behind it
    scene.paste(sticker.rotate(8, expand=True, fillcolor=(185, 170, 150)), (180, 90))
    buffer = io.BytesIO()
    scene.save(buffer, format="JPEG", quality=70)
    upload = photo(buffer.getvalue(), name="IMG_2026.jpg", content_type="image/jpeg")
    response = client_for(koordinator).post(URL, {"photo": upload})
    assert response.status_code == 302
    assert IndukQris.objects.get().payload == INDUK
