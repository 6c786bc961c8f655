from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BanksampahConfig(AppConfig):
    name = "banksampah"
    verbose_name = _("Bank sampah")
