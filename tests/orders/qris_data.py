"""QRIS payloads for the tests: the induk's made-up sticker, a published one."""

import io

from orders.qris import crc_of, qr_png, tlv


def with_crc(body: str) -> str:
    """Close a payload with tag 63 holding its CRC."""
    return body + "6304" + crc_of(body + "6304")


def induk_static(*, extra: str = "") -> str:
    """A static QRIS like the induk's sticker (a made-up NMID)."""
    return with_crc(
        tlv("00", "01")
        + tlv("01", "11")
        + tlv("26", tlv("00", "ID.CO.BANKBJB.WWW") + tlv("01", "9360011000001234"))
        + tlv("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID1026123456789"))
        + tlv("52", "5999")
        + tlv("53", "360")
        + extra
        + tlv("58", "ID")
        + tlv("59", "POSDAYA INDUK BAHAGIA")
        + tlv("60", "BEKASI")
        + tlv("61", "17610")
    )


INDUK = induk_static()

# A dynamic QRIS published in a payment gateway's documentation, CRC A079.
PUBLISHED = (
    "00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303"
    "UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME520479295303360540910000"
    "3.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q4"
    "6304A079"
)


def sticker_png(payload: str = INDUK) -> bytes:
    """A photo-like PNG of the sticker: the code drawn large on white."""
    return qr_png(payload, scale=6)


def png_bytes(size=(80, 60), color=(30, 120, 60)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def svg_to_image(svg: str):
    """Draw segno's inline SVG (one path of horizontal runs) as a PIL image.

    A phone-style read of the very picture the page shows: the dark path's
    `M x y`, `m dx dy` and `h n` commands paint whole modules, then zxing-cpp
    reads the result.
    """
    import re

    from PIL import Image

    size = int(re.search(r'width="(\d+)"', svg).group(1))
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    path = re.search(r'class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    modules = size // scale
    image = Image.new("L", (modules, modules), 255)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x + float(a))):
                image.putpixel((column, int(y)), 0)
            x += float(a)
    return image.resize((modules * 6, modules * 6), Image.NEAREST)
