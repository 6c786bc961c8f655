from django.urls import path

from . import views

app_name = "posdaya_dashboard"

urlpatterns = [
    path("induk/staf/", views.StaffListView.as_view(), name="staff_list"),
    path("induk/staf/<int:pk>/cabut/", views.RevokeRoleView.as_view(), name="revoke"),
    path(
        "induk/posdaya/",
        views.PosdayaAdminListView.as_view(),
        name="posdaya_admin_list",
    ),
    path(
        "induk/posdaya/<slug:slug>/status/",
        views.PosdayaActiveView.as_view(),
        name="posdaya_active",
    ),
    path("induk/audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("<slug:posdaya>/profil/", views.PosdayaProfileView.as_view(), name="profile"),
    path("<slug:posdaya>/staf/", views.BranchStaffView.as_view(), name="branch_staff"),
]
