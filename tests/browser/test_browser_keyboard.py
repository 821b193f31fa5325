"""Keyboard use: the header in order, and a visible focus on every stop of every page."""

from __future__ import annotations

from typing import Any

import pytest
from browserkit import FOCUSED, PAGE_KIND_NAMES, PageKind, Tab, backdrop, contrast, parse_color

pytestmark = pytest.mark.browser

MAX_STOPS = 400


def focus_problems(stop: dict[str, Any]) -> list[str]:
    """Why the focus on this element is not visible enough (WCAG 2.4.7, 1.4.11)."""
    problems = []
    outlined = stop["outlineStyle"] != "none" and stop["outlineWidth"] >= 1
    shadowed = stop["boxShadow"] not in ("none", "")
    if not (outlined or shadowed):
        problems.append(f"no focus indicator (outline {stop['outlineStyle']} {stop['outlineWidth']}px, box-shadow {stop['boxShadow']})")
    elif outlined:
        ratio = contrast(parse_color(stop["outlineColor"]), backdrop(stop["around"]))
        if ratio < 3:
            problems.append(f"focus outline {stop['outlineColor']} has {ratio:.2f}:1 against its background, needs 3:1")
    rect, view = stop["rect"], stop["viewport"]
    if rect["width"] < 1 or rect["height"] < 1:
        problems.append(f"focused but invisible ({rect['width']:.0f}x{rect['height']:.0f} px)")
    elif rect["bottom"] <= 0 or rect["top"] >= view["height"] or rect["right"] <= 0 or rect["left"] >= view["width"]:
        problems.append(f"focused but off screen at {rect}")
    return problems


def walk_focus(tab: Tab, url: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until focus leaves it (or ``limit`` stops); every stop on the way."""
    page = tab.page
    page.goto(url)
    stops: list[dict[str, Any]] = []
    for _ in range(limit or MAX_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop["element"] == stops[0]["element"] and stop["href"] == stops[0]["href"]):
            return stops
        stops.append(stop)
    if limit:
        return stops
    pytest.fail(f"{url}: still tabbing after {MAX_STOPS} stops: is focus trapped?")


def test_header_in_order(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    """Skip link, the brief's title, then Articles, Actors, Timeline (and Topics, Sources), then the search box,
    in order."""
    stops = walk_focus(tab, server + pages["front"].path)
    nav = [("Articles", "articles/"), ("Actors", "actors/"), ("Timeline", "timeline/")]
    if brief["tags"]:
        nav.append(("Topics", "tags/"))
    if brief.get("sources"):
        nav.append(("Sources", "sources/"))
    expected = ["#main", "index.html"] + [url + "index.html" for _, url in nav]
    head = stops[: len(expected)]
    assert [s["href"] for s in head] == expected, [s["element"] for s in head]
    assert head[1]["text"] == brief["title"]
    assert [s["text"] for s in head[2:]] == [name for name, _ in nav]
    assert all(s["inHeader"] for s in head[1:]), [s["element"] for s in head]
    search = stops[len(expected):len(expected) + 2]
    assert [(s["tag"], s["id"] or s["text"]) for s in search] == [("input", "site-search-q"), ("button", "Search")]
    assert all(s["inHeader"] for s in search)
    head += search
    # After the header, focus goes into main, and never back to the header.
    assert stops[len(head)]["inMain"], stops[len(head)]
    assert not any(s["inHeader"] for s in stops[len(head):])
    for s in head:
        assert not focus_problems(s), (s["element"], focus_problems(s))


def test_header_on_a_phone(pages: dict[str, PageKind], server: str, open_tab: Any) -> None:
    """At 390 px the header wraps; every link in it still takes a visible focus on screen."""
    tab = open_tab(viewport={"width": 390, "height": 844})
    stops = walk_focus(tab, server + pages["article"].path, limit=8)
    header = [s for s in stops if s["inHeader"]]
    assert len(header) >= 4
    for s in header:
        assert not focus_problems(s), (s["element"], focus_problems(s))


@pytest.mark.parametrize(
    ("kind", "scheme"),
    [(k, "light") for k in PAGE_KIND_NAMES] + [("article", "dark"), ("timeline", "dark"), ("actors", "dark")],
)
def test_every_focus_is_visible(kind: str, scheme: str, pages: dict[str, PageKind], server: str, open_tab: Any) -> None:
    tab = open_tab(color_scheme=scheme)
    url = server + pages[kind].path
    stops = walk_focus(tab, url)
    # checkVisibility: controls in a closed disclosure (the filters' groups) are not reachable until it opens
    links = tab.page.evaluate(
        "[...document.querySelectorAll('a[href], select, button, input, textarea')]"
        ".filter(e => e.getClientRects().length && e.checkVisibility({visibilityProperty: true})).length"
    )
    assert len(stops) >= links, f"{url}: Tab reached {len(stops)} stops but the page has {links} controls"
    bad = [f"{s['element']} {s['text']!r}: {'; '.join(p)}" for s in stops if (p := focus_problems(s))]
    assert not bad, f"{url} ({scheme}):\n" + "\n".join(bad)
    assert not tab.watch.problems(), tab.watch.problems()
