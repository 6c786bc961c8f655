"""Forms of the product pages and categories: input shape and messages only."""

import functools
import re

from django import forms
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from banksampah.models import WasteCategory
from pasar.forms import OneTimeKeyField, OneTimeKeyFormMixin
from pasar.uploads import open_image

from .icons import CATEGORY_ICONS
from .models import Category, Product, ProductImage
from .services import MAX_IMAGES_PER_PRODUCT, MaterialLine

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input; each is decoded to check it is a real image."""

    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": IMAGE_ACCEPT, "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_IMAGES_PER_PRODUCT:
            raise ValidationError(
                _("Paling banyak %(count)s foto sekaligus."),
                params={"count": MAX_IMAGES_PER_PRODUCT},
            )
        errors = []
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                open_image(upload)
            except ValidationError as error:
                errors.append(
                    ValidationError(
                        _("%(name)s: %(reason)s"),
                        params={"name": upload.name, "reason": error.messages[0]},
                    )
                )
            else:
                cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class MadeToOrderFormMixin(forms.Form):
    """ "Dibuat sesuai pesanan": lead time and cap (checked by the service)."""

    made_to_order = forms.BooleanField(
        label=_("Dibuat sesuai pesanan"),
        required=False,
        help_text=_("Tetap bisa dipesan saat stok habis; dibuat setelah dipesan."),
    )
    lead_time_days = forms.IntegerField(
        label=_("Lama pembuatan (hari)"),
        required=False,
        min_value=1,
        max_value=90,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Isi lama pembuatan antara 1 dan 90 hari."),
            "max_value": _("Isi lama pembuatan antara 1 dan 90 hari."),
        },
    )
    made_to_order_cap = forms.IntegerField(
        label=_("Batas pesanan dibuat (unit)"),
        help_text=_("Paling banyak unit yang dipesan dan belum dikirim."),
        required=False,
        min_value=1,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": _("Isi batas pesanan dibuat, paling sedikit 1 unit."),
            "max_value": _("Batas pesanan dibuat paling banyak 10.000 unit."),
        },
    )

    MADE_TO_ORDER_FIELDS = ("made_to_order", "lead_time_days", "made_to_order_cap")

    def made_to_order_terms(self) -> dict | None:
        """The choice for the service (None when the form has no such fields)."""
        if "made_to_order" not in self.fields:
            return None
        return {name: self.cleaned_data.get(name) for name in self.MADE_TO_ORDER_FIELDS}


class ProductForm(MadeToOrderFormMixin, forms.ModelForm):
    """Name, category, price, weight, description; stock only when creating."""

    stock = forms.IntegerField(
        label=_("Stok awal"), min_value=0, max_value=100_000, initial=0
    )
    images = MultipleImageField(
        label=_("Foto"),
        help_text=_("JPEG, PNG atau WebP. Boleh pilih beberapa foto sekaligus."),
    )
    publish = forms.BooleanField(
        label=_("Langsung tayangkan"), required=False, initial=True
    )

    class Meta:
        model = Product
        fields = ["name", "category", "price", "weight_grams", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "price": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "weight_grams": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("order", "name")
        self.fields["price"].min_value = 1
        self.fields["price"].max_value = 100_000_000
        if not creating:
            del self.fields["stock"]
            del self.fields["publish"]
            del self.fields["images"]
        if self.instance.pk and self.instance.has_variants:
            # Made to order per variant (on the Variants page).
            for name in self.MADE_TO_ORDER_FIELDS:
                del self.fields[name]
        elif self.instance.pk:
            for name in self.MADE_TO_ORDER_FIELDS:
                self.initial.setdefault(name, getattr(self.instance, name))


class MaterialForm(forms.Form):
    waste_category = forms.ModelChoiceField(
        label=_("Jenis sampah"),
        queryset=WasteCategory.objects.filter(is_active=True).order_by("order", "name"),
        required=False,
    )
    kg_per_unit = forms.DecimalField(
        label=_("kg per unit"),
        min_value=0.001,
        max_digits=8,
        decimal_places=3,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        category, kg = cleaned.get("waste_category"), cleaned.get("kg_per_unit")
        if category and kg is None and "kg_per_unit" not in self.errors:
            self.add_error("kg_per_unit", _("Isi berat per unit."))
        if kg is not None and not category:
            self.add_error("waste_category", _("Pilih jenis sampah."))
        return cleaned


class BaseMaterialFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            category = form.cleaned_data.get("waste_category")
            if category in seen:
                raise ValidationError(_("Setiap jenis sampah cukup satu baris."))
            if category:
                seen.add(category)

    def material_lines(self) -> list[MaterialLine]:
        """Return the filled-in, not deleted lines."""
        lines = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            category = form.cleaned_data.get("waste_category")
            if category:
                lines.append(MaterialLine(category, form.cleaned_data["kg_per_unit"]))
        return lines


# absolute_max: a forged TOTAL_FORMS would otherwise build (and render) up to
# max_num + 1000 forms per request.
MaterialFormSet = forms.formset_factory(
    MaterialForm,
    formset=BaseMaterialFormSet,
    extra=2,
    can_delete=True,
    max_num=10,
    absolute_max=10,
    validate_max=True,
)


def material_initial(product: Product) -> list[dict]:
    """Return the formset rows of a product's current materials."""
    return [
        {"waste_category": m.waste_category, "kg_per_unit": m.kg_per_unit}
        for m in product.materials.select_related("waste_category")
    ]


class ImageUploadForm(forms.Form):
    images = MultipleImageField(label=_("Tambah foto"))

    def clean_images(self):
        images = self.cleaned_data["images"]
        if not images:
            raise ValidationError(_("Pilih minimal satu foto."))
        return images


class StockAdjustmentForm(OneTimeKeyFormMixin, forms.Form):
    quantity = forms.IntegerField(
        label=_("Perubahan stok"),
        help_text=_("Positif untuk menambah, negatif untuk mengurangi, mis. -2."),
        min_value=-100_000,
        max_value=100_000,
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=200,
        help_text=_("Mis. produksi baru, barang rusak, hitung ulang."),
    )
    key = OneTimeKeyField()

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        if quantity == 0:
            raise ValidationError(_("Jumlah perubahan stok tidak boleh nol."))
        return quantity


class ProductStatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("publish", "publish"),
            ("unpublish", "unpublish"),
            ("archive", "archive"),
        ],
        error_messages={
            "required": _("Tindakan tidak dikenal."),
            "invalid_choice": _("Tindakan tidak dikenal."),
        },
    )


# The icon subset the site serves (make icons): a name missing from it would
# render as nothing, so only these are accepted.
ICONS_CSS = "css/icons.css"


@functools.cache
def bootstrap_icon_names() -> frozenset[str]:
    """The icon names the served Bootstrap Icons subset defines."""
    with open(finders.find(ICONS_CSS), encoding="utf-8") as css:
        return frozenset(re.findall(r"\.bi-([a-z0-9-]+)::before", css.read()))


class CategoryForm(forms.ModelForm):
    """A craft category, kept by the koordinator for every POSDAYA."""

    class Meta:
        model = Category
        fields = ["name", "slug", "order", "icon"]
        error_messages = {
            "slug": {"unique": _("Slug ini sudah dipakai kategori lain.")},
        }
        help_texts = {
            "slug": _(
                "Dipakai di alamat halaman kategori. Kosongkan untuk dibuat dari "
                "nama; mengubahnya membuat tautan lama tidak berlaku."
            ),
            "order": _("Urutan tampil di beranda; angka kecil tampil lebih dulu."),
            "icon": _(
                "Pilih dari daftar ikon (nama Bootstrap Icons tanpa awalan bi-, "
                "mis. bag, wallet2, flower1). Boleh dikosongkan."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["order"].widget.attrs["inputmode"] = "numeric"
        # Suggestions as the koordinator types; the template writes the list.
        self.fields["icon"].widget.attrs.update(
            {"list": "category-icons", "autocomplete": "off"}
        )
        self.icon_choices = CATEGORY_ICONS

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        same = Category.objects.filter(name__iexact=name)
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise ValidationError(_("Kategori dengan nama ini sudah ada."))
        return name

    def clean_icon(self):
        icon = self.cleaned_data["icon"].strip().lower().removeprefix("bi-")
        if icon and icon not in bootstrap_icon_names():
            raise ValidationError(
                _("Ikon %(icon)s tidak tersedia. Pilih salah satu ikon dari daftar."),
                params={"icon": icon},
            )
        return icon

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:60]
            if not data["slug"]:
                self.add_error(
                    "slug",
                    _("Nama ini tidak bisa dijadikan slug; isi slug sendiri."),
                )
        return data


class VariantOptionsForm(forms.Form):
    option1_name = forms.CharField(
        label=_("Nama pilihan 1"),
        max_length=30,
        required=False,
        help_text=_("Mis. Motif, Warna atau Ukuran."),
    )
    option2_name = forms.CharField(
        label=_("Nama pilihan 2 (tidak wajib)"), max_length=30, required=False
    )


class VariantForm(MadeToOrderFormMixin, forms.Form):
    option1 = forms.CharField(label=_("Pilihan 1"), max_length=40)
    option2 = forms.CharField(label=_("Pilihan 2"), max_length=40, required=False)
    price = forms.IntegerField(
        label=_("Harga sendiri (Rp, tidak wajib)"),
        help_text=_("Kosongkan bila sama dengan harga produk."),
        required=False,
        min_value=1,
        max_value=100_000_000,
    )
    image = forms.ModelChoiceField(
        label=_("Foto (tidak wajib)"),
        queryset=ProductImage.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Foto itu bukan foto produk ini.")},
    )

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].queryset = product.images.all()
        self.fields["image"].label_from_instance = lambda image: (
            _("Foto %(number)s") % {"number": image.position + 1}
        )
        self.fields["option1"].label = product.option1_name or _("Pilihan 1")
        if product.option2_name:
            self.fields["option2"].label = product.option2_name
            self.fields["option2"].required = True
        else:
            del self.fields["option2"]

    def variant_fields(self) -> dict:
        """What the add and edit services take from this form."""
        data = self.cleaned_data
        return {
            "option1": data["option1"],
            "option2": data.get("option2", ""),
            "price": data["price"],
            "image": data["image"],
            "made_to_order": self.made_to_order_terms(),
        }
