"""Shopper pages: cart, checkout, order status, proof upload, invoice."""

import secrets

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import ListView

from banksampah.selectors import member_for_user
from catalog.models import Product
from pasar.ratelimit import allow
from pasar.views import ServiceActionView

from ..cart import (
    Cart,
    CartError,
    add_to_cart,
    resolve_variant,
    set_cart_quantity,
)
from ..forms import CartLineForm, CartRemoveForm, CheckoutForm, PaymentProofForm
from ..models import Order
from ..payments import get_payment_method
from ..qris import qr_png
from ..selectors import (
    active_zones,
    order_detail_queryset,
    order_for_visitor,
    orders_of_customer,
    qris_for_order,
    summarize_cart,
)
from ..services import (
    OrderError,
    Visitor,
    amount_due,
    check_proof_upload,
    expire_order_if_due,
    place_order,
    submit_payment_proof,
)
from ..services.unique_code import unique_codes_enabled
from ..whatsapp import suborder_message_for_posdaya


def _back(request, default: str):
    target = request.POST.get("next", "")
    # Only a path on this site; redirect() would read "0" or "home" as a view name.
    if (
        target.startswith("/")
        and "\\" not in target
        and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


class CartView(View):
    template_name = "orders/cart.html"

    def get(self, request):
        cart = Cart(request.session)
        summary = summarize_cart(cart.quantities())
        if summary.unavailable:
            cart.remove_many(summary.unavailable)
            messages.warning(
                request, _("Produk yang tidak lagi dijual dihapus dari keranjang.")
            )
        return render(request, self.template_name, {"summary": summary})


def cart_label(count: int) -> str:
    """The cart button's accessible name, with the number of units in it."""
    return ngettext(
        "Keranjang, %(count)s barang", "Keranjang, %(count)s barang", count
    ) % {"count": count}


class CartAddView(View):
    """Add a product to the cart.

    A plain form post redirects back with a message. The product page's script
    asks for JSON instead (`Accept: application/json`) and gets the message and
    the new cart count, so the shopper stays on the page; nothing is queued in
    the messages framework then. Not a ServiceActionView for that reason: the
    same outcome is answered two ways, and a refusal is a 400 in JSON.
    """

    def post(self, request):
        form = CartLineForm(request.POST)
        if not form.is_valid():
            if "variant" in form.errors:
                message = form.errors["variant"][0]
                return self.reply(request, False, message, back=True)
            return self.reply(request, False, _("Jumlah tidak valid."), back=True)
        product = (
            Product.objects.public().filter(pk=form.cleaned_data["product"]).first()
        )
        if product is None:
            return self.reply(request, False, _("Produk ini tidak lagi dijual."))
        try:
            variant = resolve_variant(
                product=product, variant_id=form.cleaned_data["variant"]
            )
            add_to_cart(
                cart=Cart(request.session),
                product=product,
                variant=variant,
                quantity=form.cleaned_data["quantity"],
            )
        except CartError as error:
            return self.reply(request, False, str(error), back=True)
        name = product.name if variant is None else f"{product.name} ({variant.name})"
        message = _("%(product)s masuk keranjang.") % {"product": name}
        return self.reply(request, True, message, back=True)

    @staticmethod
    def reply(request, ok: bool, message: str, *, back: bool = False):
        if "application/json" in request.headers.get("Accept", ""):
            count = Cart(request.session).count()
            return JsonResponse(
                {
                    "ok": ok,
                    "message": message,
                    "cart_count": count,
                    "cart_label": cart_label(count),
                },
                status=200 if ok else 400,
            )
        (messages.success if ok else messages.error)(request, message)
        cart_url = reverse("orders:cart")
        return _back(request, cart_url) if back else redirect(cart_url)


class CartActionView(ServiceActionView):
    """A cart button: every answer goes back to the cart page."""

    success_url = reverse_lazy("orders:cart")

    def service_refused(self, form, error):
        messages.error(self.request, error.message)
        return HttpResponseRedirect(self.get_failure_url())


class CartUpdateView(CartActionView):
    form_class = CartLineForm

    def perform(self, form):
        cart = Cart(self.request.session)
        product_id = form.cleaned_data["product"]
        variant_id = form.cleaned_data["variant"]
        product = Product.objects.public().filter(pk=product_id).first()
        if product is None:  # no longer sold: the cart page says so itself
            cart.remove(product_id, variant_id)
            return None
        variant = resolve_variant(product=product, variant_id=variant_id)
        return set_cart_quantity(
            cart=cart,
            product=product,
            variant=variant,
            quantity=form.cleaned_data["quantity"],
        )

    def form_invalid(self, form):
        messages.error(self.request, _("Jumlah tidak valid."))
        return HttpResponseRedirect(self.get_failure_url())


class CartRemoveView(CartActionView):
    form_class = CartRemoveForm

    def perform(self, form):
        Cart(self.request.session).remove(
            form.cleaned_data["product"], form.cleaned_data["variant"]
        )

    def get_success_message(self, result) -> str:
        # Information, not success: shown as such on the cart page.
        messages.info(self.request, _("Produk dihapus dari keranjang."))
        return ""

    def form_invalid(self, form):
        # A tampered id: nothing was in the cart under it, nothing to say.
        return HttpResponseRedirect(self.get_failure_url())


class CheckoutView(View):
    """Two steps without JavaScript: fill in, then confirm the priced summary.

    Not a ServiceFormView: one form is posted twice (review, then confirm), a
    refused order is shown on the review page with a fresh summary, and an
    emptied cart sends a second submit to the order it already placed.
    """

    template_name = "orders/checkout.html"

    def get(self, request):
        cart = Cart(request.session)
        summary = summarize_cart(cart.quantities())
        if not summary:
            messages.info(request, _("Keranjang Anda kosong."))
            return redirect("orders:cart")
        user = request.user
        initial = {"checkout_token": secrets.token_urlsafe(24)}
        if user.is_authenticated:
            initial["name"] = user.get_full_name() or user.get_username()
            initial["email"] = user.email
        form = CheckoutForm(
            initial=initial,
            zones=active_zones(),
            savings_member=member_for_user(user),
        )
        return self._render(request, form, summary, confirming=False)

    def post(self, request):
        cart = Cart(request.session)
        form = CheckoutForm(
            request.POST,
            zones=active_zones(),
            savings_member=member_for_user(request.user),
        )
        if not form.is_valid():
            summary = summarize_cart(cart.quantities())
            if not summary:
                return self._existing_or_cart(request, form)
            return self._render(request, form, summary, confirming=False)
        data = form.cleaned_data
        if "confirm" not in request.POST:
            summary = summarize_cart(
                cart.quantities(), method=data["delivery_method"], zone=data["zone"]
            )
            if not summary:
                return self._existing_or_cart(request, form)
            return self._render(request, form, summary, confirming=True)
        # Over the limit, a second submit of a placed order still goes to it.
        if (
            not allow(request, "checkout")
            and not Order.objects.filter(checkout_token=data["checkout_token"]).exists()
        ):
            messages.error(
                request,
                _("Terlalu banyak pesanan dari jaringan Anda. Coba lagi nanti."),
            )
            summary = summarize_cart(cart.quantities())
            if not summary:
                return redirect("orders:cart")
            return self._render(request, form, summary, confirming=False, status=429)
        placed_here = _placed_in_session(request.session)
        try:
            placed = place_order(
                quantities=cart.quantities(),
                customer=request.user,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                delivery_method=data["delivery_method"],
                address=data["address"],
                zone=data["zone"],
                payment_method=data["payment_method"],
                checkout_token=data["checkout_token"],
                expected_total=data["expected_total"],
                note=data["note"],
                visitor=Visitor(order_ids=placed_here),
                savings_amount=form.savings_part(),
            )
        except OrderError as error:
            messages.error(request, str(error))
            summary = summarize_cart(cart.quantities())
            if not summary:
                return redirect("orders:cart")
            return self._render(request, form, summary, confirming=False)
        order = placed.order
        if placed.created:
            cart.clear()
            # The newest few are enough: the cap counts the open ones.
            keep = (*placed_here, order.pk)[-PLACED_KEPT:]
            request.session[PLACED_SESSION_KEY] = list(keep)
            messages.success(
                request,
                _("Terima kasih! Pesanan %(code)s sudah kami terima.")
                % {"code": order.code},
            )
        return redirect(_order_url(order))

    def _existing_or_cart(self, request, form):
        # Only a token that passed the form's validation reaches the database.
        token = form.cleaned_data.get("checkout_token", "")
        order = Order.objects.filter(checkout_token=token).first() if token else None
        if order is not None:
            return redirect(_order_url(order))
        messages.info(request, _("Keranjang Anda kosong."))
        return redirect("orders:cart")

    def _render(self, request, form, summary, *, confirming: bool, status=200):
        if confirming:
            form.data = form.data.copy()
            form.data["expected_total"] = summary.total
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "summary": summary,
                "confirming": confirming,
                "unique_code_on": unique_codes_enabled(),
            },
            status=status,
        )


# The orders this browser session placed, for the cap per visitor.
PLACED_SESSION_KEY = "orders_placed"
PLACED_KEPT = 20


def _placed_in_session(session) -> tuple[int, ...]:
    raw = session.get(PLACED_SESSION_KEY)
    if not isinstance(raw, list):
        return ()
    return tuple(pk for pk in raw if isinstance(pk, int))[-PLACED_KEPT:]


def _order_url(order: Order) -> str:
    return f"{order.get_absolute_url()}?t={order.secret}"


class OrderAccessMixin:
    """Find the order by code for its secret link or its owner; else 404."""

    def get_order(self, request, code: str) -> Order:
        token = request.GET.get("t") or request.POST.get("t") or ""
        order = order_for_visitor(code=code, token=token, user=request.user)
        if order is None:
            raise Http404
        if (
            order.status == Order.Status.AWAITING_PAYMENT
            and order.expires_at
            and order.expires_at <= timezone.now()
        ):
            expire_order_if_due(order_id=order.pk)
        return order_detail_queryset().get(pk=order.pk)

    def order_context(self, order: Order) -> dict:
        suborders = list(order.suborders.all())
        for suborder in suborders:
            suborder.whatsapp_text = suborder_message_for_posdaya(order, suborder)
        due = amount_due(order)
        return {
            "order": order,
            "suborders": suborders,
            "amount_due": due,
            "payment": get_payment_method(order.payment_method),
            "qris": qris_for_order(order, due),
            "token": order.secret,
        }


class OrderDetailView(OrderAccessMixin, View):
    template_name = "orders/order_detail.html"

    def get(self, request, code):
        order = self.get_order(request, code)
        context = self.order_context(order)
        proofs = list(order.proofs.all())
        context.update(
            proofs=proofs,
            last_rejected=next(
                (p for p in proofs if p.status == p.Status.REJECTED), None
            ),
            can_upload=(
                context["payment"].needs_proof
                and order.status == Order.Status.AWAITING_PAYMENT
            ),
            proof_form=PaymentProofForm(optional=context["payment"].proof_optional),
        )
        return render(request, self.template_name, context)


class PaymentProofUploadView(OrderAccessMixin, ServiceActionView):
    form_class = PaymentProofForm
    success_message = gettext_lazy("Bukti transfer terkirim. Kami periksa secepatnya.")

    def post(self, request, *args, **kwargs):
        # The order, its secret and its state first, the file last: a wrong
        # code or link is a 404 and a refused state a message, whatever was
        # posted, and neither costs the decoding of an image or a PDF.
        self.order = self.get_order(request, kwargs["code"])
        try:
            check_proof_upload(order=self.order)
        except OrderError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(self.get_success_url())
        if not allow(request, "proof_upload", key=self.order.code):
            messages.error(
                request, _("Terlalu banyak unggahan bukti. Coba lagi nanti.")
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        optional = get_payment_method(self.order.payment_method).proof_optional
        return {**super().get_form_kwargs(), "optional": optional}

    def get_success_message(self, result) -> str:
        if result.file:
            return super().get_success_message(result)
        return _("Terima kasih. Pembayaran QRIS Anda kami periksa secepatnya.")

    def perform(self, form):
        return submit_payment_proof(
            order=self.order,
            file=form.cleaned_data["file"],
            kind=form.kind,
            by=self.request.user,
        )

    def get_success_url(self, result=None) -> str:
        return _order_url(self.order)


class OrderQrisImageView(OrderAccessMixin, View):
    """The order's QRIS as a PNG, for the email and apps that cannot show SVG."""

    def get(self, request, code):
        order = self.get_order(request, code)
        code = qris_for_order(order, amount_due(order))
        if code is None:
            raise Http404
        response = HttpResponse(qr_png(code.payload, scale=8), content_type="image/png")
        response["Cache-Control"] = "private, no-store"
        return response


class InvoiceView(OrderAccessMixin, View):
    template_name = "orders/invoice.html"

    def get(self, request, code):
        order = self.get_order(request, code)
        return render(request, self.template_name, self.order_context(order))


class MyOrdersView(LoginRequiredMixin, ListView):
    template_name = "orders/my_orders.html"
    context_object_name = "orders"
    paginate_by = 20

    def get_queryset(self):
        return orders_of_customer(self.request.user)
