from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve

from pasar import pwa

from . import sitemaps
from .views import public as views

handler400 = "pasar.site.views.public.error_400"
handler403 = "pasar.site.views.public.error_403"
handler404 = "pasar.site.views.public.error_404"
handler500 = "pasar.site.views.public.error_500"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"
    ),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "tentang/",
        TemplateView.as_view(template_name="pasar/about.html"),
        name="about",
    ),
    path("dampak/", views.ImpactView.as_view(), name="impact"),
    path(
        "panduan/",
        TemplateView.as_view(template_name="pasar/guide.html"),
        name="guide",
    ),
    path("", include("orders.urls")),
    path("", include("reviews.urls")),
    path("", include("banksampah.urls")),
    path("akun/", include("allauth.urls")),
    path("posdaya/", include("posdaya.urls")),
    path("", include("catalog.urls")),
    # Dashboard: literal sections (induk, pembayaran) before <posdaya> slugs.
    path("dasbor/", include("notifications.dashboard_urls")),
    path("dasbor/", include("orders.dashboard_urls")),
    path("dasbor/", include("reviews.dashboard_urls")),
    path("dasbor/", include("banksampah.dashboard_urls")),
    path("dasbor/", include("catalog.dashboard_urls")),
    path("dasbor/", include("posdaya.dashboard_urls")),
    path("dasbor/", include("pasar.site.dashboard_urls")),
    path("admin/", admin.site.urls),
]

# Uploaded media: served by Django when no proxy or object storage does it.
if settings.DEBUG or settings.PASAR_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

# The load benchmark's floor views (benchmarks/load.py); never in normal runs.
if settings.PASAR_BENCH_FLOOR:
    urlpatterns += [path("_bench/", include("benchmarks.floor_urls"))]
