from django.urls import path

from .views import public

app_name = "banksampah"

urlpatterns = [
    path("harga-sampah/", public.WastePriceBoardView.as_view(), name="price_board"),
    path("tabungan/", public.PassbookView.as_view(), name="passbook"),
    path("tabungan/cetak/", public.PassbookPrintView.as_view(), name="passbook_print"),
    path("tabungan/klaim/", public.ClaimView.as_view(), name="claim"),
]
