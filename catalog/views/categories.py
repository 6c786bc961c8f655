"""Craft categories under `/dasbor/induk/kategori/`: the koordinator's list.

Categories are shared by all 16 POSDAYA, so only the koordinator keeps them.
A category still used by a product cannot be deleted.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from posdaya.permissions import KoordinatorRequiredMixin
from posdaya.views import DashboardMixin

from .. import services
from ..forms import CategoryForm
from ..models import Category

LIST = "catalog_dashboard:category_list"


class CategoryListView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    template_name = "catalog/dashboard/category_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = Category.objects.annotate(
            product_count=Count("products")
        ).order_by("order", "name")
        context["missing_defaults"] = services.missing_default_categories()
        return context


class CategoryFormView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    template_name = "catalog/dashboard/category_form.html"

    def get_object(self) -> Category | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Category, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.object
        context.setdefault("form", CategoryForm(instance=self.object))
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = CategoryForm(request.POST, instance=self.object)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        category = services.save_category(category=form.save(commit=False))
        messages.success(
            request, _("Kategori %(name)s disimpan.") % {"name": category.name}
        )
        return redirect(LIST)


class CategoryDeleteView(KoordinatorRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        category = get_object_or_404(Category, pk=pk)
        try:
            services.delete_category(category=category)
        except services.CatalogError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Kategori %(name)s dihapus.") % {"name": category.name}
            )
        return redirect(LIST)


class DefaultCategoriesView(KoordinatorRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        created = services.add_default_categories()
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)s kategori bawaan ditambahkan.",
                    "%(count)s kategori bawaan ditambahkan.",
                    created,
                )
                % {"count": created},
            )
        else:
            messages.info(request, _("Semua kategori bawaan sudah ada."))
        return redirect(LIST)
