"""Branch product management and induk categories, relative to `/dasbor/`."""

from django.urls import path

from .views import categories, dashboard, variants

app_name = "catalog_dashboard"

urlpatterns = [
    path(
        "induk/kategori/",
        categories.CategoryListView.as_view(),
        name="category_list",
    ),
    path(
        "induk/kategori/baru/",
        categories.CategoryFormView.as_view(),
        name="category_create",
    ),
    path(
        "induk/kategori/bawaan/",
        categories.CategoryDefaultsView.as_view(),
        name="category_defaults",
    ),
    path(
        "induk/kategori/<int:pk>/",
        categories.CategoryFormView.as_view(),
        name="category_update",
    ),
    path(
        "induk/kategori/<int:pk>/hapus/",
        categories.CategoryDeleteView.as_view(),
        name="category_delete",
    ),
    path(
        "<slug:posdaya>/produk/",
        dashboard.ProductListView.as_view(),
        name="product_list",
    ),
    path(
        "<slug:posdaya>/produk/baru/",
        dashboard.ProductCreateView.as_view(),
        name="product_create",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/",
        dashboard.ProductEditView.as_view(),
        name="product_edit",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/status/",
        dashboard.ProductStatusView.as_view(),
        name="product_status",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/foto/",
        dashboard.ProductImagesView.as_view(),
        name="product_images",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/foto/<int:image_pk>/",
        dashboard.ProductImageActionView.as_view(),
        name="product_image_action",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/stok/",
        dashboard.ProductStockView.as_view(),
        name="product_stock",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/varian/",
        variants.VariantListView.as_view(),
        name="variant_list",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/varian/pilihan/",
        variants.VariantOptionsView.as_view(),
        name="variant_options",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/varian/<int:variant_pk>/",
        variants.VariantEditView.as_view(),
        name="variant_edit",
    ),
    path(
        "<slug:posdaya>/produk/<int:pk>/varian/<int:variant_pk>/stok/",
        variants.VariantStockView.as_view(),
        name="variant_stock",
    ),
]
