from django.urls import path

from . import views

app_name = "posdaya"

urlpatterns = [
    path("", views.PosdayaListView.as_view(), name="list"),
]
