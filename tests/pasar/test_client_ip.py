"""Behind a reverse proxy, rate limits count per client, not per proxy.

Every request reaches gunicorn from the proxy's address. Without trusting the
proxy's X-Forwarded-For, 11 failed sign-ins for made-up names blocked every
shopper's correct sign-in.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.test import Client, RequestFactory

from pasar.clientip import client_ip
from pasar.settings import base

from ..factories import PASSWORD, UserFactory
from .test_deploy import KEY, run_manage

PROXY = "127.0.0.1"
REFUSED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."


@pytest.fixture
def rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def one_proxy(settings):
    settings.PASAR_TRUSTED_PROXY_COUNT = 1
    settings.PASAR_TRUSTED_CLIENT_IP_HEADER = ""


def via_proxy(forwarded_for):
    """A browser behind the proxy: the proxy appended the address it saw."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def request(remote="127.0.0.1", **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.django_db
def test_failures_of_one_forwarded_client_do_not_block_another(rate_limits, one_proxy):
    guesser = via_proxy("203.0.113.5")
    for number in range(11):
        guesser.post("/akun/login/", {"login": f"ngawur{number}", "password": "x"})
    UserFactory(username="ani")
    response = guesser.post("/akun/login/", {"login": "ani", "password": PASSWORD})
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in guesser.session

    UserFactory(username="siti")
    shopper = via_proxy("198.51.100.7")
    response = shopper.post("/akun/login/", {"login": "siti", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in shopper.session


@pytest.mark.django_db
def test_a_guesser_cannot_dodge_the_limit_with_its_own_forwarded_for(
    rate_limits, one_proxy
):
    UserFactory(username="siti")
    for number in range(11):
        # The guesser sends a new fake address each time; the proxy appends
        # the real one, and only that one is trusted.
        via_proxy(f"10.9.9.{number}, 203.0.113.5").post(
            "/akun/login/", {"login": f"ngawur{number}", "password": "x"}
        )
    guesser = via_proxy("10.9.9.99, 203.0.113.5")
    response = guesser.post("/akun/login/", {"login": "siti", "password": PASSWORD})
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in guesser.session


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.PASAR_TRUSTED_PROXY_COUNT = 0
    settings.PASAR_TRUSTED_CLIENT_IP_HEADER = ""
    assert client_ip(request("192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5")) == (
        "192.0.2.1"
    )


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (2, "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "6.6.6.6,203.0.113.5 , 10.0.0.2", "203.0.113.5"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Not through every trusted proxy, or garbage: the peer's address.
        (2, "203.0.113.5", "127.0.0.1"),
        (1, "bukan-alamat", "127.0.0.1"),
        (1, "", "127.0.0.1"),
    ],
)
def test_forwarded_for_with_trusted_proxies(settings, count, forwarded_for, expected):
    settings.PASAR_TRUSTED_PROXY_COUNT = count
    settings.PASAR_TRUSTED_CLIENT_IP_HEADER = ""
    assert client_ip(request(HTTP_X_FORWARDED_FOR=forwarded_for)) == expected


def test_trusted_client_ip_header(settings):
    settings.PASAR_TRUSTED_PROXY_COUNT = 0
    settings.PASAR_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(request(HTTP_X_REAL_IP="203.0.113.9")) == "203.0.113.9"
    assert client_ip(request(HTTP_X_REAL_IP="rusak")) == "127.0.0.1"
    assert client_ip(request()) == "127.0.0.1"


def test_allauth_asks_the_same_helper(settings):
    settings.PASAR_TRUSTED_PROXY_COUNT = 1
    req = request(HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert get_adapter(req).get_client_ip(req) == "203.0.113.5"


def test_settings_come_from_the_environment():
    script = (
        "from django.conf import settings as s; "
        "print(repr((s.PASAR_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "s.PASAR_TRUSTED_CLIENT_IP_HEADER, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)))"
    )
    result = run_manage(
        "shell", "-c", script, DJANGO_SECRET_KEY=KEY, PASAR_TRUSTED_PROXY_COUNT="1"
    )
    assert result.stdout.splitlines()[-1] == "(1, 1, '', None)", result.stderr
    result = run_manage(
        "shell",
        "-c",
        script,
        DJANGO_SECRET_KEY=KEY,
        PASAR_TRUSTED_CLIENT_IP_HEADER="CF-Connecting-IP",
    )
    assert result.stdout.splitlines()[-1] == (
        "(0, 0, 'CF-Connecting-IP', 'CF-Connecting-IP')"
    ), result.stderr
