"""Public pages of the bank sampah: today's prices, and a member's own book."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from posdaya.selectors import active_posdaya

from .. import selectors


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
