"""A link a role can see is a page that role can open.

Every role × every dashboard page that renders the menu: each `<a href>` (and
each entry of the POSDAYA switcher) in the dashboard menu and in the page's
content answers 200 for that user, and the menu holds exactly the entries the
permission policy grants.
"""

from html.parser import HTMLParser

import pytest

from posdaya.models import Membership

from ..conftest import client_for
from ..factories import MemberFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BRANCH_ENTRIES = {
    "pengelola": [
        "Ringkasan",
        "Produk",
        "Pesanan",
        "Ulasan",
        "Bank sampah",
        "Profil POSDAYA",
        "Staf",
        "Setelmen",
        "Pesan WhatsApp",
    ],
    "petugas": ["Ringkasan", "Bank sampah", "Pesan WhatsApp"],
}
INDUK_ENTRIES = [
    "Laporan induk",
    "Staf dan peran",
    "Kelola POSDAYA",
    "Semua pesanan",
    "Setelmen POSDAYA",
    "Log audit",
    "Pesan keluar",
    "Verifikasi pembayaran",
    "QRIS induk",
    "Kategori produk",
    "Zona ongkir",
    "Harga sampah",
    "Ulasan",
]


class DashboardLinks(HTMLParser):
    """Collect the menu entries (label, href), the switcher and content links."""

    def __init__(self):
        super().__init__()
        self.menu: list[tuple[str, str]] = []
        self.switcher: list[str] = []
        self.content: list[str] = []
        self._stack: list[str] = []  # "nav" / "content" regions by depth
        self._depth = 0
        self._regions: list[tuple[int, str]] = []
        self._link: list | None = None

    def _region(self) -> str | None:
        return self._regions[-1][1] if self._regions else None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"br", "img", "input", "meta", "link", "hr"}:
            return
        self._depth += 1
        classes = (attrs.get("class") or "").split()
        if "dashboard-nav" in classes:
            self._regions.append((self._depth, "nav"))
        elif tag == "section" and "col-lg-9" in classes:
            self._regions.append((self._depth, "content"))
        region = self._region()
        if region == "nav" and tag == "option":
            self.switcher.append(attrs["value"])
        if tag == "a" and region is not None:
            if region == "nav":
                self._link = [attrs["href"], ""]
            else:
                self.content.append(attrs["href"])

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self.menu.append((self._link[1].strip(), self._link[0]))
            self._link = None
        if self._regions and self._regions[-1][0] == self._depth:
            self._regions.pop()
        self._depth -= 1


def links_of(response) -> DashboardLinks:
    parser = DashboardLinks()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def people(posdaya, other_posdaya, koordinator, shopper):
    """The roles of the matrix, by name."""
    a, b = posdaya, other_posdaya

    def user(name, *roles):
        person = UserFactory(username=name)
        for where, role in roles:
            MembershipFactory(user=person, posdaya=where, role=role)
        return person

    nasabah = UserFactory(username="nasabah")
    MemberFactory(posdaya=a, user=nasabah)
    return {
        "koordinator": koordinator,
        "pengelola_a": user("pengelola-a", (a, Membership.Role.PENGELOLA)),
        "petugas_a": user("petugas-a", (a, Membership.Role.PETUGAS)),
        "both_at_a": user(
            "dua-peran",
            (a, Membership.Role.PENGELOLA),
            (a, Membership.Role.PETUGAS),
        ),
        "pengelola_a_petugas_b": user(
            "dua-posdaya",
            (a, Membership.Role.PENGELOLA),
            (b, Membership.Role.PETUGAS),
        ),
        "nasabah": nasabah,
        "shopper": shopper,
    }


# role → {page: (status, branch entries shown, induk entries shown)}
EXPECTED = {
    "koordinator": {
        "home": (200, None, True),
        "a": (200, "pengelola", True),
        "b": (200, "pengelola", True),
    },
    "pengelola_a": {
        "home": (200, None, False),
        "a": (200, "pengelola", False),
        "b": (404, None, False),
    },
    "petugas_a": {
        "home": (200, None, False),
        "a": (200, "petugas", False),
        "b": (404, None, False),
    },
    "both_at_a": {
        "home": (200, None, False),
        "a": (200, "pengelola", False),
        "b": (404, None, False),
    },
    "pengelola_a_petugas_b": {
        "home": (200, None, False),
        "a": (200, "pengelola", False),
        "b": (200, "petugas", False),
    },
    "nasabah": {"home": (403, None, False), "a": (404, None, False)},
    "shopper": {"home": (403, None, False), "a": (404, None, False)},
}


def expected_menu(branch: str | None, induk: bool) -> list[str]:
    entries = ["Dasbor"]
    if branch:
        entries += BRANCH_ENTRIES[branch]
    if induk:
        entries += INDUK_ENTRIES
    return entries


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_link_a_role_sees_opens(role, people, posdaya, other_posdaya):
    user = people[role]
    client = client_for(user)
    pages = {"home": "/dasbor/", "a": f"/dasbor/{posdaya.slug}/"}
    pages["b"] = f"/dasbor/{other_posdaya.slug}/"
    for page, (status, branch, induk) in EXPECTED[role].items():
        response = client.get(pages[page])
        assert response.status_code == status, (role, page)
        if status != 200:
            continue
        links = links_of(response)
        assert [label for label, _href in links.menu] == expected_menu(branch, induk), (
            role,
            page,
        )
        hrefs = {href for _label, href in links.menu}
        hrefs |= set(links.switcher) | set(links.content)
        assert hrefs, (role, page)
        for href in sorted(hrefs):
            target = href.split("#")[0]
            assert target.startswith("/"), href
            assert client.get(target).status_code == 200, (role, page, href)


def test_petugas_branch_home_has_no_order_link(people, posdaya):
    response = client_for(people["petugas_a"]).get(f"/dasbor/{posdaya.slug}/")
    page = response.content.decode()
    assert f"/dasbor/{posdaya.slug}/pesanan/" not in page
    assert "branch-widget-orders" not in page
    assert links_of(response).content == []


def test_switcher_lists_where_the_user_may_work(people, posdaya, other_posdaya):
    links = links_of(client_for(people["pengelola_a_petugas_b"]).get("/dasbor/"))
    assert links.switcher == [
        "/dasbor/",
        f"/dasbor/{posdaya.slug}/",
        f"/dasbor/{other_posdaya.slug}/",
    ]
    assert links.content == [
        f"/dasbor/{posdaya.slug}/",
        f"/dasbor/{other_posdaya.slug}/",
    ]
    links = links_of(client_for(people["petugas_a"]).get("/dasbor/"))
    assert links.switcher == ["/dasbor/", f"/dasbor/{posdaya.slug}/"]


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # session, user, the user's roles (one query answers every menu
        # entry), POSDAYA, week at a glance (sales, orders awaiting work,
        # waste weight, waste paid, new members: 6), low stock, new
        # sub-orders badge, switcher list
        ("pengelola_a", 13),
        # the same without the new sub-orders badge, which a petugas may not open
        ("petugas_a", 12),
        ("koordinator", 13),
    ],
)
def test_branch_home_queries(role, queries, people, posdaya, django_assert_num_queries):
    client = client_for(people[role])
    client.get(f"/dasbor/{posdaya.slug}/")
    with django_assert_num_queries(queries):
        assert client.get(f"/dasbor/{posdaya.slug}/").status_code == 200


def test_header_dashboard_link_only_for_staff(shopper, pengelola):
    """A shopper's header has no "Dasbor" (it would answer 403); a pengelola's does."""
    page = client_for(shopper).get("/").content.decode()
    assert 'href="/dasbor/"' not in page
    client = client_for(pengelola)
    page = client.get("/").content.decode()
    assert '<a class="dropdown-item" href="/dasbor/">Dasbor</a>' in page
    assert client.get("/dasbor/").status_code == 200
