"""Draw the installable app's icons from static/img/logo.svg: `make pwa-icons`.

Writes static/img/app/icon-192.png and icon-512.png (the round logo on a
transparent ground, purpose "any") and icon-maskable-512.png (the logo at 80 %
on a full green square, its circle inside the central 80 % that every launcher
mask keeps). Chromium draws the SVG (Playwright, requirements-dev.txt; the system
Chromium at /usr/bin/chromium or PASAR_CHROMIUM), Pillow optimises the PNGs.
The output is committed.
"""

import io
import os
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
LOGO = ROOT / "static" / "img" / "logo.svg"
OUT = ROOT / "static" / "img" / "app"
GREEN = "#1f7a4d"


def page_for(svg: str, size: int) -> str:
    return (
        "<!DOCTYPE html><html><head><style>html,body{margin:0;background:transparent}"
        f"svg{{display:block;width:{size}px;height:{size}px}}</style></head>"
        f"<body>{svg}</body></html>"
    )


def maskable(logo: str) -> str:
    """The logo at 80 % (its circle inside the safe zone) on a square of its green."""
    inner = logo.split(">", 1)[1].rsplit("</svg>", 1)[0]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" fill="{GREEN}"/>'
        f'<g transform="translate(6.4 6.4) scale(.8)">{inner}</g></svg>'
    )


def main() -> None:
    logo = LOGO.read_text(encoding="utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    jobs = [
        ("icon-192.png", logo, 192),
        ("icon-512.png", logo, 512),
        ("icon-maskable-512.png", maskable(logo), 512),
    ]
    chromium = os.environ.get("PASAR_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page(device_scale_factor=1)
        for name, svg, size in jobs:
            page.set_viewport_size({"width": size, "height": size})
            page.set_content(page_for(svg, size))
            png = page.screenshot(omit_background=True)
            image = Image.open(io.BytesIO(png)).convert("RGBA")
            image.save(OUT / name, format="PNG", optimize=True)
            print(f"{OUT / name}: {image.size[0]}x{image.size[1]}")
        browser.close()


if __name__ == "__main__":
    main()
