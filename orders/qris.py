"""QRIS: read the induk's static code, build a per-order code with the amount.

QRIS is Indonesia's national profile of the EMVCo merchant-presented QR code
(MPM): a string of TLV fields, each a two-digit tag, a two-digit length and
the value. The induk prints one static code on its sticker (point of
initiation "11", no amount); for an order we copy it, mark it dynamic ("12"),
put the exact amount in tag 54 and recompute the CRC in tag 63, so the
shopper's e-wallet or bank app fills in the amount by itself. No network, no
gateway: the money goes to the induk's own merchant account.

Pure functions, no database: `parse_qris` validates (raising `QrisError` with
a message naming what is wrong), `dynamic_payload` builds the order's code,
`qr_svg` draws it, `decode_image` reads a photo of a sticker.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pasar.errors import DomainError

QRIS_GUI = "ID.CO.QRIS.WWW"
STATIC, DYNAMIC = "11", "12"
MERCHANT_ACCOUNT_TAGS = range(26, 52)  # 26–51
NATIONAL_TAG = "51"
# Tip or convenience fee prompts (55, 56, 57) would let the amount change.
FEE_TAGS = ("55", "56", "57")
# Tags the order's code sets itself.
ORDER_TAGS = ("01", "54", *FEE_TAGS, "63")
MAX_AMOUNT = 9_999_999_999_999  # tag 54 holds at most 13 characters
BILL_NUMBER_MAX = 25


class QrisError(DomainError):
    """A payload that is not a usable QRIS; the message says what is wrong."""


@dataclass(frozen=True)
class Qris:
    """A validated QRIS payload and the fields shown to people."""

    payload: str
    fields: dict[str, str]
    merchant_name: str
    merchant_city: str

    @property
    def is_static(self) -> bool:
        return self.fields.get("01", STATIC) == STATIC


def crc16_ccitt_false(data: bytes) -> int:
    """Return CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of `data`."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def crc_of(body: str) -> str:
    """Return tag 63's value for `body`, which ends with "6304"."""
    return f"{crc16_ccitt_false(body.encode('utf-8')):04X}"


def iter_tlv(text: str) -> Iterator[tuple[str, str]]:
    """Yield (tag, value) pairs of a TLV string; QrisError if it is malformed."""
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not head.isdigit() or not head.isascii():
            raise QrisError(
                _(
                    "Struktur QRIS rusak di karakter ke-%(pos)s: setiap bagian "
                    "harus diawali 2 angka tag dan 2 angka panjang."
                )
                % {"pos": pos + 1}
            )
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise QrisError(
                _(
                    "Struktur QRIS rusak: tag %(tag)s menyebut panjang %(length)s, "
                    "tetapi isinya terpotong."
                )
                % {"tag": tag, "length": length}
            )
        yield tag, value
        pos += 4 + length


def tlv(tag: str, value: str) -> str:
    """Return one TLV field."""
    return f"{tag}{len(value):02d}{value}"


def _read_fields(payload: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for tag, value in iter_tlv(payload):
        if tag in fields:
            raise QrisError(
                _("Struktur QRIS rusak: tag %(tag)s muncul dua kali.") % {"tag": tag}
            )
        fields[tag] = value
    return fields


def _has_qris_account(fields: dict[str, str]) -> bool:
    for number in MERCHANT_ACCOUNT_TAGS:
        tag = f"{number:02d}"
        if tag not in fields:
            continue
        try:
            sub = dict(iter_tlv(fields[tag]))
        except QrisError:
            raise QrisError(
                _("Informasi akun merchant (tag %(tag)s) rusak.") % {"tag": tag}
            ) from None
        gui = sub.get("00", "")
        if gui.upper() == QRIS_GUI or (tag == NATIONAL_TAG and gui):
            return True
    return False


def parse_qris(text: str) -> Qris:
    """Validate a QRIS payload (EMVCo MPM) and return it; QrisError names the fault.

    Checked: the TLV structure, tag 00 first ("01"), the point of initiation,
    a QRIS merchant account (tags 26–51 with ID.CO.QRIS.WWW, or a national
    one in 51), currency 360, country ID, the merchant's name and city, and
    tag 63 last holding the CRC-16/CCITT-FALSE of everything before it.
    """
    payload = (text or "").strip()
    if not payload:
        raise QrisError(_("Isi QRIS kosong. Tempel teks QRIS atau unggah fotonya."))
    fields = _read_fields(payload)
    if not payload.startswith("000201"):
        raise QrisError(
            _("Bukan kode QRIS: harus diawali tag 00 bernilai 01 (000201).")
        )
    if "63" not in fields:
        raise QrisError(_("CRC (tag 63) tidak ada di akhir kode QRIS."))
    if not payload.endswith(tlv("63", fields["63"])) or len(fields["63"]) != 4:
        raise QrisError(_("CRC (tag 63) harus bagian terakhir, 4 karakter."))
    expected = crc_of(payload[:-4])
    if fields["63"].upper() != expected:
        raise QrisError(
            _(
                "CRC tidak cocok: tertulis %(given)s, seharusnya %(expected)s. "
                "Kode QRIS salah salin atau sudah diubah."
            )
            % {"given": fields["63"], "expected": expected}
        )
    if fields.get("01", STATIC) not in (STATIC, DYNAMIC):
        raise QrisError(
            _("Point of initiation (tag 01) harus 11 (statis) atau 12 (dinamis).")
        )
    if not _has_qris_account(fields):
        raise QrisError(
            _(
                "Bukan QRIS: tidak ada informasi akun merchant QRIS "
                "(tag 26–51 dengan ID.CO.QRIS.WWW)."
            )
        )
    if fields.get("53") != "360":
        raise QrisError(
            _("Mata uang (tag 53) harus 360 (Rupiah), tertulis %(value)s.")
            % {"value": fields.get("53") or _("tidak ada")}
        )
    if fields.get("58") != "ID":
        raise QrisError(
            _("Kode negara (tag 58) harus ID, tertulis %(value)s.")
            % {"value": fields.get("58") or _("tidak ada")}
        )
    name, city = fields.get("59", "").strip(), fields.get("60", "").strip()
    if not name:
        raise QrisError(_("Nama merchant (tag 59) tidak ada."))
    if not city:
        raise QrisError(_("Kota merchant (tag 60) tidak ada."))
    return Qris(payload=payload, fields=fields, merchant_name=name, merchant_city=city)


def _with_bill_number(additional: str, reference: str) -> str:
    """Return tag 62's value with sub-tag 01 (bill number) set to `reference`."""
    try:
        sub = dict(iter_tlv(additional))
    except QrisError:
        return additional  # the acquirer's own layout: leave it untouched
    sub["01"] = reference[:BILL_NUMBER_MAX]
    return "".join(tlv(tag, sub[tag]) for tag in sorted(sub))


def dynamic_payload(static: str, amount: int, reference: str = "") -> str:
    """Return the order's QRIS: `static` made dynamic with the exact `amount`.

    Point of initiation "12", tag 54 the amount in whole Rupiah, tip and fee
    prompts (55–57) removed so the shopper cannot change the amount, the
    order code as bill number (tag 62, sub-tag 01) when `reference` is given,
    the other fields kept in order, the CRC recomputed.
    """
    if not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise QrisError(_("Jumlah QRIS harus lebih dari Rp 0."))
    fields = dict(parse_qris(static).fields)
    if reference:
        fields["62"] = _with_bill_number(fields.get("62", ""), reference)
        fields = dict(sorted(fields.items()))
    out = {"00": fields["00"], "01": DYNAMIC}
    for tag, value in fields.items():
        if tag in out or tag in ORDER_TAGS:
            continue
        if tag > "53" and "54" not in out:
            out["54"] = str(amount)
        out[tag] = value
    out.setdefault("54", str(amount))
    body = "".join(tlv(tag, value) for tag, value in out.items()) + "6304"
    return body + crc_of(body)


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """Return an inline SVG of the QR code (no script, no style attribute)."""
    import segno

    code = segno.make(payload, error="m", micro=False)
    return code.svg_inline(scale=scale, border=4, dark="#000", light="#fff")


def qr_png(payload: str, *, scale: int = 4) -> bytes:
    """Return the QR code as PNG bytes (for tests and readers)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        buffer, kind="png", scale=scale, border=4
    )
    return buffer.getvalue()


def decode_image(image) -> str:
    """Return the text of the first QR code in a PIL image; QrisError if none."""
    import zxingcpp

    try:
        results = zxingcpp.read_barcodes(
            image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode
        )
    except Exception as error:  # the reader raises on odd inputs
        raise QrisError(_("Foto tidak bisa dibaca sebagai kode QR.")) from error
    texts = [r.text for r in results if r.valid and r.text]
    if not texts:
        raise QrisError(
            _(
                "Tidak ada kode QR yang terbaca di foto ini. Foto ulang stiker "
                "QRIS dari dekat, tegak lurus dan terang, atau tempel teksnya."
            )
        )
    return texts[0]
