"""Safe handling of uploaded images (and PDF proofs of transfer).

An upload is trusted only after Pillow decodes it: the file name and the
browser's content type are ignored. Accepted images are re-encoded, which drops
EXIF (GPS included) and anything smuggled after the image data, and saved under a
random name.
"""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# Pixel caps per kind of upload, checked on the header before decoding: a small
# file can declare a huge picture, and decoding costs CPU and memory per pixel
# (7,740 × 7,740 is 7-10 s and ~600 MB). A proof of transfer is a phone
# screenshot or photo of a slip (at most about 4000 × 4000); product and POSDAYA
# photos come from phone cameras (a 40 Mpx photo is 7300 × 5470).
PROOF_MAX_PIXELS = 4000 * 4000
PRODUCT_PHOTO_MAX_PIXELS = 40_000_000
POSDAYA_PHOTO_MAX_PIXELS = 40_000_000
MAX_SIDE = 2400  # the stored "original" is resized to at most this
# Markup or server code hidden in an otherwise valid file (a "polyglot"): a browser
# sniffing the bytes, or a misconfigured server, could run it. Camera trailers
# (motion photos, maker notes) are binary and pass; re-encoding drops them anyway.
HIDDEN_CODE = (
    b"<?php",
    b"<?=",
    b"<script",
    b"<html",
    b"<!doctype",
    b"<svg",
    b"<iframe",
    b"<body",
    b"<object",
    b"<embed",
    b"javascript:",
)
# PDF names that make a document active: scripts, actions run on opening or on
# an event, launching or fetching other files, attachments, forms and media. A
# proof of transfer needs none of them. Checked on parsed names, so #xx escapes
# (/J#61vaScript) and compressed object streams hide nothing.
PDF_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/OpenAction",
        "/AA",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/FileAttachment",
        "/AcroForm",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/RichMedia",
        "/Sound",
        "/Movie",
        "/Rendition",
    }
)
# More objects than any receipt has; a bigger document costs parsing time.
PDF_MAX_OBJECTS = 20_000


@dataclass(frozen=True)
class Rendition:
    file: ContentFile
    width: int
    height: int


def _check_size(upload) -> None:
    limit = settings.PASAR_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s). Batasnya %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def _check_hidden_code(upload, signatures=HIDDEN_CODE) -> None:
    upload.seek(0)
    data = upload.read().lower()
    upload.seek(0)
    if any(signature in data for signature in signatures):
        raise ValidationError(
            _(
                "Berkas ini berisi kode tersembunyi (HTML, skrip atau PHP) dan "
                "ditolak. Simpan ulang fotonya lalu unggah lagi."
            ),
            code="hidden_code",
        )


def open_image(upload, *, max_pixels: int = PRODUCT_PHOTO_MAX_PIXELS) -> Image.Image:
    """Decode an uploaded image or raise ValidationError with the reason.

    The header is read first (`Image.open` decodes nothing); a picture of more
    than `max_pixels` is refused before `load()` decodes it.
    """
    _check_size(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("Format foto tidak didukung. Gunakan JPEG, PNG atau WebP."),
                    code="format",
                )
            if image.width * image.height > max_pixels:
                raise ValidationError(
                    _(
                        "Foto terlalu besar: %(w)s×%(h)s piksel. Batasnya "
                        "%(limit)s juta piksel; kecilkan atau potong fotonya "
                        "lalu unggah lagi."
                    )
                    % {
                        "w": image.width,
                        "h": image.height,
                        "limit": max_pixels // 1_000_000,
                    },
                    code="too_many_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("Ukuran foto terlalu besar untuk diproses."), code="bomb"
        ) from error
    except Exception as error:  # Pillow raises many types for a broken file
        raise ValidationError(
            _("Berkas ini bukan foto yang bisa dibaca. Gunakan JPEG, PNG atau WebP."),
            code="not_image",
        ) from error
    finally:
        upload.seek(0)
    _check_hidden_code(upload)
    image = ImageOps.exif_transpose(image)  # keep the photo upright, then drop EXIF
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    return image


def random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def webp_rendition(image: Image.Image, max_side: int, quality: int = 80) -> Rendition:
    """Return the image scaled to fit `max_side`, encoded as WebP, no metadata."""
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="WEBP", quality=quality, method=4)
    return Rendition(
        ContentFile(buffer.getvalue(), name=random_name("webp")),
        copy.width,
        copy.height,
    )


def reencode_image(
    upload, max_side: int = MAX_SIDE, *, max_pixels: int = PRODUCT_PHOTO_MAX_PIXELS
) -> Rendition:
    """Validate an upload and return a clean WebP copy (EXIF and extras dropped)."""
    image = open_image(upload, max_pixels=max_pixels)
    return webp_rendition(image, max_side, quality=85)


def clean_pdf(upload) -> ContentFile:
    """Accept a PDF proof of transfer that a parser reads as a passive document.

    The file is parsed with pypdf and every object reachable from the trailer
    or listed in the cross-reference (object streams included) is walked;
    JavaScript, launch/open/event actions, attachments and forms are refused,
    and so is a file that does not parse. What is stored is pypdf's rewritten
    copy, so a viewer reads the objects that were checked and nothing else.
    """
    _check_size(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Berkas PDF tidak valid."), code="not_pdf")
    _check_hidden_code(upload)  # markup a browser could sniff and render
    return ContentFile(_rewritten_passive_pdf(data), name=random_name("pdf"))


def _rewritten_passive_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    broken = ValidationError(
        _("Berkas PDF ini rusak atau tidak bisa dibaca."), code="broken_pdf"
    )
    try:
        # Lenient parsing is safe here: what is stored is pypdf's own rewrite,
        # so a viewer never sees a different reading of a damaged file.
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise broken
        if _has_active_content(reader):
            raise ValidationError(
                _(
                    "PDF ini berisi JavaScript, tindakan otomatis, lampiran atau "
                    "formulir dan ditolak. Kirim tangkapan layar bukti transfer "
                    "sebagai gantinya."
                ),
                code="active_content",
            )
        if len(reader.pages) < 1:
            raise broken
        output = io.BytesIO()
        PdfWriter(clone_from=reader).write(output)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise broken from error
    except RecursionError as error:  # nesting deeper than any real document
        raise broken from error
    return output.getvalue()


def _has_active_content(reader) -> bool:
    """Return whether any object of the document names an active feature."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    pending = [reader.trailer]
    pending += [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ]
    pending += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > PDF_MAX_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, NameObject):
            if item in PDF_ACTIVE_NAMES:
                return True
        elif isinstance(item, DictionaryObject):  # stream dictionaries too
            for name, value in dict.items(item):
                if name in PDF_ACTIVE_NAMES:
                    return True
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(list.__iter__(item))
    return False
