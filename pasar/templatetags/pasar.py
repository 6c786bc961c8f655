"""Template filters used everywhere: money, weight, phone, WhatsApp, query strings."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from pasar.money import format_rupiah
from pasar.phone import display_phone, whatsapp_url

register = template.Library()


@register.filter
def rupiah(value):
    """`25000` → `Rp 25.000`."""
    if value is None or value == "":
        return format_rupiah(0)
    return format_rupiah(int(value))


@register.filter
def kg(value):
    """A weight in kg with three decimals in the active language's format."""
    if value is None or value == "":
        value = Decimal(0)
    return f"{number_format(Decimal(value), decimal_pos=3, use_l10n=True)} kg"


@register.filter
def phone(value):
    """`6281234567890` → `0812-3456-7890`."""
    return display_phone(value)


@register.simple_tag
def wa_url(number, text=""):
    """Click-to-chat link to `number` with `text` filled in."""
    return whatsapp_url(number, text)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (e.g. page)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
