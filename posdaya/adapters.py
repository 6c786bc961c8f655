"""Where people land after signing in (django-allauth's account adapter).

Staff sign in to work: they land on their dashboard (the koordinator on the
induk page, someone working at one POSDAYA on its branch home, someone at
several on the dashboard entry), unless they were sent to sign in from a
dashboard page, which they get back to. Shoppers return where they were
(`next`), else the home page.

A username may not contain "@": people sign in with a username or an email,
and a username shaped like someone else's email would pass for her.
"""

from urllib.parse import urlsplit

from allauth.account.utils import get_next_redirect_url
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from pasar.accountadapter import AccountAdapter as BaseAccountAdapter

from .permissions import Area, policy


def dashboard_landing(user) -> str | None:
    """Return the dashboard page `user` starts on, or None for a shopper."""
    if policy.user_has_permission(user, Area.INDUK):
        return reverse("dashboard:induk")
    if not policy.may_enter_dashboard(user):
        return None
    branches = list(policy.posdaya_for(user, Area.BRANCH)[:2])
    if len(branches) == 1:
        return reverse("dashboard:branch_home", kwargs={"posdaya": branches[0].slug})
    return reverse("dashboard:home")


def is_dashboard_url(url: str | None) -> bool:
    """Tell whether `url` (already checked safe by allauth) is a dashboard page."""
    return bool(url) and urlsplit(url).path.startswith(reverse("dashboard:home"))


class AccountAdapter(BaseAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Refuse "@" in a username, then allauth's own checks."""
        if "@" in username:
            raise ValidationError(
                _("Nama pengguna tidak boleh memuat tanda @."),
                code="username_at_sign",
            )
        return super().clean_username(username, shallow=shallow)

    def get_login_redirect_url(self, request) -> str:
        """Without a `next`: staff to their dashboard, shoppers home."""
        landing = dashboard_landing(request.user)
        return landing or super().get_login_redirect_url(request)

    def post_login(self, request, user, *, redirect_url=None, **kwargs):
        # The header's "Masuk" link carries the page it was on as `next`;
        # staff still start on their dashboard unless `next` is one.
        if not kwargs.get("signup"):
            wanted = redirect_url or get_next_redirect_url(request)
            landing = dashboard_landing(user)
            if landing and not is_dashboard_url(wanted):
                redirect_url = landing
        return super().post_login(request, user, redirect_url=redirect_url, **kwargs)
