"""Koordinator pages: the waste price list and the waste categories."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pasar.views import ServiceActionView, ServiceFormView
from posdaya.permissions import KoordinatorRequiredMixin
from posdaya.views import DashboardMixin

from .. import selectors, services
from ..forms import WasteCategoryForm, WastePriceForm
from ..models import WasteCategory


class IndukPage(KoordinatorRequiredMixin, DashboardMixin, ServiceFormView):
    """A koordinator's form page that goes back to the price list."""

    # FormView would also take PUT as a POST; these pages never did (405).
    http_method_names = ["get", "post", "head", "options"]

    def get_success_url(self, result=None):
        return reverse("banksampah_dashboard:waste_price_list")


class WastePriceListView(IndukPage):
    """Prices in force today, the history, and a form for a dated price."""

    template_name = "banksampah/dashboard/waste_price_list.html"
    form_class = WastePriceForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        prices = selectors.prices_in_force(on_date=today)
        context["today"] = today
        context["rows"] = [
            (category, prices.get(category.pk))
            for category in WasteCategory.objects.all()
        ]
        context["history"] = selectors.price_history()[:200]
        context["missing_defaults"] = services.missing_default_waste_categories()
        return context

    def perform(self, form):
        return services.set_waste_price(by=self.request.user, **form.cleaned_data)

    def get_success_message(self, price):
        return _("Harga disimpan.")


class WasteCategoryFormView(IndukPage):
    template_name = "banksampah/dashboard/waste_category_form.html"
    form_class = WasteCategoryForm

    @cached_property
    def category(self):
        """The category to change, looked up after the koordinator check."""
        if "pk" in self.kwargs:
            return get_object_or_404(WasteCategory, pk=self.kwargs["pk"])
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.category}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        return context

    def perform(self, form):
        return services.save_waste_category(
            category=self.category, by=self.request.user, **form.cleaned_data
        )

    def get_success_message(self, category):
        return _("Jenis sampah disimpan.")


class DefaultWasteCategoriesView(KoordinatorRequiredMixin, ServiceActionView):
    """Add the default waste categories that are missing, priced from today."""

    def perform(self, form):
        return services.add_default_waste_categories(
            by=self.request.user, valid_from=timezone.localdate()
        )

    def get_success_message(self, created):
        if not created:
            # Nothing was missing: said as information, not as a success.
            messages.info(self.request, _("Semua jenis sampah bawaan sudah ada."))
            return ""
        return ngettext(
            "%(count)s jenis sampah bawaan ditambahkan beserta harganya.",
            "%(count)s jenis sampah bawaan ditambahkan beserta harganya.",
            created,
        ) % {"count": created}

    def get_success_url(self, result=None):
        return reverse("banksampah_dashboard:waste_price_list")
