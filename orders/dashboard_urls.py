"""Order back office under /dasbor/: induk sections first, then <posdaya>."""

from django.urls import path

from .views import dashboard as views

app_name = "orders_dashboard"

urlpatterns = [
    path("induk/ongkir/", views.ZoneListView.as_view(), name="zone_list"),
    path("induk/ongkir/baru/", views.ZoneCreateView.as_view(), name="zone_create"),
    path(
        "induk/ongkir/<int:pk>/ubah/",
        views.ZoneUpdateView.as_view(),
        name="zone_update",
    ),
    path("induk/qris/", views.IndukQrisView.as_view(), name="induk_qris"),
    path("induk/pesanan/", views.OrderOverviewView.as_view(), name="order_overview"),
    path(
        "induk/setelmen/",
        views.SettlementOverviewView.as_view(),
        name="settlement_overview",
    ),
    path("pembayaran/", views.PaymentListView.as_view(), name="payment_list"),
    path(
        "pembayaran/qris/<int:pk>/setujui/",
        views.PaymentQrisApproveView.as_view(),
        name="payment_qris_approve",
    ),
    path(
        "pembayaran/<int:pk>/",
        views.PaymentDetailView.as_view(),
        name="payment_detail",
    ),
    path(
        "pembayaran/<int:pk>/berkas/",
        views.PaymentProofFileView.as_view(),
        name="payment_proof_file",
    ),
    path(
        "pembayaran/<int:pk>/setujui/",
        views.PaymentApproveView.as_view(),
        name="payment_approve",
    ),
    path(
        "pembayaran/<int:pk>/tolak/",
        views.PaymentRejectView.as_view(),
        name="payment_reject",
    ),
    path(
        "<slug:posdaya>/pesanan/",
        views.SubOrderListView.as_view(),
        name="suborder_list",
    ),
    path(
        "<slug:posdaya>/pesanan/<int:pk>/",
        views.SubOrderDetailView.as_view(),
        name="suborder_detail",
    ),
    path(
        "<slug:posdaya>/pesanan/<int:pk>/ubah/",
        views.SubOrderTransitionView.as_view(),
        name="suborder_transition",
    ),
    path(
        "<slug:posdaya>/pesanan/<int:pk>/lunas/",
        views.SubOrderMarkPaidView.as_view(),
        name="suborder_mark_paid",
    ),
    path(
        "<slug:posdaya>/pesanan/<int:pk>/slip/",
        views.PackingSlipView.as_view(),
        name="packing_slip",
    ),
    path(
        "<slug:posdaya>/pesanan/<int:pk>/retur/",
        views.SubOrderRefundView.as_view(),
        name="suborder_refund",
    ),
    path(
        "<slug:posdaya>/setelmen/",
        views.SettlementStatementView.as_view(),
        name="settlement_statement",
    ),
]
