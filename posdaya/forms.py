"""Forms for POSDAYA profiles, staff roles and the audit log filter."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pasar.forms import DateField, DateRangeForm, PhoneField
from pasar.models import AuditLog
from pasar.uploads import POSDAYA_PHOTO_MAX_PIXELS, reencode_image

from .models import Membership, Posdaya, Weekday


class PosdayaProfileForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=120)
    rw = forms.RegexField(
        label=_("RW"),
        regex=r"^\d{1,3}$",
        max_length=3,
        error_messages={"invalid": _("RW berupa angka, mis. 07.")},
    )
    address = forms.CharField(label=_("Alamat"), max_length=255)
    profile = forms.CharField(
        label=_("Profil singkat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    whatsapp = PhoneField()
    weighing_days = forms.TypedMultipleChoiceField(
        label=_("Hari penimbangan"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    weighing_hours = forms.CharField(
        label=_("Jam penimbangan"),
        max_length=40,
        required=False,
        help_text=_("Mis. 08.00–11.00. Kosongkan bila belum tentu."),
    )
    weighing_place = forms.CharField(
        label=_("Tempat penimbangan"),
        max_length=255,
        required=False,
        help_text=_("Kosongkan bila sama dengan alamat POSDAYA."),
    )
    photo = forms.FileField(
        label=_("Foto"),
        required=False,
        help_text=_("JPEG, PNG atau WebP, paling besar 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args, posdaya: Posdaya, **kwargs):
        self.posdaya = posdaya
        initial = {
            "name": posdaya.name,
            "rw": posdaya.rw,
            "address": posdaya.address,
            "profile": posdaya.profile,
            "whatsapp": posdaya.whatsapp,
            "weighing_days": posdaya.weighing_days,
            "weighing_hours": posdaya.weighing_hours,
            "weighing_place": posdaya.weighing_place,
            **(kwargs.pop("initial", None) or {}),
        }
        super().__init__(*args, initial=initial, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Posdaya.objects.filter(name__iexact=name).exclude(pk=self.posdaya.pk)
        if clash.exists():
            raise ValidationError(_("Nama ini sudah dipakai POSDAYA lain."))
        return name

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        return reencode_image(
            photo, max_side=1200, max_pixels=POSDAYA_PHOTO_MAX_PIXELS
        ).file


class PosdayaActiveForm(forms.Form):
    """The open/close button: `active=1` opens the POSDAYA, anything else closes it."""

    active = forms.CharField(required=False)

    def clean_active(self) -> bool:
        return self.cleaned_data["active"] == "1"


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    username = forms.RegexField(
        label=_("Nama pengguna"),
        regex=r"^[\w.+-]{3,150}$",
        help_text=_("Dipakai untuk masuk jika akun baru dibuat."),
        error_messages={
            "invalid": _("Gunakan 3–150 huruf, angka atau tanda . + - _ (tanpa @).")
        },
    )
    role = forms.ChoiceField(label=_("Peran"), choices=Membership.Role.choices)
    posdaya = forms.ModelChoiceField(
        label=_("POSDAYA"),
        queryset=Posdaya.objects.all(),
        required=False,
        empty_label=_("— Pilih POSDAYA —"),
        help_text=_("Kosongkan untuk peran koordinator."),
    )
    one_time_password = forms.BooleanField(
        label=_("Buat kata sandi sekali pakai (untuk yang tidak punya email aktif)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        role, posdaya = data.get("role"), data.get("posdaya")
        if role and role != Membership.Role.KOORDINATOR and posdaya is None:
            self.add_error("posdaya", _("Pilih POSDAYA untuk peran ini."))
        return data


class GrantRoleForm(forms.Form):
    user = forms.CharField(
        label=_("Pengguna"), help_text=_("Nama pengguna atau email.")
    )
    role = forms.ChoiceField(label=_("Peran"), choices=Membership.Role.choices)
    posdaya = forms.ModelChoiceField(
        label=_("POSDAYA"),
        queryset=Posdaya.objects.all(),
        required=False,
        empty_label=_("— Pilih POSDAYA —"),
        help_text=_("Kosongkan untuk peran koordinator."),
    )

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        User = get_user_model()
        user = User.objects.filter(username__iexact=value).first()
        if user is None:
            user = User.objects.filter(email__iexact=value).first()
        if user is None:
            raise ValidationError(
                _("Pengguna %(user)s tidak ditemukan.") % {"user": value}
            )
        return user

    def clean(self):
        data = super().clean()
        role, posdaya = data.get("role"), data.get("posdaya")
        if role and role != Membership.Role.KOORDINATOR and posdaya is None:
            self.add_error("posdaya", _("Pilih POSDAYA untuk peran ini."))
        return data


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Tindakan"),
        choices=[("", _("Semua tindakan")), *AuditLog.Action.choices],
        required=False,
    )
    posdaya = forms.ModelChoiceField(
        label=_("POSDAYA"),
        queryset=Posdaya.objects.all(),
        required=False,
        empty_label=_("Semua POSDAYA"),
    )
    actor = forms.CharField(label=_("Pelaku"), required=False, max_length=150)
    date_from = DateField(label=_("Dari tanggal"), required=False)
    date_to = DateField(label=_("Sampai tanggal"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        return data


class ReportFilterForm(DateRangeForm):
    """The induk report's range (inclusive, Jakarta dates) and an optional POSDAYA."""

    posdaya = forms.ModelChoiceField(
        label=_("POSDAYA"),
        queryset=Posdaya.objects.order_by("name"),
        required=False,
        empty_label=_("Semua POSDAYA"),
        to_field_name="slug",
    )
