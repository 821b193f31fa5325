#!/usr/bin/env python3
"""Make the README's screenshots of the example brief again, light and dark.

    python scripts/screenshots.py            # into docs/screenshots/
    python scripts/screenshots.py --out DIR

Builds the brief in the repository root with ``briefgen build``, serves it on
127.0.0.1 and photographs it in the system Chromium through Playwright, with
the browser tests' own flags and server (tests/browser/conftest.py), so it
needs what they need: ``pip install -e '.[test,browser]'`` and
``apt-get install chromium``. Three pages, each in both schemes: the front
page, an actor page with a preview card open (the page alone, with a message,
while the built site has no preview cards) and the timeline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serving  # noqa: E402  (the browser tests' harness)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

WIDTH, HEIGHT = 1280, 800
SCHEMES: list[Literal["light", "dark"]] = ["light", "dark"]
ACTOR = "actors/aliyev/index.html"
PREVIEW_DATA = "previews.js"
PREVIEW_CARD = ".preview-card"
# Links to hover for a card, tried in this order: mentions in the text, then any other.
CARD_LINKS = ["main .prose a.mention", "main a[href*='events/']", "main a[href*='actors/']"]


def open_card(page: Page) -> bool:
    """Hover links on the actor page until one opens its preview card; False when none does."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for selector in CARD_LINKS:
        links = page.locator(selector)
        for index in range(min(links.count(), 6)):
            links.nth(index).hover()
            try:
                page.locator(PREVIEW_CARD).wait_for(state="visible", timeout=2_000)
            except PlaywrightTimeout:
                continue
            return True
    return False


def photograph(browser: Browser, base: str, site: Path, out: Path) -> tuple[list[str], list[str]]:
    """Save the PNGs into ``out``; the names of the files written, and what they lack."""
    written, lacking = [], []
    previews = (site / PREVIEW_DATA).is_file()
    for scheme in SCHEMES:
        viewport: ViewportSize = {"width": WIDTH, "height": HEIGHT}
        context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
        page = context.new_page()
        for name, path in [("front", "index.html"), ("actor", ACTOR), ("timeline", "timeline/index.html")]:
            page.goto(base + path, wait_until="load")
            target = out / f"{name}-{scheme}.png"
            if name == "actor" and not previews:
                print(f"{target.name}: the built site has no preview cards (no {PREVIEW_DATA}): "
                      "the page is shown without one", file=sys.stderr)
            elif name == "actor" and not open_card(page):
                lacking.append(f"{target.name}: the site has {PREVIEW_DATA}, but no link on {path} opened a card")
            page.screenshot(path=str(target))
            written.append(target.name)
        context.close()
    return written, lacking


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots", help="where the PNGs go")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="briefgen-screenshots-") as scratch:
        site = Path(scratch) / "site"
        subprocess.run([sys.executable, "-m", "briefgen", "build", "--source", str(REPO), "--output", str(site)],
                       check=True, stdout=subprocess.DEVNULL)
        args.out.mkdir(parents=True, exist_ok=True)
        with serving(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                written, lacking = photograph(browser, base, site, args.out)
            finally:
                browser.close()
    print(f"wrote {len(written)} screenshots into {args.out}: {', '.join(written)}")
    for problem in lacking:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if lacking else 0


if __name__ == "__main__":
    sys.exit(main())
