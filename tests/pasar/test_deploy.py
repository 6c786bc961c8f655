"""Production settings: refuse to start without a key; `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = "k" * 20 + "production-secret-key-for-the-deploy-check-0123456789"


def run_manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    }
    environment.update(env)
    environment["DJANGO_SETTINGS_MODULE"] = "pasar.settings.production"
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=KEY,
        DJANGO_ALLOWED_HOSTS="pasarbahagia.id",
        EMAIL_HOST="smtp.pasarbahagia.id",
        PASAR_SITE_URL="https://pasarbahagia.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_run_without_the_site_address():
    result = run_manage(
        "check",
        DJANGO_SECRET_KEY=KEY,
        DJANGO_ALLOWED_HOSTS="pasarbahagia.id",
        EMAIL_HOST="smtp.pasarbahagia.id",
        PASAR_SITE_URL="",
    )
    assert result.returncode == 1
    assert "pasar.E005" in result.stderr
    assert "PASAR_SITE_URL is not set." in result.stderr
