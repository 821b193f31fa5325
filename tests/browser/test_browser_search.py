"""Search in a real browser: Pagefind's index of the example brief, over http, from disk and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browserkit import FOCUSED, PageKind, Tab, contrast_failures

pytestmark = pytest.mark.browser


def results(tab: Tab) -> list[dict[str, str]]:
    tab.page.wait_for_selector("#search-results li")
    found: list[dict[str, str]] = tab.page.evaluate(
        """[...document.querySelectorAll('#search-results li')].map(li => ({
            kind: li.querySelector('.result-kind').textContent,
            title: li.querySelector('.result-title').textContent,
            href: li.querySelector('.result-title a').href,
            facts: (li.querySelector('.result-facts') || {}).textContent || '',
        }))""")
    return found


def test_an_alias_finds_the_actor_with_its_kind(server: str, brief: dict[str, Any], tab: Tab) -> None:
    armenia = next(a for a in brief["actors"] if a["id"] == "armenia")
    assert "Yerevan" in armenia["aliases"]
    tab.page.goto(server + "search/index.html?q=Yerevan")
    first = results(tab)[0]
    assert first["title"] == armenia["name"]
    assert first["kind"] == "Actor · State"
    assert first["href"] == server + armenia["url"] + "index.html"
    assert tab.page.locator("#search-status").inner_text().endswith("for “Yerevan”")
    assert not tab.watch.problems(), tab.watch.problems()


def test_events_are_found_by_date_and_show_it(server: str, brief: dict[str, Any], tab: Tab) -> None:
    event = next(e for e in brief["events"] if e["id"] == "shoigu-visits-baku")
    tab.page.goto(server + "search/index.html?q=25+August+2020")
    found = results(tab)
    mine = next(r for r in found if r["title"] == event["title"])
    assert (mine["kind"], mine["facts"]) == ("Event", "25 August 2020 · Baku")
    assert not tab.watch.problems(), tab.watch.problems()


def test_the_header_box_searches_from_the_keyboard(pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["article"].path)
    for _ in range(12):
        page.keyboard.press("Tab")
        if (page.evaluate(FOCUSED) or {}).get("id") == "site-search-q":
            break
    else:
        pytest.fail("Tab never reached the search box in the header")
    page.keyboard.type("Shoigu")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/index.html?q=Shoigu")
    assert any(r["title"] == "Sergei Shoigu" and r["kind"].startswith("Actor") for r in results(tab))
    assert page.get_by_label("Search the brief").input_value() == ""  # the page's own box has the query
    assert page.locator("#search-q").input_value() == "Shoigu"
    assert not tab.watch.problems(), tab.watch.problems()


def test_from_disk_the_box_says_search_needs_a_server(pages: dict[str, PageKind], file_root: str, tab: Tab) -> None:
    page = tab.page
    page.goto(file_root + pages["front"].path)
    hint = page.locator("#site-search-hint")
    assert not hint.is_visible()
    page.locator("#site-search-q").focus()
    assert hint.is_visible() and "opened as a file" in hint.inner_text()
    assert page.locator("#site-search-q").get_attribute("aria-describedby") == "site-search-hint"
    links = hint.get_by_role("link")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "actors/index.html", "timeline/index.html"]
    page.keyboard.type("Aliyev")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/index.html?q=Aliyev")
    note = page.locator("#search-unavailable")
    assert note.is_visible() and "opened as a file" in note.inner_text()
    assert note.get_by_role("link", name="actor index").get_attribute("href") == "../actors/index.html"
    assert not tab.watch.problems(), tab.watch.problems()


def test_without_javascript_the_search_page_explains(server: str, open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    page.goto(server + "search/index.html?q=Aliyev")
    text = page.locator("main").inner_text()
    assert "needs JavaScript" in text
    assert page.locator("main").get_by_role("link", name="timeline").get_attribute("href") == "../timeline/index.html"
    assert not tab.watch.problems(), tab.watch.problems()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_read_well_in_both_schemes(scheme: str, server: str, open_tab: Callable[..., Tab]) -> None:
    """WCAG AA for the results (kind, title, facts, the marked words of the excerpt)."""
    tab = open_tab(color_scheme=scheme)
    tab.page.goto(server + "search/index.html?q=Shoigu")
    assert len(results(tab)) > 3
    assert tab.page.locator(".result-excerpt mark").count() > 0
    failures = contrast_failures(tab.page)
    assert not failures, "\n".join(failures)
