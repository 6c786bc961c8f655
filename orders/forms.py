"""Input shapes for the cart, checkout, proofs and the back office."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pasar.forms import DateField, OneTimeKeyField, OneTimeKeyFormMixin, PhoneField
from pasar.money import format_rupiah
from pasar.uploads import PROOF_MAX_PIXELS, clean_pdf, open_image, reencode_image
from posdaya.models import Posdaya

from .cart import MAX_QUANTITY
from .models import (
    DeliveryMethod,
    DeliveryZone,
    PaymentProof,
    SettlementEntry,
    SubOrder,
)
from .payments import REGISTRY, SAVINGS, offered_payment_choices, payment_choices
from .qris import QrisError, decode_image
from .selectors import active_zones
from .shipping import MAX_ZONE_FEE


class CartLineForm(forms.Form):
    product = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # The chosen variant (radio buttons on the product page, hidden in the cart).
    variant = forms.IntegerField(
        min_value=1,
        required=False,
        error_messages={
            "invalid": _("Pilihan varian itu tidak ada untuk produk ini."),
            "min_value": _("Pilihan varian itu tidak ada untuk produk ini."),
        },
    )
    quantity = forms.IntegerField(
        label=_("Jumlah"),
        min_value=0,
        max_value=MAX_QUANTITY,
        initial=1,
        error_messages={
            "min_value": _("Jumlah tidak boleh negatif."),
            "max_value": _("Paling banyak %(limit_value)s per produk."),
            "invalid": _("Tulis jumlah dengan angka."),
            "required": _("Tulis jumlahnya."),
        },
    )


class CartRemoveForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    variant = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CheckoutForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=120)
    phone = PhoneField(required=True)
    email = forms.EmailField(
        label=_("Email (tidak wajib)"),
        required=False,
        help_text=_("Kami kirim konfirmasi dan tautan pesanan ke sini."),
    )
    delivery_method = forms.ChoiceField(
        label=_("Cara pengiriman"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        initial=DeliveryMethod.PICKUP,
    )
    zone = forms.ModelChoiceField(
        label=_("Zona pengiriman"),
        queryset=DeliveryZone.objects.none(),
        required=False,
        empty_label=_("— Pilih zona —"),
    )
    address = forms.CharField(
        label=_("Alamat pengiriman"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    payment_method = forms.ChoiceField(
        label=_("Cara pembayaran"),
        choices=payment_choices,
        widget=forms.RadioSelect,
        initial="transfer",
    )
    savings_amount = forms.IntegerField(
        label=_("Potong dari tabungan sampah (Rp, tidak wajib)"),
        required=False,
        min_value=0,
        max_value=100_000_000,
        error_messages={
            "invalid": _("Tulis jumlah Rupiah dengan angka, tanpa titik."),
            "min_value": _("Jumlah dari tabungan tidak boleh negatif."),
            "max_value": _("Jumlah dari tabungan terlalu besar."),
        },
    )
    note = forms.CharField(
        label=_("Catatan untuk penjual (tidak wajib)"), required=False, max_length=300
    )
    checkout_token = forms.CharField(
        widget=forms.HiddenInput, min_length=16, max_length=64
    )
    expected_total = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )

    def __init__(self, *args, zones=None, savings_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        # QRIS only once the induk's code is entered.
        self.fields["payment_method"].choices = offered_payment_choices()
        self.fields["zone"].queryset = zones if zones is not None else active_zones()
        self._offer_savings(savings_member)
        self.fields["zone"].label_from_instance = self._zone_label
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(
                widget, forms.RadioSelect
            ):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def _offer_savings(self, member) -> None:
        """Offer bayar pakai tabungan only to a nasabah with a linked book."""
        if member is None:
            self.fields["payment_method"].choices = [
                (code, label)
                for code, label in self.fields["payment_method"].choices
                if not REGISTRY[code].needs_savings_book
            ]
            del self.fields["savings_amount"]
            return
        self.fields["savings_amount"].help_text = _(
            "Saldo tabungan Anda %(balance)s. Sisanya dibayar dengan transfer "
            "atau QRIS. Pilih Bayar pakai tabungan sampah untuk membayar semuanya."
        ) % {"balance": format_rupiah(member.balance)}

    def savings_part(self) -> int:
        """Return the Rupiah to take from the book besides the chosen method."""
        if self.cleaned_data.get("payment_method") == SAVINGS.code:
            return 0
        return self.cleaned_data.get("savings_amount") or 0

    @staticmethod
    def _zone_label(zone):
        fees = []
        if zone.for_local:
            fees.append(_("antar %(fee)s") % {"fee": format_rupiah(zone.fee)})
        if zone.for_courier:
            fees.append(
                _("ekspedisi %(first)s kg pertama + %(extra)s/kg")
                % {
                    "first": format_rupiah(zone.courier_first_kg_fee),
                    "extra": format_rupiah(zone.courier_extra_kg_fee),
                }
            )
        return " · ".join([zone.name, *fees])

    def clean_checkout_token(self):
        token = self.cleaned_data["checkout_token"]
        if not token.replace("-", "").replace("_", "").isalnum():
            raise ValidationError(_("Formulir tidak valid. Muat ulang halaman."))
        return token

    def clean(self):
        data = super().clean()
        method = data.get("delivery_method")
        if method and method != DeliveryMethod.PICKUP:
            zone = data.get("zone")
            if zone is None:
                self.add_error("zone", _("Pilih zona pengiriman."))
            elif not zone.applies_to(method):
                self.add_error(
                    "zone", _("Zona ini tidak melayani cara pengiriman tersebut.")
                )
            if not (data.get("address") or "").strip():
                self.add_error("address", _("Tulis alamat pengiriman."))
        payment = REGISTRY.get(data.get("payment_method") or "")
        if method and payment and not payment.supports(method):
            self.add_error(
                "payment_method",
                _("%(payment)s tidak tersedia untuk cara pengiriman ini.")
                % {"payment": payment.label},
            )
        return data


class PaymentProofForm(forms.Form):
    file = forms.FileField(
        label=_("Bukti transfer (foto atau PDF)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args, optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = ""
        if optional:  # QRIS: "I have paid", with a screenshot if the shopper likes
            self.fields["file"].required = False
            self.fields["file"].label = _("Tangkapan layar pembayaran (tidak wajib)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload:
            return None
        head = upload.read(5)
        upload.seek(0)
        if head == b"%PDF-":
            self.kind = PaymentProof.Kind.PDF
            return clean_pdf(upload)
        self.kind = PaymentProof.Kind.IMAGE
        return reencode_image(upload, max_pixels=PROOF_MAX_PIXELS).file


class IndukQrisForm(forms.Form):
    """The induk's static QRIS: its text pasted, or a photo of the sticker."""

    payload = forms.CharField(
        label=_("Teks QRIS"),
        required=False,
        max_length=512,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Diawali 000201 dan diakhiri 6304 dengan 4 karakter CRC."),
        error_messages={"max_length": _("Teks QRIS terlalu panjang (maks. 512).")},
    )
    photo = forms.FileField(
        label=_("Atau foto stiker QRIS"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )

    def clean(self):
        data = super().clean()
        photo = data.get("photo")
        if photo and not self.has_error("photo"):
            # The upload checks of every photo (size, pixels, hidden code).
            try:
                image = open_image(photo, max_pixels=PROOF_MAX_PIXELS)
                data["payload"] = decode_image(image)
            except ValidationError as error:
                self.add_error("photo", error)
            except QrisError as error:
                self.add_error("photo", error.message)
        elif not data.get("payload") and not self.errors:
            self.add_error(
                "payload", _("Tempel teks QRIS atau unggah foto stiker QRIS.")
            )
        return data


class RejectPaymentForm(forms.Form):
    # Posted from a button on the proof page: one message says what is missing.
    reason = forms.CharField(
        label=_("Alasan penolakan (dibaca pembeli)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Tuliskan alasan penolakan."),
            "max_length": _("Tuliskan alasan penolakan."),
        },
    )


class SubOrderTransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=SubOrder.Status.choices)
    courier = forms.CharField(label=_("Kurir"), max_length=60, required=False)
    tracking_number = forms.CharField(
        label=_("Nomor resi"), max_length=60, required=False
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("to_status") == SubOrder.Status.CANCELLED
            and not (data.get("note") or "").strip()
        ):
            self.add_error("note", _("Tuliskan alasan pembatalan."))
        return data


class DeliveryZoneForm(forms.ModelForm):
    """A zone's name, methods and fees: flat for antar, by weight for ekspedisi.

    A fee is asked for only when its method is ticked; a method left unticked
    keeps the fee it had (0 for a new zone).
    """

    # Which method each fee belongs to, and what to say when it is left empty.
    FEES = {
        "fee": ("for_local", _("Isi ongkir antar lokal.")),
        "courier_first_kg_fee": (
            "for_courier",
            _("Isi ongkir ekspedisi untuk kg pertama."),
        ),
        "courier_extra_kg_fee": (
            "for_courier",
            _("Isi ongkir ekspedisi per kg berikutnya (boleh 0)."),
        ),
    }

    class Meta:
        model = DeliveryZone
        fields = [
            "name",
            "for_local",
            "fee",
            "for_courier",
            "courier_first_kg_fee",
            "courier_extra_kg_fee",
            "is_active",
        ]
        help_texts = {
            "fee": _("Tarif tetap per paket, berapa pun beratnya."),
            "courier_first_kg_fee": _(
                "Per paket POSDAYA: tarif untuk berat sampai 1 kg."
            ),
            "courier_extra_kg_fee": _(
                "Ditambahkan untuk tiap kg berikutnya yang dimulai: "
                "paket 2,4 kg = kg pertama + 2 kg."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FEES:
            field = self.fields[name]
            field.required = False
            # Our own range check in clean() says it in Rupiah.
            field.validators = []
            field.min_value = field.max_value = None
            field.widget.attrs.pop("min", None)
            field.widget.attrs.update(
                {"min": 0, "max": MAX_ZONE_FEE, "inputmode": "numeric"}
            )
            field.error_messages["invalid"] = _("Tulis ongkir dengan angka.")
            if self.instance.pk is None:
                # A new zone starts empty: a fee is typed, never assumed 0.
                self.initial.pop(name, None)
                field.initial = None

    def clean(self):
        data = super().clean()
        for name, (method, missing) in self.FEES.items():
            if name in self.errors:
                continue
            value = data.get(name)
            if value is None:
                if data.get(method):
                    self.add_error(name, missing)
                else:
                    data[name] = getattr(self.instance, name, None) or 0
            elif value < 0:
                self.add_error(name, _("Ongkir tidak boleh negatif."))
            elif value > MAX_ZONE_FEE:
                self.add_error(
                    name,
                    _("Ongkir paling banyak %(max)s.")
                    % {"max": format_rupiah(MAX_ZONE_FEE)},
                )
        return data


class PayoutForm(OneTimeKeyFormMixin, forms.Form):
    posdaya = forms.ModelChoiceField(
        label=_("POSDAYA"),
        queryset=Posdaya.objects.order_by("name"),
        empty_label=_("— Pilih POSDAYA —"),
    )
    amount = forms.IntegerField(
        label=_("Jumlah (Rp)"),
        min_value=1,
        max_value=1_000_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    paid_on = DateField(label=_("Tanggal bayar"))
    method = forms.ChoiceField(
        label=_("Cara bayar"), choices=SettlementEntry.Method.choices
    )
    reference = forms.CharField(
        label=_("Referensi"),
        max_length=120,
        required=False,
        help_text=_("Nomor bukti transfer atau kuitansi."),
    )
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)
    key = OneTimeKeyField()


class RefundForm(forms.Form):
    # Posted from a button on the sub-order page: one message says what is missing.
    reason = forms.CharField(
        label=_("Alasan retur"),
        max_length=300,
        widget=forms.TextInput(),
        error_messages={
            "required": _("Tuliskan alasan retur."),
            "max_length": _("Tuliskan alasan retur."),
        },
    )


class OrderLookupForm(forms.Form):
    """`/pesanan/cari/`: the order code and the WhatsApp number of the checkout."""

    code = forms.CharField(
        label=_("Kode pesanan"),
        max_length=20,
        help_text=_("Contoh: PB-2612-AB3D"),
    )
    phone = PhoneField(label=_("Nomor WhatsApp saat memesan"))
    channel = forms.ChoiceField(
        label=_("Kirim tautan lewat"),
        choices=[("whatsapp", _("WhatsApp")), ("email", _("Email"))],
        initial="whatsapp",
        widget=forms.RadioSelect,
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
