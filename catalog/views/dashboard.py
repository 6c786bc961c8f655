"""Branch product management under `/dasbor/<posdaya>/produk/`.

Pengelola of the POSDAYA and the koordinator only; every product is fetched
through `products_for_branch(self.posdaya)`, so another POSDAYA's id is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

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


class BranchProductMixin(AreaRequiredMixin, DashboardMixin):
    """Access check plus the product named by `pk`, scoped to this POSDAYA."""

    area = Area.PRODUCTS

    def get_product(self) -> Product:
        if not hasattr(self, "_product"):
            self._product = get_object_or_404(
                selectors.products_for_branch(self.posdaya), pk=self.kwargs["pk"]
            )
        return self._product

    def product_url(self, name: str, product: Product) -> str:
        return reverse(
            f"catalog_dashboard:{name}",
            kwargs={"posdaya": self.posdaya.slug, "pk": product.pk},
        )


class ProductListView(BranchProductMixin, TemplateView):
    template_name = "catalog/dashboard/product_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:100]
        status = self.request.GET.get("status", "")
        products = selectors.search_branch_products(
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


class ProductFormMixin(BranchProductMixin):
    template_name = "catalog/dashboard/product_form.html"
    creating = True

    def get_forms(self, data=None, files=None):
        instance = None if self.creating else self.get_product()
        form = ProductForm(
            data, files, instance=instance, creating=self.creating, prefix="product"
        )
        initial = [] if self.creating else material_initial(instance)
        formset = MaterialFormSet(data, initial=initial, prefix="bahan")
        return form, formset

    def get(self, request, *args, **kwargs):
        form, formset = self.get_forms()
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset)
        )

    def post(self, request, *args, **kwargs):
        form, formset = self.get_forms(request.POST, request.FILES)
        if form.is_valid() and formset.is_valid():
            try:
                product = self.save(form, formset)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(self.product_url("product_edit", product))
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset), status=200
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["creating"] = self.creating
        if not self.creating:
            context["product"] = self.get_product()
        return context


class ProductCreateView(ProductFormMixin, TemplateView):
    creating = True

    def save(self, form, formset):
        data = form.cleaned_data
        product = services.create_product(
            posdaya=self.posdaya,
            by=self.request.user,
            category=data["category"],
            name=data["name"],
            price=data["price"],
            description=data["description"],
            stock=data["stock"],
            weight_grams=data["weight_grams"],
            publish=data["publish"],
            materials=formset.material_lines(),
            images=data["images"],
        )
        messages.success(
            self.request, _("Produk %(name)s disimpan.") % {"name": product.name}
        )
        return product


class ProductEditView(ProductFormMixin, TemplateView):
    creating = False

    def save(self, form, formset):
        data = form.cleaned_data
        product = services.update_product(
            product=self.get_product(),
            by=self.request.user,
            category=data["category"],
            name=data["name"],
            price=data["price"],
            description=data["description"],
            weight_grams=data["weight_grams"],
            materials=formset.material_lines(),
        )
        messages.success(
            self.request, _("Perubahan %(name)s disimpan.") % {"name": product.name}
        )
        return product


class ProductStatusView(BranchProductMixin, View):
    """POST publish / unpublish / archive."""

    def post(self, request, *args, **kwargs):
        product = self.get_product()
        form = ProductStatusForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            if action == "publish":
                services.publish_product(product=product, by=request.user)
                messages.success(request, _("Produk ditayangkan."))
            elif action == "unpublish":
                services.unpublish_product(product=product, by=request.user)
                messages.success(request, _("Produk dijadikan draf."))
            else:
                services.archive_product(product=product, by=request.user)
                messages.success(request, _("Produk diarsipkan."))
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
        return redirect(self.product_url("product_edit", product))


class ProductImagesView(BranchProductMixin, TemplateView):
    """List, upload (several at once), reorder and delete photos."""

    template_name = "catalog/dashboard/product_images.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.get_product()
        context.setdefault("form", ImageUploadForm())
        context.update(product=product, images=list(product.images.all()))
        return context

    def post(self, request, *args, **kwargs):
        product = self.get_product()
        form = ImageUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    for upload in form.cleaned_data["images"]:
                        services.add_product_image(
                            product=product, upload=upload, by=request.user
                        )
            except ValidationError as error:
                form.add_error("images", error)
            else:
                messages.success(request, _("Foto ditambahkan."))
                return redirect(self.product_url("product_images", product))
        return self.render_to_response(self.get_context_data(form=form))


class ProductImageActionView(BranchProductMixin, View):
    """POST on one photo: move it up or down, or delete it."""

    def post(self, request, *args, **kwargs):
        product = self.get_product()
        image = get_object_or_404(product.images.all(), pk=kwargs["image_pk"])
        action = request.POST.get("action")
        if action == "delete":
            services.delete_product_image(image=image, by=request.user)
            messages.success(request, _("Foto dihapus."))
        elif action in ("up", "down"):
            services.move_product_image(image=image, up=action == "up", by=request.user)
        return HttpResponseRedirect(self.product_url("product_images", product))


class ProductStockView(BranchProductMixin, TemplateView):
    """Adjust stock with a reason; the history of movements below."""

    template_name = "catalog/dashboard/product_stock.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.get_product()
        context.setdefault("form", StockAdjustmentForm())
        context.update(product=product, movements=selectors.stock_movements(product))
        return context

    def post(self, request, *args, **kwargs):
        product = self.get_product()
        form = StockAdjustmentForm(request.POST)
        if form.is_valid():
            try:
                services.adjust_stock(
                    product=product,
                    quantity=form.cleaned_data["quantity"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except services.CatalogError as error:
                form.add_error("quantity", error.message)
            else:
                messages.success(
                    request,
                    _("Stok %(name)s sekarang %(stock)s.")
                    % {"name": product.name, "stock": product.stock},
                )
                return redirect(self.product_url("product_stock", product))
        return self.render_to_response(self.get_context_data(form=form))
