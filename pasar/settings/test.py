"""Test run: fast hashing, mail kept in memory, media in a temporary folder."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

# A fixed key is fine for tests only (bandit B105, ruff S105).
SECRET_KEY = "test-only-insecure-key"  # noqa: S105  # nosec B105
DEBUG = False
ALLOWED_HOSTS = ["*"]
# The test client's host, so links in mails match the pages; tests that check
# the setting is used set another one.
PASAR_SITE_URL = "http://testserver"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run at once, in the enqueuing thread (after the commit); the tests of
# the worker use the database backend (tests/notifications).
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# No WhatsApp in tests unless a test configures its stub server.
PASAR_WHATSAPP = {"token": "", "phone_number_id": "", "templates": {}}  # nosec
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="pasar-test-media-")
# One process: per-process memory is the one place it is right (and fast).
# pasar/checks.py would refuse it outside tests.
CACHES = {
    alias: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": alias,
    }
    for alias in ("default", "pages")
}
SILENCED_SYSTEM_CHECKS = ["pasar.E001"]
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="pasar-test-private-")
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
# Many orders from one number and one client in a test: the caps and throttles
# against hoarding are on only where a test asks (tests/orders/test_hoarding.py).
PASAR_RATE_LIMITS = {}
PASAR_MAX_OPEN_ORDERS_PER_PHONE = 0
PASAR_MAX_OPEN_ORDERS_PER_VISITOR = 0
# Query-count tests measure the real work; tests/pasar/test_pagecache.py turns
# the page cache on.
PASAR_PAGE_CACHE = False
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Test databases are emptied between transactional tests (`flush`, a
    # TRUNCATE), which the ledgers' guard refuses unless the session allows it
    # (pasar.db.truncate_guard). Deployed settings never set this.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c pasar.allow_truncate=on"
    )
