"""Public pages of the bank sampah: today's prices, a member's own book at
/tabungan/, and claiming it with a code."""

from allauth.core.internal import ratelimit
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pasar.views import ServiceFormView
from posdaya.selectors import active_posdaya

from .. import selectors, services
from ..forms import ClaimForm

# Guesses at claim codes: 5 per account in 15 minutes, 20 per client an hour.
# Counted in the default cache (shared by every worker), with allauth's
# limiter, which sees the client behind the proxy (pasar.clientip). A code
# has 31^8 values and lives 14 days: guessing one is out of reach.
CLAIM_RATE_LIMITS = {"claim": "5/15m/user,20/h/ip"}


class WastePriceBoardView(TemplateView):
    """/harga-sampah/: today's buying prices and every POSDAYA's weighing days.

    Not page-cached: a price dated today takes effect at midnight without any
    write that could retire a cached copy, and the page is three small queries.
    """

    template_name = "banksampah/price_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["prices"] = selectors.priced_categories(on_date=today)
        context["posdaya_list"] = active_posdaya().order_by("name")
        return context


class PassbookView(LoginRequiredMixin, TemplateView):
    """Balance and entries of the signed-in member; a friendly page otherwise."""

    template_name = "banksampah/passbook.html"
    page_size = 25
    newest_first = True
    show_waste = True

    def get_template_names(self):
        if self.member is None:
            return ["banksampah/passbook_none.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.member = selectors.member_for_user(self.request.user)
        context["member"] = self.member
        if self.member is not None:
            entries = (
                selectors.passbook_recent_first(self.member)
                if self.newest_first
                else selectors.passbook(self.member)
            )
            if self.show_waste:
                context["waste"] = selectors.member_waste(self.member)
            context["page_obj"] = Paginator(entries, self.page_size).get_page(
                self.request.GET.get("page")
            )
        return context

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)


class PassbookPrintView(PassbookView):
    template_name = "banksampah/passbook_print.html"
    page_size = 100
    newest_first = False
    show_waste = False


class ClaimView(LoginRequiredMixin, ServiceFormView):
    """The signed-in member enters the claim code the petugas handed over."""

    template_name = "banksampah/claim.html"
    form_class = ClaimForm
    http_method_names = ["get", "post", "head", "options"]

    def get(self, request, *args, **kwargs):
        if selectors.member_for_user(request.user) is not None:
            return HttpResponseRedirect(reverse("banksampah:passbook"))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        allowed = ratelimit.consume(
            request,
            app="banksampah",
            action="claim",
            config=CLAIM_RATE_LIMITS,
            user=request.user,
        )
        if not allowed:
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None,
                _("Terlalu banyak percobaan. Tunggu 15 menit lalu coba lagi."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return services.claim_member(
            user=self.request.user, code=form.cleaned_data["code"]
        )

    def get_success_message(self, member):
        return _("Buku tabungan %(number)s atas nama %(name)s terhubung.") % {
            "number": member.account_number,
            "name": member.name,
        }

    def get_success_url(self, member):
        return reverse("banksampah:passbook")
