"""The shopper's catalog filters, kept in the URL (`?kategori=tas&urut=termurah`)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from pasar import pagecache
from posdaya.selectors import active_posdaya

from . import selectors
from .models import Product

SORT_CHOICES = [
    ("terbaru", _("Terbaru")),
    ("termurah", _("Termurah")),
    ("termahal", _("Termahal")),
    ("terlaris", _("Terlaris")),
    ("rating", _("Rating tertinggi")),
]


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices from a list read once, never through a server-side cursor.

    Django iterates a ModelChoiceField's queryset with `.iterator()`, which on
    PostgreSQL opens a `DECLARE … CURSOR WITH HOLD` for every rendering of a
    16-row list.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.listed()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.listed())


class ListedModelChoiceField(forms.ModelChoiceField):
    """A short choice list kept per catalogue version (pasar/pagecache.py).

    Both rendering the list and checking the chosen slug read the same cached
    list: no query on a cached catalogue, one without the cache.
    """

    iterator = ListedChoiceIterator

    def listed(self) -> list:
        if not hasattr(self, "_listed"):
            model = self.queryset.model._meta.label_lower
            self._listed = pagecache.catalogue_value(
                f"choices:{model}", lambda: list(self.queryset)
            )
        return self._listed

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        for obj in self.listed():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField


class ProductFilter(django_filters.FilterSet):
    """Search, filters and sort; an invalid value is ignored, never an error."""

    q = django_filters.CharFilter(
        label=_("Cari"), method="filter_search", max_length=100
    )
    kategori = ListedModelChoiceFilter(
        label=_("Kategori"),
        field_name="category",
        to_field_name="slug",
        queryset=selectors.categories(),
        empty_label=_("Semua kategori"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    posdaya = ListedModelChoiceFilter(
        label=_("POSDAYA"),
        field_name="posdaya",
        to_field_name="slug",
        queryset=active_posdaya(),
        empty_label=_("Semua POSDAYA"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    harga_min = django_filters.NumberFilter(
        label=_("Harga minimum"),
        method="filter_minimum_price",
        min_value=0,
        max_value=100_000_000,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "numeric", "step": 1000}
        ),
    )
    harga_max = django_filters.NumberFilter(
        label=_("Harga maksimum"),
        method="filter_maximum_price",
        min_value=0,
        max_value=100_000_000,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "inputmode": "numeric", "step": 1000}
        ),
    )
    tersedia = django_filters.BooleanFilter(
        label=_("Hanya yang tersedia"),
        method="filter_available",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    urut = django_filters.ChoiceFilter(
        label=_("Urutkan"),
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select", "data-autosubmit": ""}),
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return queryset  # applied in `sorted_qs`, after every other filter

    def filter_minimum_price(self, queryset, name, value):
        return selectors.filter_price(queryset, minimum=int(value), maximum=None)

    def filter_maximum_price(self, queryset, name, value):
        return selectors.filter_price(queryset, minimum=None, maximum=int(value))

    def filter_available(self, queryset, name, value):
        return queryset.in_stock() if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied last, in `sorted_qs`, after every filter

    # The search of the last `sorted_qs` (a SearchResult), None without one;
    # the listing template reads its count, cap and suggestions.
    search = None

    @property
    def sorted_qs(self):
        """Return the filtered products: searched, then in the chosen order."""
        queryset = self.qs  # validates the form; invalid fields are left out
        cleaned = getattr(self.form, "cleaned_data", {})
        sort = cleaned.get("urut") or None
        # Searched last, so that the bounded set of matches is taken from the
        # products the other filters keep.
        self.search = selectors.search_products(
            queryset, cleaned.get("q") or "", sort=sort
        )
        if self.search is not None:
            return self.search.products
        return selectors.sort_products(queryset, sort)
