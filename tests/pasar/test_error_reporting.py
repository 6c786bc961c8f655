"""Knowing when it breaks, without leaking the secrets of those it broke for.

A 500 mails ADMINS (from DJANGO_ADMINS) and, when SENTRY_DSN is set, goes to
Sentry; order secrets (?t=, the t and secret fields), passwords, cookies, CSRF
tokens and Authorization headers are scrubbed from both, and from gunicorn's
access log.
"""

import datetime as dt
import json
import logging
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.utils.log import AdminEmailHandler
from gunicorn.config import Config

from pasar.accesslog import SecretFreeLogger
from pasar.errorreporting import scrub_event

from .test_deploy import KEY, ROOT, run_manage

SECRETS = [
    "RAHASIA-LINK-1",
    "RAHASIA-FIELD-2",
    "RAHASIA-SECRET-3",
    "KATASANDI-4",
    "CSRF-5",
    "SESI-6",
    "BEARER-7",
    "CSRFHDR-8",
    "RAHASIA-REFERER-9",
    "KATASANDI-10",
    "RAHASIA-CRUMB-11",
]


def fabricated_event():
    """A Sentry event as the Django integration would build it, full of secrets."""
    return {
        "message": "Internal Server Error",
        "request": {
            "url": "https://pasarbahagia.id/pesanan/PB-7Q2K/",
            "method": "POST",
            "query_string": "t=RAHASIA-LINK-1&bahasa=id",
            "data": {
                "t": "RAHASIA-FIELD-2",
                "secret": "RAHASIA-SECRET-3",
                "password": "KATASANDI-4",
                "csrfmiddlewaretoken": "CSRF-5",
                "name": "Budi",
            },
            "cookies": {"sessionid": "SESI-6", "csrftoken": "CSRF-5"},
            "headers": {
                "Cookie": "sessionid=SESI-6; csrftoken=CSRF-5",
                "Authorization": "Bearer BEARER-7",
                "X-Csrftoken": "CSRFHDR-8",
                "Referer": "https://pasarbahagia.id/pesanan/PB-7Q2K/?t=RAHASIA-REFERER-9",
                "User-Agent": "Mozilla/5.0",
            },
            "env": {"REMOTE_ADDR": "203.0.113.5"},
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "stacktrace": {
                        "frames": [
                            {
                                "function": "post",
                                "vars": {
                                    "password1": "KATASANDI-10",
                                    "secret": "RAHASIA-SECRET-3",
                                    "code": "PB-7Q2K",
                                },
                            }
                        ]
                    },
                }
            ]
        },
        "breadcrumbs": {
            "values": [
                {
                    "category": "httplib",
                    "data": {"url": "/pesanan/PB-7Q2K/?t=RAHASIA-CRUMB-11"},
                },
                {"category": "query", "message": "SELECT 1"},
            ]
        },
    }


def test_sentry_hook_scrubs_every_secret_and_keeps_the_rest():
    event = scrub_event(fabricated_event(), hint={})
    text = json.dumps(event)
    for secret in SECRETS:
        assert secret not in text, secret
    request = event["request"]
    assert request["url"] == "https://pasarbahagia.id/pesanan/PB-7Q2K/"
    assert request["query_string"] == "t=[disembunyikan]&bahasa=id"
    assert request["data"]["name"] == "Budi"
    assert request["headers"]["User-Agent"] == "Mozilla/5.0"
    assert request["headers"]["Referer"] == (
        "https://pasarbahagia.id/pesanan/PB-7Q2K/?t=[disembunyikan]"
    )
    assert "cookies" not in request
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert frame["vars"]["code"] == "PB-7Q2K"
    assert event["breadcrumbs"]["values"][1]["message"] == "SELECT 1"


def test_pairs_are_scrubbed_too():
    event = {"request": {"headers": [["Authorization", "Bearer BEARER-7"]]}}
    assert "BEARER-7" not in json.dumps(scrub_event(event))


def test_error_mail_hides_secrets(mailoutbox, settings):
    settings.ADMINS = ["Tim Teknis <teknis@contoh.id>"]
    request = RequestFactory().post(
        "/pesanan/PB-7Q2K/bukti/?t=RAHASIA-LINK-1",
        {
            "t": "RAHASIA-FIELD-2",
            "secret": "RAHASIA-SECRET-3",
            "password": "KATASANDI-4",
            "csrfmiddlewaretoken": "CSRF-5",
            "name": "Budi",
        },
        HTTP_COOKIE="sessionid=SESI-6; csrftoken=CSRF-5",
        HTTP_AUTHORIZATION="Bearer BEARER-7",
        HTTP_X_CSRFTOKEN="CSRFHDR-8",
        HTTP_REFERER="https://pasarbahagia.id/pesanan/PB-7Q2K/?t=RAHASIA-REFERER-9",
        REQUEST_URI="/pesanan/PB-7Q2K/bukti/?t=RAHASIA-LINK-1",
    )
    try:
        raise ValueError("rusak")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            (request.path,),
            sys.exc_info(),
        )
    record.status_code = 500
    record.request = request
    AdminEmailHandler().emit(record)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["Tim Teknis <teknis@contoh.id>"]
    assert "Internal Server Error: /pesanan/PB-7Q2K/bukti/" in mail.subject
    body = mail.body
    for secret in SECRETS:
        assert secret not in body, secret
    assert "/pesanan/PB-7Q2K/bukti/?t=[disembunyikan]" in body
    assert "name = 'Budi'" in body


def test_production_settings_mail_admins_from_the_environment():
    script = (
        "from django.conf import settings as s; import json; "
        "print(json.dumps([s.ADMINS, s.LOGGING['handlers']['mail_admins'], "
        "s.LOGGING['loggers']['django']['handlers']]))"
    )
    result = run_manage(
        "shell",
        "-c",
        script,
        DJANGO_SECRET_KEY=KEY,
        DJANGO_ADMINS="Tim Teknis <teknis@contoh.id>, ani@contoh.id",
    )
    admins, handler, handlers = json.loads(result.stdout.splitlines()[-1])
    assert admins == ["Tim Teknis <teknis@contoh.id>", "ani@contoh.id"]
    assert handler == {
        "level": "ERROR",
        "class": "django.utils.log.AdminEmailHandler",
        "filters": ["require_debug_false"],
    }
    assert handlers == ["stdout", "mail_admins"]


@pytest.mark.parametrize("dsn", ["", "https://kunci@127.0.0.1:9/1"])
def test_sentry_starts_only_with_a_dsn(dsn):
    script = (
        "import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options.get('send_default_pii'), "
        "getattr(c.options.get('before_send'), '__qualname__', None))"
    )
    result = run_manage("shell", "-c", script, DJANGO_SECRET_KEY=KEY, SENTRY_DSN=dsn)
    expected = "True False scrub_event" if dsn else "False None None"
    assert result.stdout.splitlines()[-1] == expected, result.stderr


def gunicorn_config():
    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    return cfg


def test_access_log_keeps_order_secrets_out():
    cfg = gunicorn_config()
    assert cfg.logger_class is SecretFreeLogger
    logger = cfg.logger_class(cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/pesanan/PB-7Q2K/?t=RAHASIA-LINK-1",
        "PATH_INFO": "/pesanan/PB-7Q2K/",
        "QUERY_STRING": "t=RAHASIA-LINK-1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "https://pasarbahagia.id/pesanan/PB-7Q2K/?t=RAHASIA-REFERER-9",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms_wrapper_class(
        logger.atoms(response, request, environ, dt.timedelta(seconds=0))
    )
    line = cfg.access_log_format % atoms
    assert "RAHASIA" not in line
    assert '"GET /pesanan/PB-7Q2K/?t=[disembunyikan] HTTP/1.1" 200 1234' in line
    assert atoms["{referer}i"] == (
        "https://pasarbahagia.id/pesanan/PB-7Q2K/?t=[disembunyikan]"
    )


def test_the_docker_image_runs_gunicorn_where_its_config_is():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "WORKDIR /app" in dockerfile
    assert "COPY --chown=pasar . /app" in dockerfile
    assert Path(ROOT / "gunicorn.conf.py").exists()
