"""Outbox pages under /dasbor/: the induk's list, then each POSDAYA's."""

from django.urls import path

from . import views

app_name = "notifications_dashboard"

urlpatterns = [
    path("induk/pesan/", views.OutboxView.as_view(), name="outbox"),
    path(
        "induk/pesan/<int:pk>/terkirim/",
        views.IndukMarkSentView.as_view(),
        name="induk_mark_sent",
    ),
    path(
        "induk/pesan/<int:pk>/ulang/",
        views.RetryView.as_view(),
        name="retry",
    ),
    path(
        "<slug:posdaya>/pesan/",
        views.BranchMessagesView.as_view(),
        name="branch_messages",
    ),
    path(
        "<slug:posdaya>/pesan/<int:pk>/terkirim/",
        views.BranchMarkSentView.as_view(),
        name="branch_mark_sent",
    ),
]
