"""PDF proofs of transfer are parsed (pypdf), not scanned for byte patterns.

Each hostile PDF below is built with pypdf (or by hand where pypdf cannot
write the trick) and is a well-formed document a viewer would open. The old
byte filter let the name-escaped, the escaped /Launch and the compressed
object-stream ones through.
"""

import io
import secrets
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from orders.models import PaymentProof
from orders.services import place_order
from pasar.uploads import clean_pdf

from ..factories import ProductFactory

ACTIVE = (
    "PDF ini berisi JavaScript, tindakan otomatis, lampiran atau formulir dan "
    "ditolak. Kirim tangkapan layar bukti transfer sebagai gantinya."
)
BROKEN = "Berkas PDF ini rusak atau tidak bisa dibaca."


class EscapedName(NameObject):
    """A name written with its second character as a #xx escape (/J#61vaScript)."""

    def write_to_stream(self, stream, encryption_key=None):
        stream.write(
            b"/" + self[1:2].encode() + b"#%02X" % ord(self[2]) + self[3:].encode()
        )


def pdf_bytes(build=None):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if build is not None:
        build(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def javascript_action(name=NameObject, key=NameObject):
    return DictionaryObject(
        {
            NameObject("/S"): name("/JavaScript"),
            key("/JS"): TextStringObject("app.alert(1)"),
        }
    )


def names_javascript(writer):
    """Document-level JavaScript through the /Names tree, every name escaped."""
    action = writer._add_object(javascript_action(EscapedName, EscapedName))
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("a"), action])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {EscapedName("/JavaScript"): writer._add_object(tree)}
    )


def link_annotation(action):
    def build(writer):
        writer.pages[0][NameObject("/Annots")] = ArrayObject(
            [
                writer._add_object(
                    DictionaryObject(
                        {
                            NameObject("/Type"): NameObject("/Annot"),
                            NameObject("/Subtype"): NameObject("/Link"),
                            NameObject("/Rect"): ArrayObject(
                                [NumberObject(0), NumberObject(0)] * 2
                            ),
                            NameObject("/A"): action,
                        }
                    )
                )
            ]
        )

    return build


def launch(name):
    return DictionaryObject(
        {
            NameObject("/S"): name("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )


def open_action(writer):
    page = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page, NameObject("/Fit")]
    )


def page_additional_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): javascript_action()}
    )


def embedded_file(writer):
    writer.add_attachment("bukti.exe", b"MZ\x90\x00")


def acroform(writer):
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject()}
    )


def object_stream_pdf():
    """Catalog and a JavaScript action inside a Flate-compressed /ObjStm.

    pypdf writes no object streams, so this one is laid out by hand, with a
    cross-reference stream as PDF 1.5 requires.
    """
    packed = {
        1: b"<</Type/Catalog/Pages 2 0 R/Names<</JavaScript<</Names[(a)4 0 R]>>>>>>",
        4: b"<</S/JavaScript/JS(app.alert(1))>>",
    }
    header, body = b"", b""
    for number, data in packed.items():
        header += b"%d %d " % (number, len(body))
        body += data + b" "
    stream = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}

    def obj(number, text):
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + text + b"\nendobj\n")

    obj(2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>")
    obj(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>")
    obj(
        5,
        b"<</Type/ObjStm/N 2/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
        % (len(header), len(stream))
        + stream
        + b"\nendstream",
    )
    offsets[6] = len(out)
    entries = {0: (0, 0, 65535), 1: (2, 5, 0), 4: (2, 5, 1)}
    entries.update({n: (1, offsets[n], 0) for n in (2, 3, 5, 6)})
    table = b"".join(struct.pack(">BIH", *entries[n]) for n in range(7))
    out.extend(
        b"6 0 obj\n<</Type/XRef/Size 7/Root 1 0 R/W[1 4 2]/Length %d>>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    )
    return bytes(out)


HOSTILE = {
    "javascript-name-escaped": pdf_bytes(names_javascript),
    "javascript-in-object-stream": object_stream_pdf(),
    "launch": pdf_bytes(link_annotation(launch(NameObject))),
    "launch-name-escaped": pdf_bytes(link_annotation(launch(EscapedName))),
    "open-action": pdf_bytes(open_action),
    "additional-action": pdf_bytes(page_additional_action),
    "embedded-file": pdf_bytes(embedded_file),
    "acroform": pdf_bytes(acroform),
}
# The bypasses of the old filter: none of the plain names appear in the bytes.
BYPASSES = (
    "javascript-name-escaped",
    "javascript-in-object-stream",
    "launch-name-escaped",
)


def upload(data, name="bukti.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_crafted_pdfs_are_real_documents():
    for key, data in HOSTILE.items():
        reader = PdfReader(io.BytesIO(data), strict=True)
        assert len(reader.pages) == 1, key
    assert (
        PdfReader(io.BytesIO(HOSTILE["javascript-in-object-stream"]))
        .trailer["/Root"]["/Names"]["/JavaScript"]["/Names"][1]
        .get_object()["/S"]
        == "/JavaScript"
    )
    for key in BYPASSES:
        lowered = HOSTILE[key].lower()
        assert b"/javascript" not in lowered and b"/launch" not in lowered, key


@pytest.mark.parametrize("key", HOSTILE)
def test_active_pdf_is_refused(key):
    with pytest.raises(ValidationError) as error:
        clean_pdf(upload(HOSTILE[key]))
    assert error.value.code == "active_content"
    assert error.value.messages == [ACTIVE]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\ninilah bukan pdf sama sekali\n%%EOF\n",
        pdf_bytes()[:-200] + b"\n%%EOF\n",
        b"%PDF-1.7\n" + b"9 0 obj\n<</Kids[9 0 R]>>\nendobj\n" + b"%%EOF\n",
    ],
    ids=["garbage", "truncated", "no-catalog"],
)
def test_pdf_that_does_not_parse_is_refused(data):
    with pytest.raises(ValidationError) as error:
        clean_pdf(upload(data))
    assert error.value.code == "broken_pdf"
    assert error.value.messages == [BROKEN]


def test_clean_pdf_is_accepted_and_stored_as_a_rewritten_copy():
    def text(writer):
        writer.add_metadata({"/Title": "Bukti transfer"})

    stored = clean_pdf(upload(pdf_bytes(text)))
    assert stored.name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(stored.read()), strict=True)
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Bukti transfer"


@pytest.fixture
def order(posdaya):
    product = ProductFactory(posdaya=posdaya, price=25000, stock=5)
    return place_order(
        quantities={product.pk: 1},
        customer=None,
        name="Budi",
        phone="6281298765432",
        email="",
        delivery_method="ambil",
        address="",
        zone=None,
        payment_method="transfer",
        checkout_token=secrets.token_urlsafe(24),
    ).order


@pytest.mark.django_db
@pytest.mark.parametrize("key", BYPASSES)
def test_order_page_refuses_the_bypasses(key, client, order):
    response = client.post(
        f"/pesanan/{order.code}/bukti/",
        {"t": order.secret, "file": upload(HOSTILE[key])},
        follow=True,
    )
    assert response.status_code == 200
    assert ACTIVE in response.content.decode()
    assert PaymentProof.objects.count() == 0
