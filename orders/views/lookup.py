"""`/pesanan/cari/`: a guest who lost the link has it sent again.

The guest gives the order code and the WhatsApp number used at checkout and
picks WhatsApp or email; the link goes to the contact stored on the order,
never onto this page, and the answer is the same whether the order exists,
the number is wrong or it matched. Rate limited per client address and per
order code, in the shared cache (every worker counts together).
"""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from pasar.clientip import client_ip

from ..emails import resend_order_link
from ..forms import OrderLookupForm

LIMIT = 5  # attempts …
WINDOW = 10 * 60  # … per this many seconds, per client and per order code


def _over_limit(*keys: str) -> bool:
    """Count one attempt on each key; tell whether any passed LIMIT."""
    over = False
    for key in keys:
        cache.add(key, 0, WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW)
            count = 1
        over = over or count > LIMIT
    return over


class OrderLookupView(View):
    template_name = "orders/order_lookup.html"

    def get(self, request):
        return render(request, self.template_name, {"form": OrderLookupForm()})

    def post(self, request):
        form = OrderLookupForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        code = form.cleaned_data["code"]
        if _over_limit(
            f"order-lookup:ip:{client_ip(request)}", f"order-lookup:code:{code}"
        ):
            form.add_error(
                None, _("Terlalu banyak percobaan. Coba lagi dalam 10 menit.")
            )
            return render(request, self.template_name, {"form": form}, status=429)
        resend_order_link(
            code=code,
            phone=form.cleaned_data["phone"],
            channel=form.cleaned_data["channel"],
        )
        messages.success(
            request,
            _(
                "Jika kode pesanan dan nomor WhatsApp cocok, tautan pesanan sudah "
                "kami kirim ke kontak yang dipakai saat memesan."
            ),
        )
        return redirect("orders:order_lookup")
