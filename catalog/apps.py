from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Katalog")

    def ready(self):
        from .search.index import ensure_sqlite_search_index

        post_migrate.connect(
            ensure_sqlite_search_index,
            sender=self,
            dispatch_uid="catalog.ensure_sqlite_search_index",
        )
