"""Input shape of reviews, replies and hiding; messages only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.uploads import PROOF_MAX_PIXELS, reencode_image

from .models import Review
from .services import HIDE_REASON_MAX

PHOTO_MAX_SIDE = 1200
RATING_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pilih nilai 1 sampai 5 bintang."),
            "invalid_choice": _("Pilih nilai 1 sampai 5 bintang."),
        },
    )
    text = forms.CharField(
        label=_("Ulasan"),
        max_length=Review.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan ulasan Anda.")},
    )
    # A FileField, not an ImageField: every check is pasar.uploads' (size,
    # format, pixels, hidden code), then the photo is re-encoded without EXIF.
    photo = forms.FileField(
        label=_("Foto (boleh dilewati)"),
        required=False,
        help_text=_("JPEG, PNG atau WebP."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return reencode_image(upload, PHOTO_MAX_SIDE, max_pixels=PROOF_MAX_PIXELS).file


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Balasan"),
        max_length=Review.REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan balasan Anda.")},
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=HIDE_REASON_MAX,
        error_messages={"required": _("Tuliskan alasan menyembunyikan ulasan.")},
    )
