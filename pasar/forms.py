"""Form fields shared by every app."""

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
