"""WSGI entry point for gunicorn: `gunicorn pasar.wsgi`.

gunicorn runs no system checks, so the ones that keep every worker answering
alike (pasar/checks.py: a shared cache) run here: a worker with a per-process
cache refuses to start instead of serving answers of its own.
"""

import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from pasar.checks import SHARED_STATE

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pasar.settings.production")

application = get_wsgi_application()

_refused = [
    issue
    for issue in checks.run_checks(tags=[SHARED_STATE])
    if issue.is_serious() and not issue.is_silenced()
]
if _refused:
    raise ImproperlyConfigured("\n".join(str(issue) for issue in _refused))
