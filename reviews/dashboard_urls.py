"""Review pages of the dashboard, relative to `/dasbor/` (induk before slugs)."""

from django.urls import path

from . import views

app_name = "reviews_dashboard"

urlpatterns = [
    path("induk/ulasan/", views.IndukReviewListView.as_view(), name="induk_list"),
    path(
        "induk/ulasan/<int:pk>/sembunyikan/",
        views.ReviewHideView.as_view(),
        name="hide",
    ),
    path(
        "<slug:posdaya>/ulasan/",
        views.BranchReviewListView.as_view(),
        name="branch_list",
    ),
    path(
        "<slug:posdaya>/ulasan/<int:pk>/balas/",
        views.ReviewReplyView.as_view(),
        name="reply",
    ),
]
