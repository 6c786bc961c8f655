"""Settings shared by every environment; differences come from the environment.

Read with django-environ so that `DATABASE_URL`, `REDIS_URL` and friends follow the
twelve-factor conventions without hand-written parsing.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tasks_db",
    "pasar",
    "posdaya",
    "notifications",
    "catalog",
    "banksampah",
    "orders",
    "reviews",
    "pasar.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compress HTML (18 KB -> 4 KB): below WhiteNoise, whose static files are
    # already .br/.gz; above the page cache, so cached pages are stored plain and
    # each response is compressed for its own Accept-Encoding (with Vary).
    # BREACH: the CSRF token is masked anew in every response (cached pages
    # included: pasar/pagecache.py fills it per request) and GZipMiddleware
    # pads each body with random bytes (Django's "Heal the Breach" defence).
    # Text only: photos, PDFs and spreadsheets are compressed already.
    "pasar.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pasar.middleware.ChosenLanguageMiddleware",
    # Before anything reads the body (CSRF reads the form): a 413, not a 500.
    "pasar.uploadlimits.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so a cached page still gets every header and the CSRF cookie above.
    "pasar.pagecache.AnonymousPageCacheMiddleware",
]

# Content-Security-Policy: everything from our own origin; no inline script or
# style anywhere (Bootstrap's data: SVG icons need img-src data:).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *env.list("DJANGO_CSP_EXTRA_IMG_SRC", default=[])],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

ROOT_URLCONF = "pasar.site.urls"
WSGI_APPLICATION = "pasar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pasar.site.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n", "pasar.templatetags.pasar"],
        },
    },
]

# `DATABASE_URL` unset means the embedded SQLite file next to manage.py.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections; health checks drop a connection the server closed.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Wait for a writer instead of failing at once; IMMEDIATE takes the
            # write lock at BEGIN so two writers never deadlock on upgrade.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches every worker and server shares (CONVENTIONS rule 17; pasar/checks.py
# refuses a per-process one outside DEBUG): `default` holds what decides an
# answer (sign-in rate limits, the catalogue version of pasar/pagecache.py),
# `pages` the rendered public pages, apart so that a flood of pages can push
# out pages only. Redis when REDIS_URL is set (faster); otherwise the
# database's own tables, created by `migrate` (pasar/migrations/0003).
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
    }
    # Sessions read from Redis, written to the database as well: a Redis
    # restart or an evicted key logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        # Small entries that live minutes; culling (expired first, then a third
        # by key) starts only past 50,000, far above what the limits keep.
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pasar_cache",
            "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 3},
        },
        # At most 2,000 pages (about 65 MB as stored); past that each write
        # first deletes the expired ones, then a third.
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pasar_page_cache",
            "OPTIONS": {"MAX_ENTRIES": 2_000, "CULL_FREQUENCY": 3},
        },
    }
    # Sessions stay in the database (Django's default engine): one read per
    # request either way, and no second copy to go stale.

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: Indonesian first, English one click away.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Whole-page cache of public pages for visitors without a session.
PASAR_PAGE_CACHE = env.bool("PASAR_PAGE_CACHE", default=True)
PASAR_BENCH_FLOOR = env.bool("PASAR_BENCH_FLOOR", default=False)
PASAR_SERVE_MEDIA = env.bool("PASAR_SERVE_MEDIA", default=False)
PRIVATE_MEDIA_ROOT = Path(
    env("PASAR_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Proofs of transfer: not served by any URL, read only through a view.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Media on S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, Wasabi)
# through django-storages when PASAR_S3_BUCKET is set, so every app server sees
# the same photos. Credentials come the usual boto3 way: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the machine's role. Proofs of transfer go to a
# second, private bucket and are only ever streamed through the koordinator's view.
PASAR_S3_BUCKET = env("PASAR_S3_BUCKET", default="")
if PASAR_S3_BUCKET:
    PASAR_S3_PRIVATE_BUCKET = env("PASAR_S3_PRIVATE_BUCKET", default="")
    if PASAR_S3_PRIVATE_BUCKET in ("", PASAR_S3_BUCKET):
        raise ImproperlyConfigured(
            "PASAR_S3_PRIVATE_BUCKET must name a second, non-public bucket for "
            "the proofs of transfer."
        )
    _s3 = {
        "endpoint_url": env("PASAR_S3_ENDPOINT_URL", default=None),
        "region_name": env("PASAR_S3_REGION", default=None),
        "file_overwrite": False,
    }
    _domain = env("PASAR_S3_CUSTOM_DOMAIN", default=None)
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": PASAR_S3_BUCKET,
            "custom_domain": _domain,
            "querystring_auth": False,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3,
            "bucket_name": PASAR_S3_PRIVATE_BUCKET,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
    # Where the photos' URLs point, for the Content-Security-Policy.
    if _domain:
        _origins = [f"https://{_domain}"]
    elif _s3["endpoint_url"]:
        _endpoint = urlsplit(_s3["endpoint_url"])
        _origins = [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{PASAR_S3_BUCKET}.{_endpoint.netloc}",
        ]
    else:
        _region = f".{_s3['region_name']}" if _s3["region_name"] else ""
        _origins = [f"https://{PASAR_S3_BUCKET}.s3{_region}.amazonaws.com"]
    SECURE_CSP["img-src"] += _origins

SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth
# Staff land on their dashboard after signing in, shoppers where they were;
# rate limits see the client behind a proxy (posdaya.adapters extends
# pasar.accountadapter).
ACCOUNT_ADAPTER = "posdaya.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sign-in brute force: 5 wrong passwords per account in 5 minutes, 10 per IP a
# minute (tests/pasar/test_brute_force.py). Counted in the `default` cache,
# which every worker and server shares (tests/pasar/test_shared_cache.py).
# allauth takes a lock per counter (cache.add) around its read and write, so
# the count is exact on Redis and on the database cache alike (README,
# "Several app servers"). The reset limit is named apart: bandit B105 reads a
# string under a "..._password" key as a hardcoded password.
_RESET_LIMIT = "20/m/ip,5/m/key"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": _RESET_LIMIT,
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Pasar Bahagia] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")

# The site's public address (pasar/siteurl.py): every absolute link in emails,
# WhatsApp messages, invitations, the sitemap, robots.txt and OpenGraph tags.
# Required in production (pasar/checks.py); dev.py defaults to runserver's.
PASAR_SITE_URL = env("PASAR_SITE_URL", default="")

# Behind a reverse proxy: which of its headers tell the client's address, for
# every rate limit (pasar.clientip.client_ip; allauth reads the same values).
# Either the number of proxies that append to X-Forwarded-For (nginx with
# `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` is 1), or a
# header the proxy overwrites (X-Real-IP, CF-Connecting-IP). Unset: the peer's
# address (REMOTE_ADDR), right when nothing stands in front of gunicorn.
PASAR_TRUSTED_PROXY_COUNT = env.int("PASAR_TRUSTED_PROXY_COUNT", default=0)
PASAR_TRUSTED_CLIENT_IP_HEADER = env("PASAR_TRUSTED_CLIENT_IP_HEADER", default="")
ALLAUTH_TRUSTED_PROXY_COUNT = PASAR_TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = PASAR_TRUSTED_CLIENT_IP_HEADER or None

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email through Django 6.1's MAILERS: the console by default, SMTP when
# EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", default="")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env.int("EMAIL_PORT", default=587),
                "username": env("EMAIL_HOST_USER", default=""),
                "password": env("EMAIL_HOST_PASSWORD", default=""),
                "use_tls": env.bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Pasar Bahagia Online <noreply@pasarbahagia.id>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Messages (notifications/): every one is a row in the outbox, delivered after
# the commit by the task worker (`manage.py db_worker`, README "Messages"),
# whose queue lives in the database: no extra server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PASAR_MESSAGE_CHANNELS = {
    "email": "notifications.channels.EmailChannel",
    "whatsapp": "notifications.channels.WhatsAppCloudChannel",
}
# WhatsApp Cloud API (template messages). Without a token and a phone-number
# id, WhatsApp messages wait on the dashboards with a wa.me link to send by
# hand. PASAR_WHATSAPP_TEMPLATES renames templates: "order_placed=pesanan_baru,…";
# a kind not named uses the template "pasar_<kind>".
PASAR_WHATSAPP = {
    "token": env("PASAR_WHATSAPP_TOKEN", default=""),
    "phone_number_id": env("PASAR_WHATSAPP_PHONE_NUMBER_ID", default=""),
    "api_base_url": env(
        "PASAR_WHATSAPP_API_URL", default="https://graph.facebook.com/v21.0"
    ),
    "language": env("PASAR_WHATSAPP_LANGUAGE", default="id"),
    "timeout": env.float("PASAR_WHATSAPP_TIMEOUT", default=10.0),
    "templates": env.dict("PASAR_WHATSAPP_TEMPLATES", default={}),
}

MESSAGE_TAGS = {40: "danger"}  # messages.ERROR renders as Bootstrap's alert-danger

# Uploads (pasar/uploadlimits.py): a body declaring more than
# PASAR_MAX_REQUEST_BYTES is refused with a 413 before a byte is read, and a
# file is stopped as soon as it passes PASAR_MAX_UPLOAD_BYTES. The request limit
# fits ten product photos at once (the product form's maximum) plus the fields.
# Form fields other than files: at most DATA_UPLOAD_MAX_MEMORY_SIZE.
PASAR_MAX_UPLOAD_BYTES = env.int("PASAR_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
PASAR_MAX_REQUEST_BYTES = env.int(
    "PASAR_MAX_REQUEST_BYTES", default=10 * PASAR_MAX_UPLOAD_BYTES + 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "pasar.uploadlimits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# The induk's business settings.
PASAR_INDUK = {
    "name": "POSDAYA Induk Kelurahan Bahagia",
    "address": env(
        "PASAR_INDUK_ADDRESS",
        default="Kantor Kelurahan Bahagia, Kec. Babelan, Kab. Bekasi, Jawa Barat",
    ),
    "whatsapp": env("PASAR_INDUK_WHATSAPP", default="6281234500000"),
    "email": env("PASAR_INDUK_EMAIL", default="induk@pasarbahagia.id"),
    "bank_name": env("PASAR_BANK_NAME", default="Bank BJB"),
    "bank_account": env("PASAR_BANK_ACCOUNT", default="0012345678901"),
    "bank_holder": env("PASAR_BANK_HOLDER", default="POSDAYA Induk Kel. Bahagia"),
}
# Demo accounts and data may be loaded (never in production).
PASAR_DEMO_DATA_ALLOWED = True
PASAR_ORDER_EXPIRY_HOURS = env.int("PASAR_ORDER_EXPIRY_HOURS", default=48)
# Against stock hoarding (README, Configuration): a cash order no POSDAYA has
# confirmed expires like an unpaid transfer; open unpaid orders are capped per
# WhatsApp number and per visitor (0: no cap), units per order line and per
# order too; the
# checkout and proof uploads are throttled per client (pasar.ratelimit).
PASAR_COD_CONFIRM_HOURS = env.int("PASAR_COD_CONFIRM_HOURS", default=24)
PASAR_MAX_OPEN_ORDERS_PER_PHONE = env.int("PASAR_MAX_OPEN_ORDERS_PER_PHONE", default=3)
PASAR_MAX_OPEN_ORDERS_PER_VISITOR = env.int(
    "PASAR_MAX_OPEN_ORDERS_PER_VISITOR", default=3
)
PASAR_MAX_UNITS_PER_LINE = env.int("PASAR_MAX_UNITS_PER_LINE", default=10)
# All lines together: one checkout cannot hold the whole catalogue's stock.
PASAR_MAX_UNITS_PER_ORDER = env.int("PASAR_MAX_UNITS_PER_ORDER", default=30)
PASAR_RATE_LIMITS = {
    "checkout": env("PASAR_CHECKOUT_RATE", default="10/h/ip"),
    "proof_upload": env("PASAR_PROOF_UPLOAD_RATE", default="10/h/ip,5/h/key"),
    "review": env("PASAR_REVIEW_RATE", default="30/10m/ip"),
}
PASAR_INDUK_FEE_PERCENT = env.int("PASAR_INDUK_FEE_PERCENT", default=0)
# Kode unik (1–999) added to bank-transfer orders so the statement names them.
PASAR_TRANSFER_UNIQUE_CODE = env.bool("PASAR_TRANSFER_UNIQUE_CODE", default=False)

# Error reports (mail to ADMINS, Sentry, the access log) hide order secrets,
# passwords, cookies, CSRF tokens and Authorization headers.
DEFAULT_EXCEPTION_REPORTER = "pasar.errorreporting.ExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "pasar.errorreporting.ReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
