"""Production headers and a CSP that our templates can live with."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/robots.txt", secure=True, HTTP_HOST="pasarbahagia.id")
cookie_response = Client().post(
    "/i18n/setlang/", {"language": "en"}, secure=True, HTTP_HOST="pasarbahagia.id"
)
cookie = cookie_response.cookies["django_language"]
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "insecure_status": Client()
    .get("/robots.txt", HTTP_HOST="pasarbahagia.id")
    .status_code,
    "cookie_secure": bool(cookie["secure"]),
}))
"""


def test_production_response_headers():
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="pasar.settings.production",
        DJANGO_SECRET_KEY="s" * 60,
        DJANGO_ALLOWED_HOSTS="pasarbahagia.id",
        DATABASE_URL="sqlite:///:memory:",
        EMAIL_HOST="smtp.pasarbahagia.id",
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    headers = data["headers"]
    assert data["status"] == 200
    assert data["insecure_status"] == 301  # plain http is redirected to https
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self';" in csp
    assert "style-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert data["cookie_secure"] is True


@pytest.mark.django_db
def test_csp_header_in_every_environment(client):
    csp = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in csp


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_script_or_style():
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert problems == []
