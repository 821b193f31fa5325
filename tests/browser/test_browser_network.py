"""The network of actors: seen without JavaScript, its nodes lead to actor pages, it fits a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browserkit import PageKind, Tab

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_drawn_without_javascript_and_fits(
    width: int, pages: dict[str, PageKind], server: str, brief: dict[str, Any], open_tab: Callable[..., Tab]
) -> None:
    tab = open_tab(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = tab.page
    page.goto(server + pages["network"].path)
    svg = page.locator("figure.network svg")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > width * 0.5
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    nodes = page.locator("figure.network svg a")
    urls = {a["url"] + "index.html" for a in brief["actors"]}
    hrefs = nodes.evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.removeprefix("../../") in urls for h in hrefs)
    rows = page.locator(".net-table tbody tr")
    assert rows.count() == page.locator("figure.network svg line").count()
    assert not tab.watch.problems(), tab.watch.problems()


def test_a_node_leads_to_its_actor(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["network"].path)
    node = page.locator("figure.network svg a").first
    name = node.locator("text").text_content()
    node.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    actor = next(a for a in brief["actors"] if page.url.endswith(a["url"] + "index.html"))
    assert name and actor["name"].startswith(name.rstrip("…"))
    assert page.locator("h1").inner_text() == actor["name"]
