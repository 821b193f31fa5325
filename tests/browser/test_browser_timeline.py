"""The filters of the timeline, the article list and the actor index: an enhancement only.

What each filter should show is computed here from brief.json, the model's own
lists (an actor's ``events`` and ``articles`` are what its page shows), never
from facets.js, the data the script filters with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browserkit import PageKind, Tab
from playwright.sync_api import Page

from helpers import SMALL_SITE

pytestmark = pytest.mark.browser

SHOWN_EVENTS = "() => [...document.querySelectorAll('.tl-month .ev')].filter(li => li.checkVisibility()).map(li => li.id)"
SHOWN = "sel => [...document.querySelectorAll(sel)].filter(li => li.checkVisibility()).map(li => li.dataset.id)"

# Every year and month section is shown exactly when it has an event shown.
EMPTY_SECTIONS = r"""
() => [...document.querySelectorAll('.tl-month, .tl-year, .actor-group')]
  .filter(s => s.checkVisibility() !== [...s.querySelectorAll('[data-id]')].some(li => li.checkVisibility()))
  .map(s => s.getAttribute('aria-labelledby'))
"""


def events_of(brief: dict[str, Any], *actors: str) -> set[str]:
    """The events every one of ``actors`` is part of, as their pages list them."""
    by_id = {a["id"]: a for a in brief["actors"]}
    return set.intersection(*({"ev-" + e for e in by_id[a]["events"]} for a in actors))


def all_events(brief: dict[str, Any]) -> set[str]:
    return {"ev-" + e["id"] for e in brief["events"]}


def choose(page: Page, name: str, value: str, on: bool = True) -> None:
    """Tick (or untick) a choice, opening its group as a reader would."""
    box = page.locator(f'#facets input[name="{name}"][value="{value}"]')
    details = page.locator(f'#facets details:has(input[name="{name}"][value="{value}"])')
    if details.count() and not details.evaluate("d => d.open"):
        details.locator("summary").click()
    box.set_checked(on)


def status(page: Page) -> str:
    return page.locator("#facets output").inner_text()


def test_filter_by_every_actor(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    """One actor chosen: the events of its page, and the count its page gives."""
    page = tab.page
    page.goto(server + pages["timeline"].path)
    assert page.locator("#facets").is_visible()
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
    assert status(page) == ""

    values = page.locator('#facets input[name="actor"]').evaluate_all("bs => bs.map(b => b.value)")
    assert set(values) == {a["id"] for a in brief["actors"] if a["events"]}, "the choices are the actors with events"
    names = {a["id"]: a["name"] for a in brief["actors"]}
    narrowed = 0
    total = len(brief["events"])
    for value in values:
        choose(page, "actor", value)
        expected = events_of(brief, value)
        assert set(page.evaluate(SHOWN_EVENTS)) == expected, f"filtering by {value}"
        assert page.evaluate(EMPTY_SECTIONS) == [], f"filtering by {value}: empty sections shown or full ones hidden"
        verb = "involves" if len(expected) == 1 else "involve"
        assert status(page) == f"{len(expected)} of {total} events {verb} {names[value]}"
        assert page.url.endswith(f"timeline/index.html?actor={value}")
        narrowed += len(expected) < total
        choose(page, "actor", value, on=False)

    assert narrowed > 0, "no actor narrows the timeline, so the filter was never really tested"
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
    assert page.url.endswith("timeline/index.html")
    assert status(page) == ""
    assert not tab.watch.problems(), tab.watch.problems()


def test_several_facets_combined_and_shared_by_address(
    pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab
) -> None:
    page = tab.page
    page.goto(server + pages["timeline"].path)
    choose(page, "actor", "aliyev")
    choose(page, "actor", "putin")
    both = events_of(brief, "aliyev", "putin")
    assert 0 < len(both) < len(events_of(brief, "aliyev"))
    assert set(page.evaluate(SHOWN_EVENTS)) == both
    assert status(page).endswith(" Ilham Aliyev and Vladimir Putin")

    choose(page, "actor", "putin", on=False)
    page.locator('#facets input[name="from"]').fill("2020-08-13")
    page.locator('#facets input[name="to"]').fill("2020-08-31")
    page.locator('#facets input[name="to"]').dispatch_event("change")
    dated = {"ev-" + e["id"] for e in brief["events"]
             if e["earliest"] and e["earliest"] <= "2020-08-31" and (e["latest"] or "9999") >= "2020-08-13"}
    expected = events_of(brief, "aliyev") & dated
    assert 0 < len(expected) < len(events_of(brief, "aliyev"))
    assert set(page.evaluate(SHOWN_EVENTS)) == expected
    assert status(page) == f"{len(expected)} of {len(brief['events'])} events shown"

    shared = page.url
    assert shared.endswith("?actor=aliyev&from=2020-08-13&to=2020-08-31")
    other = tab.page.context.new_page()
    other.goto(shared)
    assert set(other.evaluate(SHOWN_EVENTS)) == expected, "the address does not carry the view"
    assert other.locator('#facets input[name="actor"][value="aliyev"]').is_visible(), "the chosen group is open"
    other.close()

    page.locator("#facets .facet-clear").click()
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
    assert page.url.endswith("timeline/index.html")
    assert not tab.watch.problems(), tab.watch.problems()


def test_kind_and_topic(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["timeline"].path + "?kind=media")
    kinds = {a["id"]: a["kind"] for a in brief["actors"]}
    named = {e: {a["id"] for a in brief["actors"] if e in a["events"]} for e in (x["id"] for x in brief["events"])}
    expected = {"ev-" + e for e, actors in named.items() if any(kinds[a] == "media" for a in actors)}
    assert 0 < len(expected) < len(brief["events"])
    assert set(page.evaluate(SHOWN_EVENTS)) == expected

    topic = brief["tags"][0]
    page.goto(server + pages["timeline"].path + "?topic=" + topic["slug"])
    expected = {"ev-" + e["id"] for e in brief["events"] if set(e["articles"]) & set(topic["articles"])}
    assert set(page.evaluate(SHOWN_EVENTS)) == expected
    assert not tab.watch.problems(), tab.watch.problems()


def test_compact_view(pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["timeline"].path)
    entry = page.locator(".tl-month .ev").first
    assert entry.locator(".chips").is_visible()
    full = page.evaluate("document.documentElement.scrollHeight")
    page.locator('#facets input[name="view"]').check()
    assert entry.locator(".ev-summary").is_visible(), "the compact view still says what happened"
    assert entry.locator(".chips").is_hidden()
    assert page.evaluate("document.documentElement.scrollHeight") < full * 0.8
    assert page.url.endswith("?view=compact")
    page.reload()
    assert page.locator('#facets input[name="view"]').is_checked()
    assert entry.locator(".chips").is_hidden()
    assert not tab.watch.problems(), tab.watch.problems()


def test_filter_by_keyboard(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["timeline"].path)
    page.locator("#facets summary").first.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    value = page.evaluate("document.activeElement.value")
    assert page.evaluate("document.activeElement.checked")
    assert set(page.evaluate(SHOWN_EVENTS)) == events_of(brief, value)


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_prefiltered_from_the_address(
    scheme: str, pages: dict[str, PageKind], server: str, file_root: str, brief: dict[str, Any], tab: Tab
) -> None:
    root = server if scheme == "http" else file_root
    page = tab.page
    page.goto(root + pages["timeline"].path + "?actor=aliyev")
    assert page.locator('#facets input[name="actor"][value="aliyev"]').is_checked()
    shown = set(page.evaluate(SHOWN_EVENTS))
    assert shown == events_of(brief, "aliyev")
    assert 0 < len(shown) < len(brief["events"])
    assert page.evaluate(EMPTY_SECTIONS) == []

    page.goto(root + pages["timeline"].path + "?actor=no-such-actor&from=not-a-date")
    assert page.locator('#facets input[name="actor"]:checked').count() == 0
    assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
    assert not tab.watch.problems(), tab.watch.problems()


def test_actor_page_links_to_its_events(
    pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab
) -> None:
    page = tab.page
    page.goto(server + pages["actor"].path)
    actor = next(a for a in brief["actors"] if page.url.endswith(a["url"] + "index.html"))
    on_page = page.locator("#actor-timeline + ol > li.ev").count()
    page.get_by_role("link", name=f"{actor['name']} on the full timeline").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"timeline/index.html?actor={actor['id']}")
    assert set(page.evaluate(SHOWN_EVENTS)) == events_of(brief, actor["id"])
    assert len(page.evaluate(SHOWN_EVENTS)) == on_page, "the timeline and the actor page disagree"
    assert status(page).startswith(f"{on_page} of ")


def test_article_list(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["articles"].path)
    assert page.locator("#facets").is_visible()
    every = {a["id"] for a in brief["articles"]}
    assert set(page.evaluate(SHOWN, ".articles .art")) == every
    offered = set(page.locator('#facets input[name="actor"]').evaluate_all("bs => bs.map(b => b.value)"))
    assert offered == {a["id"] for a in brief["actors"] if a["articles"]}
    for actor in brief["actors"]:
        page.goto(server + pages["articles"].path + "?actor=" + actor["id"])
        expected = set(actor["articles"]) if actor["id"] in offered else every  # a choice not offered is ignored
        assert set(page.evaluate(SHOWN, ".articles .art")) == expected, actor["id"]
    topic = brief["tags"][-1]
    page.goto(server + pages["articles"].path + "?topic=" + topic["slug"])
    assert set(page.evaluate(SHOWN, ".articles .art")) == set(topic["articles"])
    first = min(a["date"] for a in brief["articles"])
    page.goto(server + pages["articles"].path + "?to=" + first)
    assert set(page.evaluate(SHOWN, ".articles .art")) == {a["id"] for a in brief["articles"] if a["date"] == first}
    assert page.locator('#facets input[name="role"]').count() == 0, "articles have no roles"
    assert not tab.watch.problems(), tab.watch.problems()


def test_actor_index(pages: dict[str, PageKind], server: str, brief: dict[str, Any], tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["actors"].path)
    every = {a["id"] for a in brief["actors"]}
    assert set(page.evaluate(SHOWN, ".actor-list li")) == every
    choose(page, "kind", "person")
    assert set(page.evaluate(SHOWN, ".actor-list li")) == {a["id"] for a in brief["actors"] if a["kind"] == "person"}
    assert page.evaluate(EMPTY_SECTIONS) == []
    assert status(page).endswith(" actors shown")

    page.goto(server + pages["actors"].path + "?actor=putin")
    putin = next(a for a in brief["actors"] if a["id"] == "putin")
    documents = set(putin["articles"]) | set(putin["events"])
    named_with = {a["id"] for a in brief["actors"] if documents & (set(a["articles"]) | set(a["events"]))}
    assert "putin" in named_with and len(named_with) < len(every)
    assert set(page.evaluate(SHOWN, ".actor-list li")) == named_with
    assert {other["actor"] for other in putin["co_mentions"]} <= named_with
    assert not tab.watch.problems(), tab.watch.problems()


@pytest.mark.parametrize(("kind", "query"), [("timeline", ""), ("timeline", "?actor=aliyev"),
                                             ("articles", "?actor=aliyev"), ("actors", "?kind=person")])
def test_without_javascript_everything_is_listed(
    kind: str, query: str, pages: dict[str, PageKind], server: str, brief: dict[str, Any],
    open_tab: Callable[..., Tab]
) -> None:
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    page.goto(server + pages[kind].path + query)
    assert page.locator("#facets").count() == 1
    assert page.locator("#facets").is_hidden(), "a filter that cannot work is shown"
    if kind == "timeline":
        assert set(page.evaluate(SHOWN_EVENTS)) == all_events(brief)
        assert page.locator(".ev-summary").count() == len(brief["events"]), "every entry says what happened"
    elif kind == "articles":
        assert len(page.evaluate(SHOWN, ".articles .art")) == len(brief["articles"])
    else:
        assert len(page.evaluate(SHOWN, ".actor-list li")) == len(brief["actors"])
    assert page.evaluate(EMPTY_SECTIONS) == []
    assert not tab.watch.problems(), tab.watch.problems()


def test_roles_in_a_brief_that_gives_them(
    tmp_path: Path, serve_folder: Callable[[Path], str], open_tab: Callable[..., Tab]
) -> None:
    """The small brief of the golden test: Russia is an observer of the Tovuz clashes."""
    from briefgen.build import BuildOptions, build

    out = tmp_path / "site"
    build(BuildOptions(source=SMALL_SITE, output=out))
    base = serve_folder(out)
    page = open_tab().page
    page.goto(base + "timeline/index.html?role=observer")
    assert set(page.evaluate(SHOWN_EVENTS)) == {"ev-tovuz-clashes"}
    page.goto(base + "timeline/index.html?role=observer&actor=aliyev")
    assert page.evaluate(SHOWN_EVENTS) == []
    assert page.locator("#facets output").inner_text() == "0 of 3 events shown"
    page.goto(base + "actors/index.html?role=observer")
    assert page.evaluate(SHOWN, ".actor-list li") == ["russia"], "only the actor that had the role"
    page.goto(base + "actors/index.html?topic=military-cooperation&kind=person")
    assert set(page.evaluate(SHOWN, ".actor-list li")) == {"aliyev", "hajiyev", "putin"}
