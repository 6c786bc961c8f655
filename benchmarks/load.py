"""Throughput under load: the app under gunicorn, loaded by wrk on 127.0.0.1.

Each page is measured side by side, in the same run and the same server, with
the framework floor (benchmarks/floor_urls.py): a minimal Django view rendering
24 rows from one query. The figure that matters is each page's requests per
second as a ratio to that floor.

Used by benchmarks/run.py; also runnable alone:
    .venv/bin/python benchmarks/load.py --database-url sqlite:///benchmarks/results/bench.sqlite3
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def server_environment(database_url: str, extra: dict | None = None) -> dict:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pasar.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        PASAR_BENCH_FLOOR="1",
        PASAR_SERVE_MEDIA="1",
        PASAR_SITE_URL="http://127.0.0.1",
    )
    env.update(extra or {})
    return env


def collect_static(env: dict) -> None:
    subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Gunicorn:
    """A gunicorn server in a subprocess, stopped on exit."""

    def __init__(
        self, env: dict, port: int, workers: int, extra_args: list[str] | None = None
    ):
        self.env, self.port, self.workers = env, port, workers
        self.extra_args = extra_args or []

    def __enter__(self):
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.process = subprocess.Popen(  # noqa: S603 (our own server)
            [
                gunicorn,
                "pasar.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                *self.extra_args,
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def wrk(
    url: str, seconds: int, connections: int, threads: int = 2, cookie: str = ""
) -> float:
    """Return requests per second for `url` (a bounded wrk run)."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    result = subprocess.run(  # noqa: S603 (wrk from Debian, our own URL)
        [
            shutil.which("wrk") or "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            *headers,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


# --- visitors with a session ---------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _request(url: str, cookies: dict, data: dict | None = None) -> str:
    """GET or POST `url` with `cookies`; keep the cookies it sets; return the body.

    Cookies are kept by hand: production marks them Secure, and a cookie jar
    would not send them back over the benchmark's plain HTTP.
    """
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)  # noqa: S310 (127.0.0.1)
    request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    try:
        response = _OPENER.open(request, timeout=30)
    except urllib.error.HTTPError as error:  # the 302 after a POST
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return response.read().decode("utf-8", "replace")


def guest_with_a_cart(server, *, product_path: str, **_credentials) -> str:
    """Return the Cookie header of a guest who put one product in her cart."""
    cookies: dict = {}
    page = _request(server.url(product_path), cookies)
    token = _TOKEN.search(page).group(1)
    product = re.search(r'name="product" value="(\d+)"', page).group(1)
    _request(
        server.url("/keranjang/tambah/"),
        cookies,
        {"csrfmiddlewaretoken": token, "product": product, "quantity": "1"},
    )
    if "sessionid" not in cookies:
        raise RuntimeError("the cart did not start a session")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def signed_in_shopper(
    server, *, product_path: str, username: str, password: str
) -> str:
    """Return the Cookie header of a signed-in shopper with a cart."""
    cookies: dict = {}
    page = _request(server.url("/akun/login/"), cookies)
    token = _TOKEN.search(page).group(1)
    _request(
        server.url("/akun/login/"),
        cookies,
        {"csrfmiddlewaretoken": token, "login": username, "password": password},
    )
    if "sessionid" not in cookies:
        raise RuntimeError("the shopper could not sign in")
    page = _request(server.url(product_path), cookies)
    token = _TOKEN.search(page).group(1)
    product = re.search(r'name="product" value="(\d+)"', page).group(1)
    _request(
        server.url("/keranjang/tambah/"),
        cookies,
        {"csrfmiddlewaretoken": token, "product": product, "quantity": "1"},
    )
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


FLOOR = "/_bench/floor/"


def run_load(
    *,
    database_url: str,
    pages: dict[str, str],
    seconds: int = 8,
    connections: int = 8,
    workers: int = 3,
    port: int = 8765,
    env_extra: dict | None = None,
    visitors: dict | None = None,
    rounds: int = 1,
) -> list[dict]:
    """Load each page and the floors; return rows with rps and ratio to the floor.

    `visitors` maps a label to a function returning the Cookie header of a
    visitor with a session (see guest_with_a_cart); every page is loaded by
    each, and by a visitor with no cookie. With several `rounds`, each round
    measures the floor first and every page's ratio is to that round's floor;
    the row holds the median rps and median ratio of the rounds.
    """
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    env = server_environment(database_url, env_extra)
    collect_static(env)
    with Gunicorn(env, port, workers) as server:
        cookies = {"no cookie": ""}
        for label, make in (visitors or {}).items():
            cookies[label] = make(server)
        targets = [
            ("floor (24 rows, 1 query)", "no cookie", FLOOR),
            ("bare HttpResponse", "no cookie", "/_bench/bare/"),
        ]
        targets += [
            (name, visitor, path) for name, path in pages.items() for visitor in cookies
        ]
        for _name, visitor, path in targets:  # warm caches and connections
            wrk(server.url(path), 1, 2, cookie=cookies[visitor])
        measured: dict = {}
        for _round in range(rounds):
            floor = wrk(server.url(FLOOR), seconds, connections)
            for name, visitor, path in targets:
                rps = (
                    floor
                    if path == FLOOR
                    else wrk(
                        server.url(path), seconds, connections, cookie=cookies[visitor]
                    )
                )
                measured.setdefault((name, visitor, path), []).append(
                    (rps, rps / floor)
                )
    return [
        {
            "page": name,
            "visitor": visitor,
            "path": path,
            "rps": statistics.median(rps for rps, _ratio in figures),
            "ratio": statistics.median(ratio for _rps, ratio in figures),
        }
        for (name, visitor, path), figures in measured.items()
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--page", action="append", default=["home=/"])
    args = parser.parse_args()
    pages = dict(item.split("=", 1) for item in args.page)
    for row in run_load(
        database_url=args.database_url, pages=pages, seconds=args.seconds
    ):
        print(f"{row['page']:<28} {row['rps']:>8.1f} req/s  ×{row['ratio']:.2f}")


if __name__ == "__main__":
    main()
