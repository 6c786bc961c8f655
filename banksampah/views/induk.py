"""Koordinator pages: the waste price list and the waste categories."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from posdaya.permissions import KoordinatorRequiredMixin
from posdaya.views import DashboardMixin

from .. import selectors, services
from ..forms import WasteCategoryForm, WastePriceForm
from ..models import WasteCategory
from ..services import BankSampahError


class PriceListView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    """Prices in force today, the history, and a form for a dated price."""

    template_name = "banksampah/dashboard/price_list.html"

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
        context.setdefault("form", WastePriceForm())
        return context

    def post(self, request, *args, **kwargs):
        form = WastePriceForm(request.POST)
        if form.is_valid():
            try:
                services.set_waste_price(by=request.user, **form.cleaned_data)
            except BankSampahError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Harga disimpan."))
                return redirect("banksampah_dashboard:price_list")
        return self.render_to_response(self.get_context_data(form=form))


class CategoryFormView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    template_name = "banksampah/dashboard/category_form.html"

    def get_object(self):
        if "pk" in self.kwargs:
            return get_object_or_404(WasteCategory, pk=self.kwargs["pk"])
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.object
        context.setdefault("form", WasteCategoryForm(instance=self.object))
        return context

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = WasteCategoryForm(request.POST, instance=self.object)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.save_waste_category(
            category=self.object, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Jenis sampah disimpan."))
        return redirect("banksampah_dashboard:price_list")


class DefaultCategoriesView(KoordinatorRequiredMixin, View):
    """Add the default waste categories that are missing, priced from today."""

    http_method_names = ["post"]

    def post(self, request):
        created = services.add_default_waste_categories(
            by=request.user, valid_from=timezone.localdate()
        )
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)s jenis sampah bawaan ditambahkan beserta harganya.",
                    "%(count)s jenis sampah bawaan ditambahkan beserta harganya.",
                    created,
                )
                % {"count": created},
            )
        else:
            messages.info(request, _("Semua jenis sampah bawaan sudah ada."))
        return redirect("banksampah_dashboard:price_list")
