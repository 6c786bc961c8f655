"""Dashboard landing pages under /dasbor/: the entry, the induk, a branch."""

from django.urls import path, re_path

from .views import dashboard as views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardHomeView.as_view(), name="home"),
    path("induk/", views.IndukDashboardView.as_view(), name="induk"),
    re_path(
        r"^induk/ekspor/(?P<report>pendapatan|semua)\.(?P<fmt>csv|xlsx)$",
        views.IndukExportView.as_view(),
        name="induk_export",
    ),
    path("<slug:posdaya>/", views.BranchHomeView.as_view(), name="branch_home"),
]
