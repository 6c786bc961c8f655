"""Branch product management under `/dasbor/<posdaya>/produk/`.

Pengelola of the POSDAYA and the koordinator only; every product is fetched
through `products_of_posdaya(self.posdaya)`, so another POSDAYA's id is a 404.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from pasar.views import ServiceActionView, ServiceFormView
from posdaya.permissions import Area, AreaRequiredMixin
from posdaya.views import DashboardMixin

from .. import selectors, services
from ..forms import (
    ImageUploadForm,
    MaterialFormSet,
    ProductForm,
    ProductStatusForm,
    StockAdjustmentForm,
    material_initial,
)
from ..models import Product


class PosdayaProductMixin(AreaRequiredMixin, DashboardMixin):
    """Access check plus the product named by `pk`, scoped to this POSDAYA."""

    area = Area.PRODUCTS

    def get_product(self) -> Product:
        if not hasattr(self, "_product"):
            self._product = get_object_or_404(
                selectors.products_of_posdaya(self.posdaya), pk=self.kwargs["pk"]
            )
        return self._product

    def product_url(self, name: str, product: Product) -> str:
        return reverse(
            f"catalog_dashboard:{name}",
            kwargs={"posdaya": self.posdaya.slug, "pk": product.pk},
        )


class ProductListView(PosdayaProductMixin, TemplateView):
    template_name = "catalog/dashboard/product_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        status = self.request.GET.get("status", "")
        products = selectors.search_posdaya_products(
            self.posdaya, query=query, status=status
        )
        page = Paginator(products, 25).get_page(self.request.GET.get("page"))
        context.update(
            page_obj=page,
            products=page.object_list,
            query=query,
            status=status,
            statuses=Product.Status.choices,
        )
        return context


class ValidationErrorOnFormMixin:
    """Show a photo's ValidationError (raised inside the service) on the form.

    The photo checks decode the upload inside the service's transaction, so
    they raise Django's ValidationError rather than a DomainError; nothing was
    saved when one comes back.
    """

    validation_error_field: str | None = None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(self.validation_error_field, error)
            return self.form_invalid(form)


class ProductFormMixin(
    ValidationErrorOnFormMixin, PosdayaProductMixin, ServiceFormView
):
    """The product form with its materials formset; both must be valid."""

    template_name = "catalog/dashboard/product_form.html"
    form_class = ProductForm
    prefix = "product"
    creating = True

    def get_form_kwargs(self):
        instance = None if self.creating else self.get_product()
        return {
            **super().get_form_kwargs(),
            "instance": instance,
            "creating": self.creating,
        }

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        initial = [] if self.creating else material_initial(self.get_product())
        return MaterialFormSet(data, initial=initial, prefix="bahan")

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        self.formset = self.get_formset()
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formset"] = getattr(self, "formset", None) or self.get_formset()
        context["creating"] = self.creating
        if not self.creating:
            context["product"] = self.get_product()
        return context

    def get_success_url(self, product=None) -> str:
        return self.product_url("product_edit", product)


class ProductCreateView(ProductFormMixin):
    creating = True

    def perform(self, form):
        data = form.cleaned_data
        return services.create_product(
            posdaya=self.posdaya,
            by=self.request.user,
            category=data["category"],
            name=data["name"],
            price=data["price"],
            description=data["description"],
            stock=data["stock"],
            weight_grams=data["weight_grams"],
            publish=data["publish"],
            materials=self.formset.material_lines(),
            images=data["images"],
            made_to_order=form.made_to_order_terms(),
        )

    def get_success_message(self, product) -> str:
        return _("Produk %(name)s disimpan.") % {"name": product.name}


class ProductEditView(ProductFormMixin):
    creating = False

    def perform(self, form):
        data = form.cleaned_data
        return services.update_product(
            product=self.get_product(),
            by=self.request.user,
            category=data["category"],
            name=data["name"],
            price=data["price"],
            description=data["description"],
            weight_grams=data["weight_grams"],
            materials=self.formset.material_lines(),
            made_to_order=form.made_to_order_terms(),
        )

    def get_success_message(self, product) -> str:
        return _("Perubahan %(name)s disimpan.") % {"name": product.name}


class ProductActionView(PosdayaProductMixin, ServiceActionView):
    """A button on a product page; the product is looked up before the form."""

    def post(self, request, *args, **kwargs):
        self.get_product()  # another POSDAYA's product: 404 whatever was posted
        return super().post(request, *args, **kwargs)


class ProductStatusView(ProductActionView):
    """POST publish / unpublish / archive."""

    form_class = ProductStatusForm
    SERVICES = {
        "publish": (services.publish_product, gettext_lazy("Produk ditayangkan.")),
        "unpublish": (
            services.unpublish_product,
            gettext_lazy("Produk dijadikan draf."),
        ),
        "archive": (services.archive_product, gettext_lazy("Produk diarsipkan.")),
    }

    def perform(self, form):
        action = form.cleaned_data["action"]
        self.SERVICES[action][0](product=self.get_product(), by=self.request.user)
        return action

    def get_success_message(self, action) -> str:
        return self.SERVICES[action][1]

    def get_success_url(self, result=None) -> str:
        return self.product_url("product_edit", self.get_product())


class ProductImagesView(
    ValidationErrorOnFormMixin, PosdayaProductMixin, ServiceFormView
):
    """List, upload (several at once), reorder and delete photos."""

    template_name = "catalog/dashboard/product_images.html"
    form_class = ImageUploadForm
    validation_error_field = "images"
    success_message = gettext_lazy("Foto ditambahkan.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.get_product()
        context.update(product=product, images=list(product.images.all()))
        return context

    def perform(self, form):
        return services.add_product_images(
            product=self.get_product(),
            uploads=form.cleaned_data["images"],
            by=self.request.user,
        )

    def get_success_url(self, result=None) -> str:
        return self.product_url("product_images", self.get_product())


class ProductImageActionView(ProductActionView):
    """POST on one photo: move it up or down, or delete it."""

    def perform(self, form):
        product = self.get_product()
        image = get_object_or_404(product.images.all(), pk=self.kwargs["image_pk"])
        action = self.request.POST.get("action")
        if action == "delete":
            services.delete_product_image(image=image, by=self.request.user)
        elif action in ("up", "down"):
            services.move_product_image(
                image=image, up=action == "up", by=self.request.user
            )
        return action

    def get_success_message(self, action) -> str:
        return _("Foto dihapus.") if action == "delete" else ""

    def get_success_url(self, result=None) -> str:
        return self.product_url("product_images", self.get_product())


class ProductStockView(PosdayaProductMixin, ServiceFormView):
    """Adjust stock with a reason; the history of movements below."""

    template_name = "catalog/dashboard/product_stock.html"
    form_class = StockAdjustmentForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.get_product()
        context.update(product=product, movements=selectors.stock_movements(product))
        return context

    def perform(self, form):
        return services.adjust_stock(
            product=self.get_product(),
            quantity=form.cleaned_data["quantity"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
            idempotency_key=form.cleaned_data["key"],
        )

    def get_success_message(self, movement) -> str:
        return _("Stok %(name)s sekarang %(stock)s.") % {
            "name": self.get_product().name,
            "stock": movement.stock_after,
        }

    def get_success_url(self, result=None) -> str:
        return self.product_url("product_stock", self.get_product())
