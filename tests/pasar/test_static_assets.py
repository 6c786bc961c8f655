"""The static files the site ships: the icon subset and the purged Bootstrap.

Both are built from the vendored releases in assets/ (make icons, make css)
and committed; these tests fail when a template starts using an icon or a
Bootstrap class that the committed build lacks.
"""

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from catalog.icons import CATEGORY_ICONS
from catalog.services import DEFAULT_CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
ICONS_CSS = ROOT / "static" / "css" / "icons.css"
ICONS_FONT = ROOT / "static" / "fonts" / "bootstrap-icons-subset.woff2"
PURGED = ROOT / "static" / "css" / "bootstrap.purged.css"
FULL_BOOTSTRAP = ROOT / "assets" / "bootstrap-5.3.9" / "bootstrap.min.css"
RULE = re.compile(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}')


def served_icons() -> dict[str, int]:
    return {name: int(code, 16) for name, code in RULE.findall(ICONS_CSS.read_text())}


def template_texts():
    for path in sorted((ROOT / "templates").rglob("*.html")):
        yield path, path.read_text(encoding="utf-8")


def test_the_committed_icon_subset_is_what_make_icons_builds(tmp_path):
    from tools.build_icons import build

    build(tmp_path)
    assert (tmp_path / "css" / "icons.css").read_text() == ICONS_CSS.read_text()
    assert (tmp_path / "fonts" / ICONS_FONT.name).read_bytes() == (
        ICONS_FONT.read_bytes()
    )


def test_every_icon_a_page_or_category_shows_is_in_the_served_font():
    icons = served_icons()
    used = set()
    for _path, text in template_texts():
        used |= set(re.findall(r"(?<![\w-])bi-([a-z0-9]+(?:-[a-z0-9]+)*)", text))
    used |= set(CATEGORY_ICONS) | {icon for _slug, _name, icon in DEFAULT_CATEGORIES}
    assert sorted(used - icons.keys()) == []
    glyphs = set(TTFont(ICONS_FONT).getBestCmap())
    assert sorted(name for name, code in icons.items() if code not in glyphs) == []
    # The subset is the used set, not the whole font.
    assert len(icons) == len(used) < 150
    assert ICONS_FONT.stat().st_size < 16 * 1024


def test_the_purged_bootstrap_keeps_every_class_the_templates_name():
    full = set(re.findall(r"\.([a-zA-Z][\w-]*)", FULL_BOOTSTRAP.read_text()))
    kept = set(re.findall(r"\.([a-zA-Z][\w-]*)", PURGED.read_text()))
    named = set()
    for _path, text in template_texts():
        for attribute in re.findall(r'class="([^"]*)"', text):
            named |= {token for token in attribute.split() if "{" not in token}
    named -= {"bi"}  # icons.css styles it; Bootstrap only has `.icon-link > .bi`
    missing = sorted((named & full) - kept)
    assert missing == []
    # Classes only Bootstrap's JavaScript adds are kept too.
    for toggled in (
        "show",
        "collapsing",
        "fade",
        "dropdown-menu",
        "modal",
        "offcanvas",
    ):
        assert toggled in kept
    assert PURGED.stat().st_size < FULL_BOOTSTRAP.stat().st_size // 2


@pytest.mark.parametrize(
    "name", ["bootstrap-icons.woff2", "bootstrap-icons.woff", "bootstrap.min.css"]
)
def test_the_full_vendored_files_are_not_served(name):
    assert list((ROOT / "static").rglob(name)) == []
    base = (ROOT / "templates" / "base.html").read_text()
    assert "bootstrap-icons.min.css" not in base
    assert "css/bootstrap.purged.css" in base and "css/icons.css" in base
