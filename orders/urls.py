from django.urls import path

from .views import lookup, public

app_name = "orders"

urlpatterns = [
    path("keranjang/", public.CartView.as_view(), name="cart"),
    path("keranjang/tambah/", public.CartAddView.as_view(), name="cart_add"),
    path("keranjang/ubah/", public.CartUpdateView.as_view(), name="cart_update"),
    path("keranjang/hapus/", public.CartRemoveView.as_view(), name="cart_remove"),
    path("checkout/", public.CheckoutView.as_view(), name="checkout"),
    path("pesanan/cari/", lookup.OrderLookupView.as_view(), name="order_lookup"),
    path("pesanan/<str:code>/", public.OrderDetailView.as_view(), name="order_detail"),
    path(
        "pesanan/<str:code>/bukti/",
        public.PaymentProofUploadView.as_view(),
        name="proof_upload",
    ),
    path("pesanan/<str:code>/invoice/", public.InvoiceView.as_view(), name="invoice"),
    path(
        "pesanan/<str:code>/qris.png",
        public.OrderQrisImageView.as_view(),
        name="order_qris_png",
    ),
    path("akun/pesanan/", public.MyOrdersView.as_view(), name="my_orders"),
]
