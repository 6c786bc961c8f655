"""The QRIS module: CRC, parsing, the dynamic code with the amount, the picture."""

import io
import re

import pytest
from PIL import Image

from orders import qris
from orders.qris import QrisError, crc_of, dynamic_payload, parse_qris, tlv

from .qris_data import INDUK, PUBLISHED, induk_static, with_crc


def test_crc_is_ccitt_false():
    # The catalogue's check value of CRC-16/CCITT-FALSE.
    assert qris.crc16_ccitt_false(b"123456789") == 0x29B1
    assert crc_of(PUBLISHED[:-4]) == "A079"


def test_a_published_qris_is_valid():
    code = parse_qris(PUBLISHED)
    assert (code.merchant_name, code.merchant_city, code.is_static) == (
        "Pakasir",
        "KAB. KEBUMEN",
        False,
    )
    assert code.fields["54"] == "100003.00"
    assert code.fields["63"] == "A079"


def test_the_order_code_carries_the_amount_and_every_other_tag():
    payload = dynamic_payload(INDUK, 125_003)
    code = parse_qris(payload)  # a valid QRIS, CRC included
    assert code.fields == {
        "00": "01",
        "01": "12",
        "26": "0017ID.CO.BANKBJB.WWW01169360011000001234",
        "51": "0014ID.CO.QRIS.WWW0215ID1026123456789",
        "52": "5999",
        "53": "360",
        "54": "125003",
        "58": "ID",
        "59": "POSDAYA INDUK BAHAGIA",
        "60": "BEKASI",
        "61": "17610",
        "63": crc_of(payload[:-4]),
    }
    assert list(code.fields) == sorted(code.fields)  # tags stay in order
    assert payload.endswith("6304" + code.fields["63"])
    assert "5406125003" in payload


def test_tip_prompts_are_dropped_so_the_amount_cannot_change():
    static = induk_static(extra=tlv("55", "02") + tlv("56", "1000"))
    code = parse_qris(dynamic_payload(static, 20_000))
    assert ("55" in code.fields, "56" in code.fields) == (False, False)
    assert code.fields["54"] == "20000"


def test_an_old_amount_is_replaced():
    code = parse_qris(dynamic_payload(PUBLISHED, 7_500))
    assert code.fields["54"] == "7500"
    assert code.fields["62"] == "0519SP25RZRATEQI2HQ65Q4"


def test_the_order_code_goes_in_as_bill_number():
    code = parse_qris(dynamic_payload(INDUK, 9_000, reference="PB-2612-7KQ3"))
    assert code.fields["62"] == "0112PB-2612-7KQ3"
    assert list(code.fields) == sorted(code.fields)
    # Beside what the acquirer put in tag 62 already (05: reference label).
    code = parse_qris(dynamic_payload(PUBLISHED, 9_000, reference="PB-2612-7KQ3"))
    assert code.fields["62"] == "0112PB-2612-7KQ30519SP25RZRATEQI2HQ65Q4"


@pytest.mark.parametrize("amount", [0, -5, 10**13])
def test_amount_must_be_positive_and_fit(amount):
    with pytest.raises(QrisError, match="lebih dari Rp 0"):
        dynamic_payload(INDUK, amount)


def _replace(tag: str, value: str | None) -> str:
    """INDUK with `tag` set to `value` (None: removed), CRC recomputed."""
    fields = dict(qris.iter_tlv(INDUK[:-8]))
    if value is None:
        fields.pop(tag)
    else:
        fields[tag] = value
    return with_crc("".join(tlv(t, v) for t, v in fields.items()))


BAD = [
    ("", "Isi QRIS kosong. Tempel teks QRIS atau unggah fotonya."),
    (
        "https://contoh.id/bayar",
        "Struktur QRIS rusak di karakter ke-1: setiap bagian harus diawali 2 "
        "angka tag dan 2 angka panjang.",
    ),
    (
        INDUK[:40],
        "Struktur QRIS rusak: tag 26 menyebut panjang 41, tetapi isinya terpotong.",
    ),
    (INDUK[:-8], "CRC (tag 63) tidak ada di akhir kode QRIS."),
    (
        INDUK[:-4] + "0000",
        f"CRC tidak cocok: tertulis 0000, seharusnya {crc_of(INDUK[:-4])}. "
        "Kode QRIS salah salin atau sudah diubah.",
    ),
    (
        with_crc("000201" + INDUK[6:-8].replace("5303360", "5303360" + tlv("53", "1"))),
        "Struktur QRIS rusak: tag 53 muncul dua kali.",
    ),
    (
        with_crc(tlv("00", "02") + INDUK[6:-8]),
        "Bukan kode QRIS: harus diawali tag 00 bernilai 01 (000201).",
    ),
    (
        _replace("01", "13"),
        "Point of initiation (tag 01) harus 11 (statis) atau 12 (dinamis).",
    ),
    (
        _replace("51", None),
        "Bukan QRIS: tidak ada informasi akun merchant QRIS (tag 26–51 dengan "
        "ID.CO.QRIS.WWW).",
    ),
    (_replace("51", "00xx"), "Informasi akun merchant (tag 51) rusak."),
    (
        _replace("53", "840"),
        "Mata uang (tag 53) harus 360 (Rupiah), tertulis 840.",
    ),
    (_replace("58", "SG"), "Kode negara (tag 58) harus ID, tertulis SG."),
    (_replace("58", None), "Kode negara (tag 58) harus ID, tertulis tidak ada."),
    (_replace("59", None), "Nama merchant (tag 59) tidak ada."),
    (_replace("60", " "), "Kota merchant (tag 60) tidak ada."),
]


@pytest.mark.parametrize(("payload", "message"), BAD)
def test_each_bad_payload_names_what_is_wrong(payload, message):
    with pytest.raises(QrisError) as caught:
        parse_qris(payload)
    assert caught.value.message == message


def test_a_national_account_in_51_without_the_qris_id_is_accepted():
    code = parse_qris(_replace("51", tlv("00", "ID.CO.BANKBJB.WWW")))
    assert code.merchant_name == "POSDAYA INDUK BAHAGIA"


def _read_png(data: bytes) -> str:
    return qris.decode_image(Image.open(io.BytesIO(data)))


def test_the_drawn_code_reads_back_as_the_payload():
    payload = dynamic_payload(INDUK, 125_003)
    assert _read_png(qris.qr_png(payload)) == payload
    assert parse_qris(_read_png(qris.qr_png(payload))).fields["54"] == "125003"


def test_the_svg_is_inline_and_csp_safe():
    svg = qris.qr_svg(dynamic_payload(INDUK, 125_003))
    assert svg.startswith('<svg width="')
    assert re.search(r"<script|style=|javascript:|<\?xml", svg) is None


def test_a_picture_without_a_code_is_refused():
    with pytest.raises(QrisError) as caught:
        qris.decode_image(Image.new("RGB", (120, 120), "white"))
    assert caught.value.message.startswith("Tidak ada kode QR yang terbaca")


def test_the_demo_qris_is_valid_and_static():
    from orders.demo import demo_qris

    code = parse_qris(demo_qris())
    assert (code.merchant_name, code.is_static) == ("POSDAYA INDUK DEMO", True)
