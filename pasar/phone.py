"""Indonesian WhatsApp numbers: accept 08…, +62…, 62…; store 62… digits only."""

import re
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s\-.()]")
_MOBILE = re.compile(r"^628[1-9]\d{6,10}$")


def normalize_phone(raw: str) -> str:
    """Return the number as `628…` digits, or raise ValidationError."""
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("+"):
        value = value[1:]
    if value.startswith("0"):
        value = "62" + value[1:]
    elif value.startswith("8"):
        value = "62" + value
    if not _MOBILE.match(value):
        raise ValidationError(
            _(
                "Nomor WhatsApp tidak valid. Tulis nomor HP Indonesia, "
                "misalnya 0812 3456 7890."
            ),
            code="invalid_phone",
        )
    return value


def display_phone(value: str) -> str:
    """Show a stored `628…` number as `0812-3456-7890`."""
    if not value or not value.startswith("62"):
        return value or ""
    local = "0" + value[2:]
    return "-".join([local[:4], local[4:8], local[8:]]).rstrip("-")


def whatsapp_url(phone: str, text: str = "") -> str:
    """Click-to-chat link that opens WhatsApp with `text` filled in."""
    url = f"https://wa.me/{phone}"
    if text:
        url += "?text=" + quote(text)
    return url
