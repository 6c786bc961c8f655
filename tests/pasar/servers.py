"""Real servers for the scale-out tests: gunicorn processes on a fresh database.

`fresh_database_url()` gives a database of its own (PostgreSQL when the suite
runs on it, otherwise an SQLite file), `manage()` runs a command against it
with production settings in another process, and `AccessLog` tells which
gunicorn worker answered a request (each request carries an `X-Probe` header
that the access log writes next to the worker's pid).
"""

import contextlib
import itertools
import re
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROBE_FORMAT = "probe=%({x-probe}i)s pid=%(p)s"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@contextlib.contextmanager
def fresh_database_url(directory: Path):
    """Yield the URL of an empty database, dropped afterwards.

    A new PostgreSQL database on the test server when the suite runs on
    PostgreSQL, else an SQLite file in `directory`.
    """
    if not on_postgres():
        yield f"sqlite:///{directory / 'site.sqlite3'}"
        return
    params = settings.DATABASES["default"]
    name = f"pasar_site_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    user = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    try:
        yield f"postgres://{user}@{host}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def manage(env: dict, *args: str) -> str:
    """Run `manage.py *args` in its own process; return its stdout."""
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-4000:]
    return result.stdout


class Shopper(requests.Session):
    """A browser's cookie jar, minus TLS: the servers run on plain http here.

    Production cookies are Secure; a jar would not send them back over http, so
    each cookie is marked plain as it arrives (the servers don't mind).
    """

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 20)
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response

    def csrf(self) -> str:
        return self.cookies.get("csrftoken")


class AccessLog:
    """Which worker answered which request, read from gunicorn's access log.

    Start gunicorn with `AccessLog.arguments()`; send each request with the
    headers of `probe()`; `worker(probe)` waits for the log line and returns
    the pid of the worker that wrote it.

    Send requests two at a time (`in_pairs`): one after another, a sync
    worker that has just answered often takes the next connection too, and
    one worker could answer everything.
    """

    def __init__(self, path: Path):
        self.path = path
        self.numbers = itertools.count(1)  # thread-safe: requests go in pairs

    def arguments(self) -> list[str]:
        return ["--access-logfile", str(self.path), "--access-logformat", PROBE_FORMAT]

    def probe(self) -> dict:
        return {"X-Probe": f"p{next(self.numbers)}"}

    def worker(self, headers: dict) -> str:
        pattern = re.compile(rf"probe={headers['X-Probe']} pid=<?(\d+)>?")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.path.exists():
                found = pattern.search(self.path.read_text())
                if found:
                    return found.group(1)
            time.sleep(0.05)
        raise AssertionError(f"no access log line for {headers['X-Probe']}")


def in_pairs(call, count: int):
    """Yield `call(i)` for i in range(count), two requests at a time."""
    with ThreadPoolExecutor(2) as pool:
        for start in range(0, count, 2):
            yield from pool.map(call, range(start, min(start + 2, count)))
