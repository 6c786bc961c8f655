"""Review pages: the buyer's form per order line, a product's reviews, and the
POSDAYA's (reply) and the koordinator's (hide) lists in the dashboard."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from catalog.models import Product
from catalog.selectors import get_public_product
from orders.views.public import OrderAccessMixin
from pasar.ratelimit import allow
from pasar.views import ServiceActionView
from posdaya.permissions import Area, AreaRequiredMixin, KoordinatorRequiredMixin
from posdaya.views import DashboardMixin

from . import selectors, services
from .forms import HideForm, ReplyForm, ReviewForm

PER_PAGE = 20


def _order_reviews_url(order) -> str:
    url = reverse("reviews:order", kwargs={"code": order.code})
    return f"{url}?t={order.secret}"


class OrderReviewsView(OrderAccessMixin, View):
    """`/pesanan/<code>/ulasan/`: rate each product of a completed sub-order."""

    template_name = "reviews/order_reviews.html"

    def get(self, request, code):
        return self.render(request, self.get_order(request, code))

    def render(self, request, order, *, bound=None, status=200):
        rows = selectors.order_lines_to_review(order)
        for row in rows:
            if row["review"] is None:
                line = row["line"]
                row["form"] = (
                    bound[1] if bound and bound[0] == line.pk else ReviewForm()
                )
        return render(
            request,
            self.template_name,
            {"order": order, "rows": rows, "token": order.secret},
            status=status,
        )


class ReviewCreateView(OrderReviewsView):
    """POST `/pesanan/<code>/ulasan/<line>/`: one review of one order line."""

    http_method_names = ["post"]

    def post(self, request, code, line):
        order = self.get_order(request, code)
        if not allow(request, "review"):
            messages.error(
                request,
                _("Terlalu banyak ulasan dikirim. Coba lagi beberapa menit lagi."),
            )
            return redirect(_order_reviews_url(order))
        form = ReviewForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.post_review(
                    order=order,
                    line_id=line,
                    rating=form.cleaned_data["rating"],
                    text=form.cleaned_data["text"],
                    photo=form.cleaned_data["photo"],
                    by=request.user,
                )
            except services.ReviewError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                messages.success(request, _("Terima kasih, ulasan Anda sudah tampil."))
                return redirect(_order_reviews_url(order))
        if not any(row["line"].pk == line for row in _rows_without_review(order)):
            # A line of no completed sub-order (or reviewed already): say why.
            messages.error(request, _first_error(form))
            return redirect(_order_reviews_url(order))
        return self.render(request, order, bound=(line, form))


def _rows_without_review(order):
    return [
        row for row in selectors.order_lines_to_review(order) if row["review"] is None
    ]


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return _("Ulasan tidak bisa disimpan.")


class ProductReviewsView(TemplateView):
    """`/produk/<slug>/ulasan/`: every visible review of a product, 20 a page."""

    template_name = "reviews/product_reviews.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            product = get_public_product(kwargs["slug"])
        except Product.DoesNotExist:
            raise Http404 from None
        page = Paginator(selectors.visible_reviews(product), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(product=product, page_obj=page, reviews=page.object_list)
        return context


# --- dashboard -----------------------------------------------------------------


class BranchReviewMixin(AreaRequiredMixin, DashboardMixin):
    """The reviews of this POSDAYA's products: its pengelola and the koordinator."""

    area = Area.PRODUCTS


class BranchReviewListView(BranchReviewMixin, TemplateView):
    """`/dasbor/<posdaya>/ulasan/`: reviews of the POSDAYA's products, to reply."""

    template_name = "reviews/dashboard/branch_reviews.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.reviews_of_posdaya(self.posdaya), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(page_obj=page, reviews=page.object_list, form=ReplyForm())
        return context


class ReviewReplyView(BranchReviewMixin, ServiceActionView):
    """POST `/dasbor/<posdaya>/ulasan/<pk>/balas/`: the POSDAYA's one reply."""

    form_class = ReplyForm
    success_message = gettext_lazy("Balasan tersimpan.")

    def perform(self, form):
        review = get_object_or_404(
            selectors.reviews_of_posdaya(self.posdaya), pk=self.kwargs["pk"]
        )
        return services.reply_to_review(
            review=review, text=form.cleaned_data["text"], by=self.request.user
        )

    def get_success_url(self, result=None) -> str:
        return reverse(
            "reviews_dashboard:branch_list", kwargs={"posdaya": self.posdaya.slug}
        )


class IndukReviewListView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    """`/dasbor/induk/ulasan/`: every review of every POSDAYA, to hide."""

    template_name = "reviews/dashboard/induk_reviews.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.all_reviews(), PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(page_obj=page, reviews=page.object_list, form=HideForm())
        return context


class ReviewHideView(KoordinatorRequiredMixin, ServiceActionView):
    """POST `/dasbor/induk/ulasan/<pk>/sembunyikan/`: hide with a reason."""

    form_class = HideForm
    success_message = gettext_lazy("Ulasan disembunyikan.")

    def perform(self, form):
        review = get_object_or_404(selectors.all_reviews(), pk=self.kwargs["pk"])
        return services.hide_review(
            review=review, reason=form.cleaned_data["reason"], by=self.request.user
        )

    def get_success_url(self, result=None) -> str:
        return reverse("reviews_dashboard:induk_list")
