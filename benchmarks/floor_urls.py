"""The framework floor for the load benchmark, mounted only when
PASAR_BENCH_FLOOR is set: a minimal Django view rendering 24 rows from one
query with a trivial template, and a bare HttpResponse.
"""

from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import path

from catalog.models import Product

TEMPLATE = Engine().from_string(
    "<!DOCTYPE html><html><body><ul>"
    "{% for p in rows %}<li>{{ p.name }} {{ p.price }}</li>{% endfor %}"
    "</ul></body></html>"
)


def floor(request):
    rows = list(Product.objects.values("name", "price").order_by("id")[:24])
    return HttpResponse(TEMPLATE.render(Context({"rows": rows})))


def bare(request):
    return HttpResponse(b"ok")


urlpatterns = [
    path("floor/", floor),
    path("bare/", bare),
]
