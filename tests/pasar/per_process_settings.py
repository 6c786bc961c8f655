"""Production settings with each process's own memory as the cache: refused.

Used by tests/pasar/test_cache_config.py to show that `check` and gunicorn's
entry point refuse to run with it.
"""

from pasar.settings.production import *  # noqa: F403

CACHES = {
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    for alias in ("default", "pages")
}
