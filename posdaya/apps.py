from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PosdayaConfig(AppConfig):
    name = "posdaya"
    verbose_name = _("POSDAYA")
