"""Back-office URLs of the bank sampah.

Paths are Indonesian, one word per concept (nasabah, setoran, penarikan,
penjualan, stok, harga-sampah, jenis-sampah) and `baru/` for a new one, like
the rest of the dashboard; names are English (`deposit_create`, ...). Paths
that were renamed answer with a permanent redirect (308, so a POST is
repeated at the new address too) for bookmarks and open forms.
"""

from django.urls import path
from django.views.generic import RedirectView

from .views import dashboard as views
from .views import induk

app_name = "banksampah_dashboard"

P = "<slug:posdaya>/bank-sampah/"


def moved(new_name: str):
    """A permanent redirect (308) to `new_name`, keeping the query string."""
    return RedirectView.as_view(
        pattern_name=f"{app_name}:{new_name}",
        permanent=True,
        preserve_request=True,
        query_string=True,
        http_method_names=["get", "post", "head", "options"],
    )


urlpatterns = [
    # Induk (koordinator) pages: literal paths before any <slug:posdaya>/.
    path(
        "induk/harga-sampah/",
        induk.WastePriceListView.as_view(),
        name="waste_price_list",
    ),
    path(
        "induk/jenis-sampah/bawaan/",
        induk.DefaultWasteCategoriesView.as_view(),
        name="waste_category_defaults",
    ),
    path(
        "induk/jenis-sampah/baru/",
        induk.WasteCategoryFormView.as_view(),
        name="waste_category_create",
    ),
    path(
        "induk/jenis-sampah/<int:pk>/ubah/",
        induk.WasteCategoryFormView.as_view(),
        name="waste_category_update",
    ),
    path(P, views.HomeView.as_view(), name="home"),
    path(P + "nasabah/", views.MemberListView.as_view(), name="member_list"),
    path(P + "nasabah/baru/", views.MemberCreateView.as_view(), name="member_create"),
    path(
        P + "nasabah/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"
    ),
    path(
        P + "nasabah/<int:pk>/ubah/",
        views.MemberUpdateView.as_view(),
        name="member_update",
    ),
    path(
        P + "nasabah/<int:pk>/kode-klaim/",
        views.MemberClaimCodeView.as_view(),
        name="member_claim_code",
    ),
    path(
        P + "nasabah/<int:pk>/cetak/",
        views.MemberPassbookPrintView.as_view(),
        name="member_passbook_print",
    ),
    path(
        P + "nasabah/<int:pk>/penarikan/baru/",
        views.WithdrawalCreateView.as_view(),
        name="withdrawal_create",
    ),
    path(P + "setoran/baru/", views.DepositCreateView.as_view(), name="deposit_create"),
    path(
        P + "setoran/<int:pk>/",
        views.DepositReceiptView.as_view(),
        name="deposit_receipt",
    ),
    path(
        P + "setoran/<int:pk>/batal/",
        views.ReversalView.as_view(document_kind="deposit"),
        name="deposit_reverse",
    ),
    path(
        P + "penarikan/<int:pk>/",
        views.WithdrawalReceiptView.as_view(),
        name="withdrawal_receipt",
    ),
    path(
        P + "penarikan/<int:pk>/batal/",
        views.ReversalView.as_view(document_kind="withdrawal"),
        name="withdrawal_reverse",
    ),
    path(P + "stok/", views.WasteStockView.as_view(), name="waste_stock"),
    path(
        P + "stok/produksi/",
        views.ProductionUseCreateView.as_view(),
        name="production_use_create",
    ),
    path(
        P + "stok/penyesuaian/",
        views.AdjustmentCreateView.as_view(),
        name="adjustment_create",
    ),
    path(P + "penjualan/baru/", views.SaleCreateView.as_view(), name="sale_create"),
    path(
        P + "penjualan/<int:pk>/", views.SaleReceiptView.as_view(), name="sale_receipt"
    ),
    path(P + "laporan/", views.ReportView.as_view(), name="report"),
    path(
        P + "laporan/csv/",
        views.ReportView.as_view(),
        {"fmt": "csv"},
        name="report_csv",
    ),
    path(
        P + "laporan/xlsx/",
        views.ReportView.as_view(),
        {"fmt": "xlsx"},
        name="report_xlsx",
    ),
    # Old paths, kept for bookmarks (named so the form fuzz can list them).
    path(
        "induk/jenis-sampah/tambah/",
        moved("waste_category_create"),
        name="old_waste_category_create",
    ),
    path(P + "nasabah/tambah/", moved("member_create"), name="old_member_create"),
    path(
        P + "nasabah/<int:pk>/tarik/",
        moved("withdrawal_create"),
        name="old_withdrawal_create",
    ),
    path(P + "timbang/", moved("deposit_create"), name="old_deposit_create"),
    path(P + "stok/jual/", moved("sale_create"), name="old_sale_create"),
]
