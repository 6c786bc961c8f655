"""POSDAYA pages: the public directory and profiles, the dashboard entry."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from catalog.selectors import storefront_products

from .models import Membership
from .permissions import PosdayaRoleRequiredMixin, StaffRequiredMixin
from .selectors import active_posdaya, is_koordinator, posdaya_for_user, roles_at


class PosdayaListView(ListView):
    template_name = "posdaya/posdaya_list.html"
    context_object_name = "posdaya_list"

    def get_queryset(self):
        return active_posdaya()


class PosdayaDetailView(DetailView):
    template_name = "posdaya/posdaya_detail.html"
    context_object_name = "posdaya"

    def get_object(self, queryset=None):
        return get_object_or_404(active_posdaya(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = storefront_products(self.object)
        return context


class DashboardMixin:
    """Context every dashboard page needs: the POSDAYA switcher."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["my_posdaya"] = posdaya_for_user(user)
        context["is_koordinator"] = is_koordinator(user)
        return context


class DashboardHomeView(StaffRequiredMixin, DashboardMixin, TemplateView):
    template_name = "posdaya/dashboard_home.html"


class BranchHomeView(PosdayaRoleRequiredMixin, DashboardMixin, TemplateView):
    template_name = "posdaya/branch_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = roles_at(self.request.user, self.posdaya)
        context["my_roles"] = [Membership.Role(role).label for role in sorted(roles)]
        return context
