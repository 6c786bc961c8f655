"""A product's variants under `/dasbor/<posdaya>/produk/<pk>/varian/`.

The same policy as the product pages (Area.PRODUCTS): the product is fetched
through this POSDAYA's products and the variant through that product, so
another POSDAYA's product or another product's variant is a 404.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from pasar.views import ServiceFormView

from .. import selectors, services
from ..forms import StockAdjustmentForm, VariantForm, VariantOptionsForm
from ..models import ProductVariant
from .dashboard import PosdayaProductMixin


class VariantMixin(PosdayaProductMixin):
    def get_variant(self) -> ProductVariant:
        if not hasattr(self, "_variant"):
            self._variant = get_object_or_404(
                self.get_product().variants.select_related("product"),
                pk=self.kwargs["variant_pk"],
            )
        return self._variant

    def variants_url(self) -> str:
        return self.product_url("variant_list", self.get_product())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.get_product()
        context.update(
            product=product,
            variants=list(product.variants.select_related("image")),
            options_form=VariantOptionsForm(
                initial={
                    "option1_name": product.option1_name,
                    "option2_name": product.option2_name,
                }
            ),
        )
        return context


class VariantListView(VariantMixin, ServiceFormView):
    """The variants with their stock, and the form that adds one."""

    template_name = "catalog/dashboard/variant_list.html"
    form_class = VariantForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "product": self.get_product()}

    def perform(self, form):
        return services.add_variant(
            product=self.get_product(), by=self.request.user, **form.variant_fields()
        )

    def get_success_message(self, variant) -> str:
        return _("Varian %(name)s ditambahkan.") % {"name": variant.name}

    def get_success_url(self, result=None) -> str:
        return self.variants_url()


class VariantOptionsView(VariantMixin, ServiceFormView):
    """Name the options the shopper chooses from (one or two)."""

    template_name = "catalog/dashboard/variant_list.html"
    form_class = VariantOptionsForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["options_form"] = context["form"]
        context["form"] = VariantForm(product=self.get_product())
        return context

    def perform(self, form):
        return services.set_variant_options(
            product=self.get_product(),
            option1_name=form.cleaned_data["option1_name"],
            option2_name=form.cleaned_data["option2_name"],
            by=self.request.user,
        )

    def get_success_message(self, product) -> str:
        return _("Nama pilihan disimpan.")

    def get_success_url(self, result=None) -> str:
        return self.variants_url()


class VariantEditView(VariantMixin, ServiceFormView):
    template_name = "catalog/dashboard/variant_form.html"
    form_class = VariantForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "product": self.get_product()}

    def get_initial(self):
        variant = self.get_variant()
        return {
            "option1": variant.option1,
            "option2": variant.option2,
            "price": variant.price,
            "image": variant.image_id,
            "made_to_order": variant.made_to_order,
            "lead_time_days": variant.lead_time_days,
            "made_to_order_cap": variant.made_to_order_cap,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["variant"] = self.get_variant()
        return context

    def perform(self, form):
        return services.update_variant(
            variant=self.get_variant(), by=self.request.user, **form.variant_fields()
        )

    def get_success_message(self, variant) -> str:
        return _("Varian %(name)s disimpan.") % {"name": variant.name}

    def get_success_url(self, result=None) -> str:
        return self.variants_url()


class VariantStockView(VariantMixin, ServiceFormView):
    """Adjust one variant's stock (and so the product's) with a reason."""

    template_name = "catalog/dashboard/variant_stock.html"
    form_class = StockAdjustmentForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        variant = self.get_variant()
        context.update(
            variant=variant,
            movements=selectors.variant_stock_movements(variant),
        )
        return context

    def perform(self, form):
        return services.adjust_stock(
            product=self.get_product(),
            variant=self.get_variant(),
            quantity=form.cleaned_data["quantity"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
            idempotency_key=form.cleaned_data["key"],
        )

    def get_success_message(self, movement) -> str:
        return _("Stok %(name)s sekarang %(stock)s.") % {
            "name": str(self.get_variant()),
            "stock": movement.variant_stock_after,
        }

    def get_success_url(self, result=None) -> str:
        return self.variants_url()
