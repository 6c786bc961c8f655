"""Form fields shared by every app."""

import datetime as dt
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from .phone import normalize_phone


class PhoneField(forms.CharField):
    """A WhatsApp number; cleans to the stored `628…` form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Nomor WhatsApp"))
        kwargs.setdefault("help_text", _("Contoh: 0812 3456 7890"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return normalize_phone(value)


ISO_DATE = "%Y-%m-%d"
# What a date field accepts: ISO (what date inputs send), and the way people
# type a date here (01-12-2026, 01/12/2026) where the browser shows a text box.
DATE_INPUT_FORMATS = [ISO_DATE, "%d-%m-%Y", "%d/%m/%Y"]


def parse_date(value: str) -> dt.date | None:
    """Return the date `value` names in one of DATE_INPUT_FORMATS, else None."""
    for fmt in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


class DateInput(forms.DateInput):
    """`<input type=date>`: the browser reads only ISO dates (2026-12-01).

    A date typed as 01-12-2026 comes back as 2026-12-01 too, so a re-shown
    form keeps it; text that is no date is shown as it was typed.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)

    def format_value(self, value):
        if isinstance(value, str):
            value = parse_date(value) or value
        return super().format_value(value)


class DateField(forms.DateField):
    """A date typed as ISO (what date inputs send) or as 01-12-2026 / 01/12/2026."""

    widget = DateInput
    input_formats = DATE_INPUT_FORMATS


class DateRangeForm(forms.Form):
    """One date range for every report: `dari` and `sampai`, both inclusive.

    The query string is the same on every report page, so a range can be
    carried from one report to another.
    """

    MAX_DAYS = 371  # a year of weeks

    dari = DateField(label=_("Dari tanggal"))
    sampai = DateField(label=_("Sampai tanggal"))

    def clean(self):
        data = super().clean()
        start, end = data.get("dari"), data.get("sampai")
        if start and end:
            if start > end:
                raise forms.ValidationError(
                    _("Tanggal awal harus sebelum tanggal akhir.")
                )
            if (end - start).days > self.MAX_DAYS:
                raise forms.ValidationError(
                    _("Rentang laporan paling lama satu tahun.")
                )
        return data

    def range_or(self, default: tuple) -> tuple:
        """Return (start, end) when the form is valid, else `default`.

        Invalid input keeps its messages on the form; the page still answers
        with the default range.
        """
        if self.is_bound and self.is_valid():
            return self.cleaned_data["dari"], self.cleaned_data["sampai"]
        return default


class OneTimeKeyField(forms.UUIDField):
    """The hidden one-time key of a form that writes money or stock.

    Each form shown gets a fresh key; the service stores it on the row it
    writes (unique), so a double click or a retried request finds the first
    row instead of writing a second. An absent or malformed key cleans to
    None (`OneTimeKeyFormMixin` turns that into a form-wide message) and the
    form is shown again with a fresh key.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None

    def bound_data(self, data, initial):
        return data if self.to_python(data) is not None else initial


class OneTimeKeyFormMixin:
    """A form with a `key` (OneTimeKeyField): refused without a valid one."""

    def clean(self):
        data = super().clean()
        if "key" in self.fields and data.get("key") is None:
            raise forms.ValidationError(
                _("Formulir kedaluwarsa. Periksa isinya lalu kirim lagi."),
                code="stale_form",
            )
        return data
