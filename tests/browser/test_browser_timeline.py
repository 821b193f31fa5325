"""The timeline's actor filter: the only JavaScript, and an enhancement only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from browserkit import PageKind, Tab

pytestmark = pytest.mark.browser

SHOWN_EVENTS = "() => [...document.querySelectorAll('.tl-month .ev')].filter(li => li.checkVisibility()).map(li => li.id)"

# Every year and month section is shown exactly when it has an event shown.
EMPTY_SECTIONS = r"""
() => [...document.querySelectorAll('.tl-month, .tl-year')]
  .filter(s => s.checkVisibility() !== [...s.querySelectorAll('.ev')].some(li => li.checkVisibility()))
  .map(s => s.getAttribute('aria-labelledby'))
"""


def events_of(brief: dict[str, Any], actor: str) -> set[str]:
    return {"ev-" + e["id"] for e in brief["events"] if actor in {a["id"] for a in e["actors"]}}


def all_events(brief: dict[str, Any]) -> set[str]:
    return {"ev-" + e["id"] for e in brief["events"]}


def test_filter_by_every_actor(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["timeline"].path)
    select = page.locator("#actor-filter")
    assert page.locator("#timeline-filter").is_visible()
    assert select.is_visible()
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)

    options = select.locator("option").evaluate_all("os => os.map(o => [o.value, o.textContent])")
    assert options[0][0] == "", "the first choice shows every actor"
    actors = {a["id"]: a for a in brief["actors"]}
    in_events = {a["id"] for e in brief["events"] for a in e["actors"]}
    assert {value for value, _ in options[1:]} == in_events, "the choices are the actors that have events"

    narrowed = 0
    total = len(brief["events"])
    for value, label in options[1:]:
        select.select_option(value)
        expected = events_of(brief, value)
        assert set(page.evaluate(SHOWN_EVENTS)) == expected, f"filtering by {value}"
        assert page.evaluate(EMPTY_SECTIONS) == [], f"filtering by {value}: empty sections shown or full ones hidden"
        assert page.locator("#timeline-filter output").inner_text() == f"{len(expected)} of {total} events involve {label}"
        assert page.url.endswith(f"timeline/index.html?actor={value}")
        assert label == actors[value]["name"]
        narrowed += len(expected) < total

    assert narrowed > 0, "no actor narrows the timeline, so the filter was never really tested"
    select.select_option("")
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
    assert page.url.endswith("timeline/index.html")
    assert page.locator("#timeline-filter output").inner_text() == ""
    assert not tab.watch.problems(), tab.watch.problems()


def test_filter_by_keyboard(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["timeline"].path)
    page.locator("#actor-filter").focus()
    page.keyboard.press("ArrowDown")
    value = page.locator("#actor-filter").input_value()
    assert value != ""
    assert set(page.evaluate(SHOWN_EVENTS)) == events_of(brief, value)


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_prefiltered_from_the_address(
    scheme: str, pages: dict[str, PageKind], server: str, file_root: str, brief: dict[str, Any], tab: Tab
) -> None:
    root = server if scheme == "http" else file_root
    page = tab.page
    page.goto(root + pages["timeline"].path + "?actor=aliyev")
    assert page.locator("#actor-filter").input_value() == "aliyev"
    shown = set(page.evaluate(SHOWN_EVENTS))
    assert shown == events_of(brief, "aliyev")
    assert 0 < len(shown) < len(brief["events"])
    assert page.evaluate(EMPTY_SECTIONS) == []

    page.goto(root + pages["timeline"].path + "?actor=no-such-actor")
    assert page.locator("#actor-filter").input_value() == ""
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
    assert not tab.watch.problems(), tab.watch.problems()


def test_actor_page_links_to_its_events(
    pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab
) -> None:
    page = tab.page
    page.goto(server + pages["actor"].path)
    actor = next(a for a in brief["actors"] if page.url.endswith(a["url"] + "index.html"))
    page.get_by_role("link", name=f"{actor['name']} on the full timeline").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"timeline/index.html?actor={actor['id']}")
    assert set(page.evaluate(SHOWN_EVENTS)) == events_of(brief, actor["id"])


@pytest.mark.parametrize("query", ["", "?actor=aliyev"])
def test_without_javascript_everything_is_listed(
    query: str, pages: dict[str, PageKind], server: str, brief: dict[str, Any], open_tab: Callable[..., Tab]
) -> None:
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    page.goto(server + pages["timeline"].path + query)
    assert page.locator("#timeline-filter").count() == 1
    assert page.locator("#timeline-filter").is_hidden(), "a filter that cannot work is shown"
    assert page.locator("#actor-filter").is_hidden()
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
    assert page.evaluate(EMPTY_SECTIONS) == []
    assert not tab.watch.problems(), tab.watch.problems()
