"""Site-wide pages: home, about, guide, health check, error pages."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from catalog import selectors as catalog_selectors
from pasar import pagecache
from pasar.charts import Series, horizontal_bars
from pasar.siteurl import absolute_url
from posdaya.selectors import active_posdaya

from ..impact import impact


class HomeView(TemplateView):
    template_name = "pasar/home.html"

    def render_home(self, dependencies) -> dict:
        context = {
            "posdaya_list": active_posdaya(),
            "new_products": catalog_selectors.new_products(),
            "categories": catalog_selectors.categories(),
            "impact": impact().overall,
        }
        pagecache.remember_home_products(p.pk for p in context["new_products"])
        content = render_to_string(
            f"{self.template_name}#content", context, self.request
        )
        return {"content": content}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = pagecache.normalise(self.request, "home")
        context["home"] = pagecache.fragment(
            self.request,
            "home",
            parts=None if query is None else (),
            scopes=[pagecache.HOME],
            render=self.render_home,
        )
        return context


class ImpactView(TemplateView):
    """Public impact page: waste collected, turned into crafts, paid out."""

    template_name = "pasar/impact.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = impact()
        context["impact"] = figures
        context["collected_chart"] = horizontal_bars(
            [p.name for p, _f in figures.per_posdaya],
            [
                Series(
                    _("Dikumpulkan bank sampah"),
                    [float(f.collected_kg) for _p, f in figures.per_posdaya],
                ),
                Series(
                    _("Menjadi kerajinan terjual"),
                    [float(f.in_products_kg) for _p, f in figures.per_posdaya],
                ),
            ],
            title=_("Sampah per POSDAYA (kg)"),
        )
        context["paid_chart"] = horizontal_bars(
            [month.strftime("%m-%Y") for month, _f in figures.per_month],
            [
                Series(
                    _("Lewat bank sampah"), [f.paid_bank for _m, f in figures.per_month]
                ),
                Series(
                    _("Lewat penjualan produk"),
                    [f.paid_products for _m, f in figures.per_month],
                ),
            ],
            title=_("Rupiah untuk rumah tangga per bulan"),
        )
        return context


def healthz(request):
    """Answer 200 when the app and its database answer; 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /dasbor/",
        "Disallow: /akun/",
        "Disallow: /keranjang/",
        "Disallow: /checkout/",
        "Disallow: /pesanan/",
        "Disallow: /tabungan/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
