from django.urls import path

from .views import dashboard as views
from .views import induk

app_name = "banksampah_dashboard"

P = "<slug:posdaya>/bank-sampah/"

urlpatterns = [
    # Induk (koordinator) pages: literal paths before any <slug:posdaya>/.
    path("induk/harga-sampah/", induk.PriceListView.as_view(), name="price_list"),
    path(
        "induk/jenis-sampah/bawaan/",
        induk.DefaultCategoriesView.as_view(),
        name="category_defaults",
    ),
    path(
        "induk/jenis-sampah/tambah/",
        induk.CategoryFormView.as_view(),
        name="category_create",
    ),
    path(
        "induk/jenis-sampah/<int:pk>/ubah/",
        induk.CategoryFormView.as_view(),
        name="category_update",
    ),
    path(P, views.HomeView.as_view(), name="home"),
    path(P + "nasabah/", views.MemberListView.as_view(), name="member_list"),
    path(P + "nasabah/tambah/", views.MemberCreateView.as_view(), name="member_create"),
    path(
        P + "nasabah/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"
    ),
    path(
        P + "nasabah/<int:pk>/ubah/",
        views.MemberUpdateView.as_view(),
        name="member_update",
    ),
    path(
        P + "nasabah/<int:pk>/cetak/",
        views.MemberPassbookPrintView.as_view(),
        name="member_passbook_print",
    ),
    path(
        P + "nasabah/<int:pk>/tarik/",
        views.WithdrawalCreateView.as_view(),
        name="withdrawal_create",
    ),
    path(P + "timbang/", views.WeighingView.as_view(), name="weighing"),
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
    path(P + "stok/", views.StockView.as_view(), name="stock"),
    path(P + "stok/jual/", views.SaleCreateView.as_view(), name="sale_create"),
    path(
        P + "stok/produksi/",
        views.ProductionUseCreateView.as_view(),
        name="production_create",
    ),
    path(
        P + "stok/penyesuaian/",
        views.AdjustmentCreateView.as_view(),
        name="adjustment_create",
    ),
    path(P + "penjualan/<int:pk>/", views.SaleDetailView.as_view(), name="sale_detail"),
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
]
