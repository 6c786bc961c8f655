"""Django admin is for the superuser only; staff work in /dasbor/."""

from django.contrib import admin
from django.contrib.auth.views import LoginView, redirect_to_login
from django.urls import reverse

from .models import AuditLog


class SuperuserOnlyAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        """Send every sign-in to the site's own, rate-limited form.

        The admin's form would check passwords with no limit, so it checks none:
        a POST, or an anonymous visit, goes to allauth's sign-in with `next`
        back to the admin. A signed-in user who may open the admin is sent on
        (Django's behaviour); one who may not gets Django's usual refusal page.
        """
        if request.method == "GET" and request.user.is_authenticated:
            return super().login(request, extra_context)
        next_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, login_url=reverse("account_login"))


admin.site.__class__ = SuperuserOnlyAdminSite


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "target_repr"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
