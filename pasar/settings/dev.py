"""Local development: debug on, a fixed insecure key, the embedded SQLite file."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-deploy")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])
PASAR_SITE_URL = env("PASAR_SITE_URL", default="http://127.0.0.1:8000")
