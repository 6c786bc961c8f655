"""Template filters used everywhere: money, weight, phone, WhatsApp, query strings."""

from django import template

from pasar.money import format_kg, format_rupiah
from pasar.phone import display_phone, whatsapp_url
from pasar.siteurl import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """`{{ url|absolute }}`: the path on the site's public address (PASAR_SITE_URL)."""
    return absolute_url(str(path)) if path else ""


@register.filter
def rupiah(value):
    """`25000` → `Rp 25.000` (`Rp 25,000` in English), never broken on a line."""
    if value is None or value == "":
        return format_rupiah(0)
    return format_rupiah(int(value))


@register.filter
def kg(value, unit="kg"):
    """`29071.7` → `29.071,700 kg` (`29,071.700 kg` in English), unbroken.

    `{{ weight|kg:category.get_unit_display }}` writes another unit (liter).
    """
    return format_kg(value, unit)


@register.filter
def item(sequence, index):
    """`{{ weeks|item:forloop.counter0 }}`: the entry at that position, or ''.

    Labels a stacked table's cell with its column's heading.
    """
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError, KeyError):
        return ""


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
