"""Build the Bootstrap Icons subset the site serves: `make icons`.

The full font (135 KB) holds ~2,000 icons; the site shows a few dozen. This
scans templates/, static/js/ and the apps' Python sources for `bi-<name>`,
adds every icon offered for a craft category (catalog/icons.py), and writes

    static/css/icons.css                       the base rule and only those classes
    static/fonts/bootstrap-icons-subset.woff2  the font with only those glyphs

from the vendored, unmodified release in assets/bootstrap-icons-1.13.2/.
Needs fontTools and Brotli (requirements-dev.txt). The output is committed;
tests/pasar/test_static_assets.py rebuilds it and fails when it is stale.

    python tools/build_icons.py [--out DIR]
"""

import argparse
import ast
import io
import logging
import re
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "assets" / "bootstrap-icons-1.13.2"
SCANNED = [
    (ROOT / "templates", "*.html"),
    (ROOT / "static" / "js", "*.js"),
    *(
        (ROOT / app, "*.py")
        for app in ("pasar", "posdaya", "catalog", "orders", "banksampah")
    ),
]
NAME = re.compile(r"(?<![\w-])bi-([a-z0-9]+(?:-[a-z0-9]+)*)")
RULE = re.compile(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}')
FONT = "bootstrap-icons-subset.woff2"


def used_names() -> set[str]:
    """Every `bi-<name>` in the sources plus the category icons."""
    names = set()
    for folder, pattern in SCANNED:
        for path in sorted(folder.rglob(pattern)):
            if "migrations" in path.parts:
                continue
            names |= set(NAME.findall(path.read_text(encoding="utf-8")))
    tree = ast.parse((ROOT / "catalog" / "icons.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and node.targets[0].id == "CATEGORY_ICONS":
            names |= set(ast.literal_eval(node.value))
    return names


def build(out: Path) -> list[str]:
    """Write the subset CSS and font under `out`; return the icon names."""
    css = (SOURCE / "bootstrap-icons.min.css").read_text(encoding="utf-8")
    codepoints = dict(RULE.findall(css))
    wanted = used_names()
    # "bi-" also starts words that are no icon (none today); keep real ones.
    names = sorted(name for name in wanted if name in codepoints)
    base = css[css.index(".bi::before") :].split("}", 1)[0] + "}"

    # The release's post table has two spare bytes; fontTools says so, harmlessly.
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = TTFont(SOURCE / "fonts" / "bootstrap-icons.woff2", recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[int(codepoints[name], 16) for name in names])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer, reorderTables=False)

    (out / "fonts").mkdir(parents=True, exist_ok=True)
    (out / "css").mkdir(parents=True, exist_ok=True)
    (out / "fonts" / FONT).write_bytes(buffer.getvalue())
    rules = "".join(f'.bi-{n}::before{{content:"\\{codepoints[n]}"}}' for n in names)
    (out / "css" / "icons.css").write_text(
        "/*!\n"
        " * Bootstrap Icons v1.13.2 (https://icons.getbootstrap.com/), a subset:\n"
        f" * {len(names)} icons, built by tools/build_icons.py (make icons).\n"
        " * Copyright 2019-2024 The Bootstrap Authors\n"
        " * Licensed under MIT (https://github.com/twbs/icons/blob/main/LICENSE)\n"
        " */"
        "@font-face{font-display:block;font-family:bootstrap-icons;"
        f'src:url("../fonts/{FONT}") format("woff2")}}'
        f"{base}{rules}\n",
        encoding="utf-8",
    )
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "static")
    args = parser.parse_args()
    names = build(args.out)
    missing = sorted(used_names() - set(names))
    print(f"{len(names)} icons -> {args.out}/css/icons.css, fonts/{FONT}")
    if missing:
        print("not in Bootstrap Icons 1.13.2:", " ".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
