"""Real-browser journeys: Playwright driving the system Chromium.

Each test gets a phone-sized page (360×740, a common small Android phone)
against pytest-django's live server, saves a screenshot under test-artifacts/
and checks each page it visits with `assert_accessible`: axe-core (no serious
or critical violation) and nothing wider than the screen.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("PASAR_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: apt-get install -y chromium"
    )
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request, live_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(
            path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True
        )
    finally:
        context.close()


# Swipe strips scroll sideways on purpose (category chips, product photos).
SIDEWAYS_ON_PURPOSE = ".category-strip, .product-gallery"
OVERFLOW = """(allowed) => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push(`page ${document.documentElement.scrollWidth}px wide`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(allowed)) continue;
    const style = getComputedStyle(el);
    const scrolls = ["auto", "scroll"].includes(style.overflowX);
    if (scrolls && el.scrollWidth > el.clientWidth + 1) {
      const name = `${el.tagName.toLowerCase()}.${el.className}`;
      found.push(`${name} scrolls ${el.scrollWidth}px`);
    }
  }
  return found;
}"""


def assert_fits(page) -> None:
    """Fail when the page, or a box on it, scrolls sideways on the phone."""
    found = page.evaluate(OVERFLOW, SIDEWAYS_ON_PURPOSE)
    assert found == [], f"{page.url}: " + " | ".join(found[:5])


def assert_accessible(page) -> None:
    """Check the current page: axe-core serious/critical issues, sideways scroll."""
    from axe_playwright_python.sync_playwright import Axe

    assert_fits(page)

    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            f"{node['target'][0]} [{node.get('failureSummary', '').splitlines()[-1]}]"
            for node in v["nodes"][:3]
        )
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], f"{page.url}: " + " | ".join(serious)


def open_menu(page, name: str = "Buka menu") -> None:
    """Open the phone-width header menu and wait until its collapse finishes.

    While Bootstrap's collapse is still animating, the menu's buttons are laid
    out but clipped, and a click can land without submitting anything.
    """
    page.get_by_role("button", name=name).click()
    expect(page.locator("#mainNav")).to_have_class(re.compile(r"\bshow\b"))


def sign_in(page, username: str, password: str) -> None:
    page.goto(page.base + "/akun/login/")
    assert_accessible(page)
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    # Wait for the POST's own navigation: wait_for_load_state() alone can return
    # for the login page that is already loaded, and a following goto() would
    # then race the sign-in.
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/akun/login/" not in page.url, f"sign-in as {username} failed"
