from django.urls import path

from .views import public

app_name = "catalog"

urlpatterns = [
    path("produk/", public.ProductListView.as_view(), name="product_list"),
    path(
        "produk/<slug:slug>/",
        public.ProductDetailView.as_view(),
        name="product_detail",
    ),
    path("kategori/<slug:slug>/", public.CategoryView.as_view(), name="category"),
    path("posdaya/<slug:slug>/", public.StorefrontView.as_view(), name="storefront"),
]
