"""System checks: what decides an answer lives where every worker can see it.

CONVENTIONS rule 17. Outside DEBUG, the `default` cache (sign-in rate limits,
the catalogue version of the page cache) and the cache sessions read from
must be shared by every process of every server: Redis or the database cache,
never a process's own memory. Registered without the deploy tag, so `check`,
`migrate` and `runserver` refuse such settings, and `pasar/wsgi.py` runs the
same checks before gunicorn serves a request.

The `pages` cache may be anything: a page is stored under the shared catalogue
version, so a worker's own copy goes out of date at the same moment as
everyone's.
"""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

SHARED_STATE = "shared_state"  # the tag pasar/wsgi.py runs

PER_PROCESS = {
    "django.core.cache.backends.locmem.LocMemCache": (
        "keeps its entries in each process's memory"
    ),
    "django.core.cache.backends.dummy.DummyCache": "keeps nothing at all",
}
PER_SERVER = {
    "django.core.cache.backends.filebased.FileBasedCache": (
        "keeps its entries on one server's disk"
    ),
}
CACHE_SESSIONS = (
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
)
HINT = (
    "Set REDIS_URL, or leave it unset for the database cache "
    "(pasar/settings/base.py); run `manage.py migrate` for its tables."
)


def _kind(backend: str) -> tuple[str, str] | None:
    """Return (check id, why) when `backend` is not shared by every server."""
    try:
        backend_class = import_string(backend)
    except ImportError:
        return None  # Django's own cache checks report it
    for known, id_ in ((PER_PROCESS, "pasar.E001"), (PER_SERVER, "pasar.E002")):
        for path, why in known.items():
            if issubclass(backend_class, import_string(path)):
                return id_, why
    return None


@register("caches", "sessions", SHARED_STATE)
def check_shared_state(app_configs=None, **kwargs) -> list[Error]:
    """Refuse caches and sessions that each process or server keeps alone."""
    errors = []
    if settings.PASAR_PAGE_CACHE and "pages" not in settings.CACHES:
        errors.append(
            Error(
                "CACHES has no 'pages' cache for the whole-page cache.",
                hint="Define CACHES['pages'] or set PASAR_PAGE_CACHE=false.",
                obj="CACHES",
                id="pasar.E004",
            )
        )
    if settings.DEBUG:
        return errors
    uses = {"default": ["the sign-in rate limits", "the catalogue version"]}
    if settings.SESSION_ENGINE in CACHE_SESSIONS:
        # cached_db too: it trusts its cached copy, so a worker that cached a
        # session keeps it after another worker signed the user out.
        uses.setdefault(settings.SESSION_CACHE_ALIAS, []).append("the sessions")
    for alias, what in uses.items():
        backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
        found = _kind(backend)
        if found:
            id_, why = found
            errors.append(
                Error(
                    f"CACHES[{alias!r}] ({backend}) {why}, so the workers and "
                    f"servers do not share {' and '.join(what)}.",
                    hint=HINT,
                    obj=f"CACHES[{alias!r}]",
                    id=id_,
                )
            )
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.file":
        errors.append(
            Error(
                "SESSION_ENGINE keeps sessions in files on one server's disk.",
                hint="Use the database (Django's default) or cached_db.",
                obj="SESSION_ENGINE",
                id="pasar.E003",
            )
        )
    return errors


@register("urls")
def check_site_url(app_configs=None, **kwargs) -> list[Error]:
    """Outside DEBUG, PASAR_SITE_URL must name the site's public root.

    Emails, WhatsApp messages, invitations, the sitemap and OpenGraph tags
    carry it (pasar/siteurl.py); without it a guest's only link back to an
    order would point nowhere.
    """
    from .siteurl import site_url_problem

    if settings.DEBUG:
        return []
    problem = site_url_problem(getattr(settings, "PASAR_SITE_URL", ""))
    if problem is None:
        return []
    return [
        Error(
            f"PASAR_SITE_URL {problem}.",
            hint="Set PASAR_SITE_URL to the public address, e.g. "
            "https://pasarbahagia.id",
            obj="PASAR_SITE_URL",
            id="pasar.E005",
        )
    ]
