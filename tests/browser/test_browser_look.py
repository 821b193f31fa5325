"""How the pages look: no sideways scrolling, a readable measure, contrast in both schemes, print."""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browserkit import (
    LINE_LENGTHS,
    OVERFLOW,
    PAGE_KIND_NAMES,
    PageKind,
    Tab,
    backdrop,
    contrast,
    contrast_failures,
    luminance,
    over,
    parse_color,
)

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_page_scrolls_sideways(viewport: str, site: Path, brief: dict[str, Any], server: str,
                                  open_tab: Callable[..., Tab]) -> None:
    """Every page of the brief fits the window's width (but the pages left at renamed pages' old
    addresses, which send the browser on at once)."""
    width, height = VIEWPORTS[viewport]
    tab = open_tab(viewport={"width": width, "height": height})
    moved = {redirect["from"] + "index.html" for redirect in brief["redirects"]}
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.relative_to(site).as_posix() not in moved)
    wide = []
    for path in paths:
        tab.page.goto(server + path)
        result = tab.page.evaluate(OVERFLOW)
        if result["scrollWidth"] > result["innerWidth"]:
            wide.append(f"{path}: {result['scrollWidth']} px wide in {result['innerWidth']} px; " + "; ".join(result["offenders"][:4]))
    assert not wide, f"pages that scroll sideways at {width} px:\n" + "\n".join(wide)
    assert not tab.watch.problems(), tab.watch.problems()


def test_article_measure(pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    """Body text at 1280 px runs about 45 to 80 characters a line (look.md asks for 60-75)."""
    tab.page.goto(server + pages["article"].path)
    lines = tab.page.evaluate(LINE_LENGTHS, ".prose > p")
    assert len(lines) >= 10, f"only {len(lines)} full lines of body text measured"
    typical = statistics.median(lines)
    assert 45 <= typical <= 80, f"body text runs {typical} characters a line (lines: {lines})"


def body_colours(tab: Tab, url: str) -> tuple[str, float]:
    """The page's background and the contrast of its running text."""
    tab.page.goto(url)
    bg_layers = tab.page.evaluate("[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.documentElement).backgroundColor]")
    text = tab.page.evaluate(
        "(() => { const p = document.querySelector('.prose p'); const out = [];"
        " for (let e = p; e; e = e.parentElement) out.push(getComputedStyle(e).backgroundColor);"
        " return {color: getComputedStyle(p).color, around: out}; })()"
    )
    bg = backdrop(text["around"])
    return bg_layers[0], contrast(over(parse_color(text["color"]), bg), bg)


def test_dark_scheme(pages: dict[str, PageKind], server: str, open_tab: Callable[..., Tab]) -> None:
    url = server + pages["article"].path
    light_bg, light_ratio = body_colours(open_tab(color_scheme="light"), url)
    dark_bg, dark_ratio = body_colours(open_tab(color_scheme="dark"), url)
    assert light_bg != dark_bg, "the dark scheme keeps the light background"
    assert luminance(parse_color(dark_bg)) < luminance(parse_color(light_bg))
    assert light_ratio >= 4.5, f"body text contrast in the light scheme is {light_ratio:.2f}:1"
    assert dark_ratio >= 4.5, f"body text contrast in the dark scheme is {dark_ratio:.2f}:1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_all_text_contrast(scheme: str, pages: dict[str, PageKind], server: str, open_tab: Callable[..., Tab]) -> None:
    """WCAG AA for every piece of text on every kind of page: 4.5:1, or 3:1 when large."""
    tab = open_tab(color_scheme=scheme)
    failures = []
    for kind in PAGE_KIND_NAMES:
        tab.page.goto(server + pages[kind].path)
        failures += [f"{kind}: {f}" for f in contrast_failures(tab.page)]
    assert not failures, f"text below WCAG AA contrast ({scheme} scheme):\n" + "\n".join(failures)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print(scheme: str, pages: dict[str, PageKind], server: str, open_tab: Callable[..., Tab]) -> None:
    """An article prints: black on white whatever the screen's scheme, no navigation."""
    tab = open_tab(color_scheme=scheme)
    page = tab.page
    page.goto(server + pages["article"].path)
    assert page.locator("nav.site-nav").is_visible()
    page.emulate_media(media="print")
    assert page.locator("nav.site-nav").is_hidden(), "the navigation is printed"
    assert page.locator("a.skip").is_hidden()
    assert page.locator("h1").is_visible() and page.locator(".prose").is_visible()
    colours = page.evaluate(
        "(() => { const p = document.querySelector('.prose p');"
        " return [getComputedStyle(document.body).backgroundColor, getComputedStyle(p).color]; })()"
    )
    assert parse_color(colours[0])[:3] == (255, 255, 255), f"printed background {colours[0]}"
    assert parse_color(colours[1])[:3] == (0, 0, 0), f"printed text {colours[1]}"

    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    sheets = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 <= sheets <= 20, f"the article prints on {sheets} pages"
    assert not tab.watch.problems(), tab.watch.problems()


def test_print_timeline_hides_the_filter(pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["timeline"].path)
    assert page.locator("#facets").is_visible()
    page.emulate_media(media="print")
    assert page.locator("#facets").is_hidden()
    assert page.locator("nav.site-nav").is_hidden()
    assert page.pdf(format="A4").startswith(b"%PDF-")
