from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PasarConfig(AppConfig):
    name = "pasar"
    verbose_name = _("Pasar Bahagia")
