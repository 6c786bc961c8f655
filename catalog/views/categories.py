"""Craft categories under `/dasbor/induk/kategori/`: the koordinator's list.

Categories are shared by all 16 POSDAYA, so only the koordinator keeps them.
A category still used by a product cannot be deleted.
"""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from pasar.views import ServiceActionView, ServiceFormView
from posdaya.permissions import KoordinatorRequiredMixin
from posdaya.views import DashboardMixin

from .. import services
from ..forms import CategoryForm
from ..models import Category

LIST = reverse_lazy("catalog_dashboard:category_list")


class CategoryListView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    template_name = "catalog/dashboard/category_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = Category.objects.annotate(
            product_count=Count("products")
        ).order_by("order", "name")
        context["missing_defaults"] = services.missing_default_categories()
        return context


class CategoryFormView(KoordinatorRequiredMixin, DashboardMixin, ServiceFormView):
    """Create (no `pk`) or change a category."""

    template_name = "catalog/dashboard/category_form.html"
    form_class = CategoryForm
    success_url = LIST

    def get_object(self) -> Category | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Category, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form first
        context["category"] = self.object
        return context

    def perform(self, form):
        return services.save_category(category=form.save(commit=False))

    def get_success_message(self, category) -> str:
        return _("Kategori %(name)s disimpan.") % {"name": category.name}


class CategoryDeleteView(KoordinatorRequiredMixin, ServiceActionView):
    success_url = LIST

    def post(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        services.delete_category(category=self.category)

    def get_success_message(self, result) -> str:
        return _("Kategori %(name)s dihapus.") % {"name": self.category.name}


class CategoryDefaultsView(KoordinatorRequiredMixin, ServiceActionView):
    success_url = LIST

    def perform(self, form):
        return services.add_default_categories()

    def get_success_message(self, created: int) -> str:
        if not created:
            # Nothing was missing: information, not success.
            messages.info(self.request, _("Semua kategori bawaan sudah ada."))
            return ""
        return ngettext(
            "%(count)s kategori bawaan ditambahkan.",
            "%(count)s kategori bawaan ditambahkan.",
            created,
        ) % {"count": created}
