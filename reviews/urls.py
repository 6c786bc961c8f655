from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("pesanan/<str:code>/ulasan/", views.OrderReviewsView.as_view(), name="order"),
    path(
        "pesanan/<str:code>/ulasan/<int:line>/",
        views.ReviewCreateView.as_view(),
        name="create",
    ),
    path(
        "produk/<slug:slug>/ulasan/",
        views.ProductReviewsView.as_view(),
        name="product",
    ),
]
