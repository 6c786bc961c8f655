"""Input shapes and messages of the bank sampah pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pasar.forms import DateField, OneTimeKeyField, OneTimeKeyFormMixin, PhoneField
from pasar.money import format_kg

from .models import Member, ProductionUse, WasteCategory, Withdrawal
from .services import MAX_AMOUNT, MAX_LINE_WEIGHT


class WeightField(forms.DecimalField):
    """A positive weight with at most three decimals; accepts `2,5` too."""

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault("label", _("Berat"))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Berat harus berupa angka, misalnya 2,5."),
                "max_decimal_places": _(
                    "Berat paling banyak 3 angka di belakang koma."
                ),
                "max_digits": _("Berat terlalu besar."),
                "max_whole_digits": _("Berat terlalu besar."),
            },
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["step"] = "0.001"
        attrs.pop("min", None)
        attrs.pop("max", None)
        return attrs

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if not self.allow_negative and value <= 0:
            raise forms.ValidationError(_("Berat harus lebih dari 0."))
        if abs(value) > MAX_LINE_WEIGHT:
            raise forms.ValidationError(
                _("Berat satu baris paling banyak %(max)s.")
                % {"max": format_kg(MAX_LINE_WEIGHT, "")}
            )
        if self.allow_negative and value == 0:
            raise forms.ValidationError(_("Berat penyesuaian tidak boleh 0."))


class RupiahField(forms.IntegerField):
    """Whole Rupiah; accepts `25.000` and `Rp 25.000`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_AMOUNT)
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Tulis jumlah Rupiah tanpa koma, misalnya 25000.")},
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("Rp", "").replace(".", "").replace(" ", "")
        return super().to_python(value)


class WasteCategoryChoiceField(forms.ModelChoiceField):
    """An active waste category."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", WasteCategory.objects.filter(is_active=True))
        kwargs.setdefault("label", _("Jenis sampah"))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Jenis sampah tidak dikenal atau tidak aktif.")},
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_unit_display()})"


class MemberForm(OneTimeKeyFormMixin, forms.ModelForm):
    """A member's details. No account field: the member links her own account
    with the claim code (a look-up by name or email is what a stranger games).
    """

    whatsapp = PhoneField(required=False)
    key = OneTimeKeyField()

    class Meta:
        model = Member
        fields = [
            "name",
            "whatsapp",
            "whatsapp_receipts",
            "address",
            "rt",
            "rw",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True
        if self.instance.pk is None:
            del self.fields["is_active"]
        else:
            # Changing details writes no new row: no key needed.
            del self.fields["key"]


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Kode klaim"),
        max_length=20,
        help_text=_("8 huruf dan angka pada kertas dari petugas, mis. ABCD-EFGH."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cari nasabah"),
        required=False,
        max_length=80,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Nama, nomor rekening atau nomor HP"),
                "autofocus": True,
                "type": "search",
            }
        ),
    )


class DepositLineForm(forms.Form):
    category = WasteCategoryChoiceField(required=False)
    weight = WeightField(required=False)

    def clean(self):
        data = super().clean()
        category, weight = data.get("category"), data.get("weight")
        if self.errors:
            return data
        if weight is not None and category is None:
            self.add_error("category", _("Pilih jenis sampah."))
        if category is not None and weight is None:
            self.add_error("weight", _("Isi berat."))
        return data


class BaseDepositLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        self.lines = [
            (form.cleaned_data["category"], form.cleaned_data["weight"])
            for form in self.forms
            if form.cleaned_data.get("category") and form.cleaned_data.get("weight")
        ]
        if not self.lines:
            raise forms.ValidationError(_("Isi paling sedikit satu baris timbangan."))


DepositLineFormSet = forms.formset_factory(
    DepositLineForm,
    formset=BaseDepositLineFormSet,
    extra=4,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)


class WithdrawalForm(forms.Form):
    amount = RupiahField(label=_("Jumlah (Rp)"), min_value=1)
    method = forms.ChoiceField(
        label=_("Cara"),
        choices=Withdrawal.Method.choices,
        initial=Withdrawal.Method.CASH,
    )
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)
    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["autofocus"] = True
        self.fields["amount"].error_messages["min_value"] = _(
            "Jumlah penarikan harus lebih dari Rp 0."
        )


class ReversalForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan koreksi"),
        max_length=255,
        widget=forms.TextInput(attrs={"autofocus": True}),
    )


class SaleForm(OneTimeKeyFormMixin, forms.Form):
    buyer_name = forms.CharField(label=_("Nama pengepul"), max_length=120)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)
    key = OneTimeKeyField()


class SaleLineForm(forms.Form):
    category = WasteCategoryChoiceField(required=False)
    weight = WeightField(required=False)
    unit_price = RupiahField(
        label=_("Harga per satuan (Rp)"),
        required=False,
        help_text=_("Kosongkan untuk memakai harga jual di daftar harga."),
    )


class BaseSaleLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        self.lines = []
        for form in self.forms:
            data = form.cleaned_data
            if data.get("category") and data.get("weight"):
                self.lines.append(
                    (data["category"], data["weight"], data.get("unit_price"))
                )
            elif data.get("category") or data.get("weight"):
                raise forms.ValidationError(_("Setiap baris perlu jenis dan berat."))
        if not self.lines:
            raise forms.ValidationError(_("Isi paling sedikit satu baris."))


SaleLineFormSet = forms.formset_factory(
    SaleLineForm,
    formset=BaseSaleLineFormSet,
    extra=4,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)


class ProductionUseForm(OneTimeKeyFormMixin, forms.Form):
    category = WasteCategoryChoiceField()
    weight = WeightField()
    product = forms.ModelChoiceField(
        label=_("Produk (pilihan)"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Produk tidak dikenal.")},
    )
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)
    key = OneTimeKeyField()

    def __init__(self, *args, posdaya, **kwargs):
        super().__init__(*args, **kwargs)
        # The catalog sits above the bank sampah, so its model is reached
        # through the relation ProductionUse already declares, not imported.
        product_model = ProductionUse._meta.get_field("product").related_model
        self.fields["product"].queryset = product_model._default_manager.filter(
            posdaya=posdaya
        )


class AdjustmentForm(OneTimeKeyFormMixin, forms.Form):
    category = WasteCategoryChoiceField()
    weight = WeightField(
        allow_negative=True,
        help_text=_("Positif menambah stok, negatif mengurangi (mis. -1,5)."),
    )
    reason = forms.CharField(label=_("Alasan"), max_length=255)
    key = OneTimeKeyField()


class WastePriceForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Jenis sampah"), queryset=WasteCategory.objects.all()
    )
    valid_from = DateField(label=_("Berlaku mulai"), initial=timezone.localdate)
    buy_price = RupiahField(label=_("Harga beli (Rp per satuan)"))
    sell_price = RupiahField(label=_("Harga jual (Rp per satuan)"))


class WasteCategoryForm(forms.ModelForm):
    class Meta:
        model = WasteCategory
        fields = ["name", "slug", "group", "unit", "order", "is_active"]
