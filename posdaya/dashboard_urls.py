from django.urls import path

from . import views

app_name = "posdaya_dashboard"

urlpatterns = [
    path("", views.DashboardHomeView.as_view(), name="home"),
    path("<slug:posdaya>/", views.BranchHomeView.as_view(), name="branch_home"),
]
