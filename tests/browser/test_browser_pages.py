"""Every kind of page loads cleanly, has one h1, a main landmark and a working skip link.

Over http (a local server) and, for a few pages, straight from disk (file://),
which is how many readers will open a brief someone forwarded to them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pytest
from browserkit import FOCUSED, PAGE_KIND_NAMES, PAGE_SHAPE, PageKind, Tab

pytestmark = pytest.mark.browser

FILE_KINDS = ["front", "actor", "timeline", "article", "search", "404"]


def check_page(tab: Tab, url: str) -> None:
    page = tab.page
    response = page.goto(url, wait_until="load")
    assert response is None or response.ok, f"{url}: HTTP {response.status if response else '?'}"

    shape = page.evaluate(PAGE_SHAPE)
    assert not shape["directoryListing"], f"{url} shows a directory listing"
    assert shape["h1"] == 1, f"{url} has {shape['h1']} h1 elements"
    assert shape["main"] == 1 and page.get_by_role("main").count() == 1, f"{url}: no single main landmark"

    # The first Tab lands on the skip link, which then shows on screen.
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused is not None, f"{url}: Tab focused nothing"
    assert focused["href"] == "#main", f"{url}: the first focusable element is {focused['element']}, not the skip link"
    assert "skip" in focused["text"].lower(), focused
    rect = focused["rect"]
    assert rect["top"] >= 0 and rect["left"] >= 0 and rect["bottom"] <= focused["viewport"]["height"], (
        f"{url}: the focused skip link is off screen at {rect}"
    )
    assert page.locator("a.skip").is_visible()

    # Enter follows it: main takes focus, and the next Tab goes into main.
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'")
    assert page.evaluate("document.activeElement === document.querySelector('main')"), (
        f"{url}: after the skip link, focus is on {page.evaluate(FOCUSED)}"
    )
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUSED)
    assert after is not None and after["inMain"], f"{url}: Tab after skipping went to {after}, not into main"

    assert any(u.endswith("assets/briefgen.css") for u in tab.watch.requests) or kind_is_404(url), (
        f"{url}: the stylesheet was never requested: {tab.watch.requests}"
    )
    problems = tab.watch.problems()
    assert not problems, f"{url}:\n" + "\n".join(problems)


def kind_is_404(url: str) -> bool:
    """The 404 page carries its styles inline, so it requests no stylesheet."""
    return url.endswith("/404.html")


@pytest.mark.parametrize("kind", PAGE_KIND_NAMES)
def test_page_over_http(kind: str, pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    check_page(tab, server + pages[kind].path)


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_page_from_disk(kind: str, pages: dict[str, PageKind], file_root: str, tab: Tab) -> None:
    check_page(tab, file_root + pages[kind].path)


def test_404_at_an_unknown_address(server: str, tab: Tab) -> None:
    """A host shows 404.html at any missing path: it must still be styled and complete."""
    url = server + "no/such/page/"
    tab.watch.expected_status[url] = 404
    response = tab.page.goto(url)
    assert response is not None and response.status == 404
    shape = tab.page.evaluate(PAGE_SHAPE)
    assert shape["h1"] == 1 and "not found" in shape["h1Text"].lower()
    # The stylesheet is inline, so the page is styled even though the relative
    # path to assets/ would be wrong here.
    assert tab.page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert tab.page.evaluate("getComputedStyle(document.querySelector('a.skip')).position") == "absolute"
    assert not tab.watch.problems(), tab.watch.problems()


def test_click_through_from_disk_without_javascript(
    file_root: str, site: Path, brief: dict[str, Any], open_tab: Callable[..., Tab]
) -> None:
    """From index.html on disk, with no JavaScript, links lead to pages, never to folders."""
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    actor = next(a for a in brief["actors"] if a["id"] == "aliyev")

    def arrive(expected_path: str, expected_h1: str) -> None:
        page.wait_for_load_state("load")
        assert page.url == file_root + expected_path, f"landed on {page.url}"
        shape = page.evaluate(PAGE_SHAPE)
        assert not shape["directoryListing"], f"{page.url} is a directory listing"
        assert shape["h1Text"].strip() == expected_h1, f"{page.url}: h1 is {shape['h1Text']!r}"

    page.goto(file_root + "index.html")
    arrive("index.html", page.evaluate("document.querySelector('h1').textContent").strip())

    page.locator("nav.site-nav").get_by_role("link", name="Actors", exact=True).click()
    arrive("actors/index.html", page.locator("h1").inner_text())
    assert page.locator("h1").inner_text() == "Actors"

    page.locator("main").get_by_role("link", name=actor["name"], exact=True).first.click()
    arrive(actor["url"] + "index.html", actor["name"])

    page.locator("nav.site-nav").get_by_role("link", name="Timeline", exact=True).click()
    arrive("timeline/index.html", "Timeline")
    assert page.locator(".tl-month .ev").count() == len(brief["events"])
    assert page.locator(".tl-month .ev:visible").count() == len(brief["events"])

    page.go_back()
    arrive(actor["url"] + "index.html", actor["name"])

    # And from the actor page to one of its events, and back to the front page.
    event_id = actor["events"][0]
    event = next(e for e in brief["events"] if e["id"] == event_id)
    page.locator("main").get_by_role("link", name=event["title"], exact=True).first.click()
    arrive(event["url"] + "index.html", event["title"])
    page.locator(".site-title a").click()
    arrive("index.html", page.locator("h1").inner_text())

    assert not tab.watch.problems(), tab.watch.problems()


def test_every_link_on_disk_leads_to_a_file(
    file_root: str, site: Path, pages: dict[str, PageKind], brief: dict[str, Any], open_tab: Callable[..., Tab]
) -> None:
    """Without JavaScript on file://, no internal link points at a folder (which shows a listing).

    One page of each kind (the templates' links) and every article (links
    written in the text). The 404 page links absolutely, to base_url, by design.
    """
    tab = open_tab(java_script_enabled=False)
    bad = []
    paths = {k.path for k in pages.values() if k.name != "404"} | {a["url"] + "index.html" for a in brief["articles"]}
    for path in sorted(site / p for p in paths):
        tab.page.goto(path.as_uri())
        # resolved by hand: an SVG link's .href is not a string (the network page's nodes)
        for href in tab.page.eval_on_selector_all(
                "a[href]", "as => as.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"):
            if not href.startswith("file:"):
                continue
            target = Path(url2pathname(urlsplit(href).path))
            if not target.is_file():
                bad.append(f"{path.relative_to(site)} -> {href}")
    assert not bad, "links that do not open a file from disk:\n" + "\n".join(bad)
    assert not tab.watch.problems(), tab.watch.problems()


def test_no_favicon_request_fails(pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    """Pages declare their icon, so browsers do not ask the host for a /favicon.ico that is not there."""
    tab.page.goto(server + pages["front"].path)
    icon = tab.page.evaluate("(document.querySelector('link[rel~=icon]') || {}).href || null")
    assert icon is not None, "no <link rel=icon> in the page head"
    response = tab.page.request.get(icon) if icon.startswith("http") else None
    assert response is None or response.ok, f"the icon {icon} answers HTTP {response.status}"
    assert not tab.watch.favicon_errors, tab.watch.favicon_errors
