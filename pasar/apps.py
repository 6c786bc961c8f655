from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PasarConfig(AppConfig):
    name = "pasar"
    verbose_name = _("Pasar Bahagia")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)
