"""Reading the brief: footnotes and contents, wide entity pages, preview cards, print and the print edition."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browserkit import LINE_LENGTHS, PageKind, Tab
from gatekit import axe_missing, need, run_axe

pytestmark = pytest.mark.browser

CARD = ".preview-card"
CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM") or "/usr/bin/chromium"
DUPLICATE_IDS = "() => { const seen = new Set(), twice = []; for (const e of document.querySelectorAll('[id]'))" \
                " { if (seen.has(e.id)) twice.push(e.id); seen.add(e.id); } return twice; }"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


# ---- articles read like a finished publication ------------------------------


@pytest.fixture
def small_site(serve_folder: Callable[[Path], str]) -> str:
    """The golden test's small brief, built (its expected output), over http: it has what the example may not,
    a note cited twice and a source with an address off the site."""
    return serve_folder(Path(__file__).parents[1] / "sites" / "small" / "expected")


@pytest.mark.parametrize("which", ["example", "small"])
def test_footnotes_are_plain_numbers_with_labelled_back_links(which: str, pages: dict[str, PageKind], server: str,
                                                              small_site: str, tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["article"].path if which == "example" else small_site + "articles/cargo-flights/index.html")
    markers = page.locator("sup.footnote-ref a").all_inner_texts()
    assert markers and all(re.fullmatch(r"\d+", m) for m in markers), markers
    if which == "small":
        assert len(set(markers)) < len(markers), "the small brief's article cites a note twice"
    assert sorted(set(markers), key=int) == [str(n) for n in range(1, len(set(markers)) + 1)]
    assert page.locator("section.footnotes > h2").text_content() == "Notes"
    backrefs = page.locator("a.footnote-backref")
    assert backrefs.count() == len(markers), "one back-link per citation"
    for i in range(backrefs.count()):
        link = backrefs.nth(i)
        assert (link.get_attribute("aria-label") or "").startswith("Back to the text of note ")
        target = (link.get_attribute("href") or "").removeprefix("#")
        assert page.locator(f"[id='{target}']").count() == 1, target
    if axe_missing() is None:
        assert not [v for v in run_axe(page) if v["id"] == "link-in-text-block"], "link-in-text-block violations"
    assert not tab.watch.problems(), tab.watch.problems()


def test_contents_permalinks_and_reading_time(pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    page = tab.page
    page.goto(server + pages["article"].path)
    contents = page.locator(".prose nav.contents a")
    sections = page.locator(".prose > h2[id]")
    assert contents.count() == sections.count() >= 3
    for i in range(contents.count()):
        assert contents.nth(i).get_attribute("href") == "#" + (sections.nth(i).get_attribute("id") or "")
    permalink = sections.first.locator("a.permalink")
    assert permalink.is_visible()
    permalink.click()
    assert page.url.endswith("#" + (sections.first.get_attribute("id") or ""))
    assert re.fullmatch(r"\d+ min read", page.locator(".byline .reading-time").inner_text())
    assert page.locator('meta[property="og:title"]').get_attribute("content") == page.locator("h1").inner_text()
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert description and description == page.locator(".standfirst").inner_text()
    assert page.evaluate(DUPLICATE_IDS) == []


@pytest.mark.parametrize("kind", ["actor", "event"])
def test_entity_pages_use_the_width(kind: str, pages: dict[str, PageKind], server: str,
                                    open_tab: Callable[..., Tab]) -> None:
    """At 1280 px what links to the entity stands beside its own story; at 390 px below or above it."""
    wide = open_tab(viewport={"width": 1280, "height": 900}).page
    wide.goto(server + pages[kind].path)
    main, side = wide.locator(".entity-main").bounding_box(), wide.locator(".entity-side").bounding_box()
    assert main and side and side["x"] >= main["x"] + main["width"], (main, side)
    assert abs(side["y"] - main["y"]) < 80, "the two columns start together"
    narrow = open_tab(viewport={"width": 390, "height": 844}).page
    narrow.goto(server + pages[kind].path)
    main, side = narrow.locator(".entity-main").bounding_box(), narrow.locator(".entity-side").bounding_box()
    assert main and side and abs(main["x"] - side["x"]) < 1


# ---- print --------------------------------------------------------------------


def test_an_article_prints_as_the_article(pages: dict[str, PageKind], server: str, tab: Tab,
                                          record_property: Callable[[str, Any], None]) -> None:
    page = tab.page
    page.goto(server + pages["article"].path)
    page.emulate_media(media="print")
    for hidden in ("nav.site-nav", ".site-footer", ".story-aside", ".crumbs", "a.footnote-backref", "a.permalink",
                   ".prose nav.contents", ".page-history details"):
        assert page.locator(hidden).first.is_hidden(), f"{hidden} is printed"
    assert page.locator("h1").is_visible() and page.locator("section.footnotes").is_visible()
    typical = statistics.median(page.evaluate(LINE_LENGTHS, ".prose > p"))
    assert 60 <= typical <= 78, f"printed text runs {typical} characters a line"
    assert page.evaluate("getComputedStyle(document.querySelector('.prose h2')).breakAfter") == "avoid"
    pdf = page.pdf(format="A4")
    sheets = pdf_pages(pdf)
    record_property("printed_article", f"{sheets} A4 pages, {len(pdf) // 1024} KB")
    print(f"\nthe article prints on {sheets} A4 pages, {len(pdf) // 1024} KB")
    assert 1 <= sheets <= 5, f"the article prints on {sheets} pages"


def test_printed_links_off_the_site_show_their_address(small_site: str, tab: Tab) -> None:
    """Articles cite source records; a source page carries the link off the site."""
    page = tab.page
    page.goto(small_site + "sources/edm-cargo/index.html")
    page.emulate_media(media="print")
    shown = page.evaluate("getComputedStyle(document.querySelector('a[rel=external]'), '::after').content")
    href = page.locator("a[rel=external]").first.get_attribute("href")
    assert href and href.startswith("http"), href
    assert "attr(href)" in shown or href in shown, shown


def test_the_print_edition_holds_the_whole_brief(site: Path, brief: dict[str, Any], server: str, tab: Tab) -> None:
    page = tab.page
    page.goto(server + "print/index.html")
    titles = page.locator(".edition-article-title").all_inner_texts()
    assert titles == [a["title"] for a in brief["articles"]]
    assert page.locator("#timeline + .register > li").count() == len(brief["events"])
    assert page.locator("#actors ~ .register > li").count() == len(brief["actors"])
    assert page.evaluate(DUPLICATE_IDS) == [], "ids repeat across the articles"
    assert page.locator("sup.footnote-ref a").count() > 0
    for link in page.locator(".edition-article .prose a.mention").all()[:5]:  # bodies link from one folder deep
        href = link.get_attribute("href") or ""
        assert href.startswith("../actors/") and (site / "print" / href).resolve().is_file(), href
    page.emulate_media(media="print")
    assert page.locator("nav.site-nav").is_hidden() and page.locator(".edition-toc").is_hidden()
    assert pdf_pages(page.pdf(format="A4")) >= len(brief["articles"]) + 2
    assert not tab.watch.problems(), tab.watch.problems()


def test_build_pdf_prints_the_print_edition(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    out = tmp_path / "site"
    env = {"PATH": "/usr/bin:/bin", "BRIEFGEN_CHROMIUM": CHROMIUM, "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "briefgen", "build", "--source", str(repo), "--output", str(out),
                           "--no-search", "--pdf"], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    pdf = (out / "brief.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf_pages(pdf) >= 4
    assert "wrote" in done.stderr and "brief.pdf" in done.stderr
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".briefgen-brief")) == []


# ---- preview cards ----------------------------------------------------------


def test_hover_and_focus_show_a_card_escape_closes_it(brief: dict[str, Any], pages: dict[str, PageKind],
                                                      server: str, tab: Tab) -> None:
    names = {a["id"]: a for a in brief["actors"]}
    events = {e["id"]: e for e in brief["events"]}
    page = tab.page
    page.goto(server + pages["article"].path)
    card = page.locator(CARD)
    mention = page.locator(".prose a.mention").first
    mention.hover()
    card.wait_for(state="visible")
    actor = names[mention.get_attribute("data-actor") or ""]
    text = card.inner_text()
    assert actor["name"] in text and (actor["role"] or "") in text
    assert mention.get_attribute("aria-describedby") == "preview-card"
    assert mention.get_attribute("title") is None, "the browser's tooltip would repeat the card"
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")

    event_link = page.locator(".prose a.xref-event").first
    event_link.focus()
    card.wait_for(state="visible")
    event_id = (event_link.get_attribute("href") or "").split("/")[-2]
    assert events[event_id]["title"] in card.inner_text() and events[event_id]["display"] in card.inner_text()
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('href')") == event_link.get_attribute("href")
    assert not tab.watch.problems(), tab.watch.problems()


def test_touch_first_tap_shows_the_card_second_follows(pages: dict[str, PageKind], server: str,
                                                       open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = tab.page
    page.goto(server + pages["article"].path)
    url = page.url
    mention = page.locator(".prose a.mention").first
    mention.tap()
    page.locator(CARD).wait_for(state="visible")
    assert page.url == url
    box = page.locator(CARD).bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    with page.expect_navigation():
        page.locator(f"{CARD} .preview-title a").tap()
    assert "/actors/" in page.url
    assert not tab.watch.problems(), tab.watch.problems()


def test_without_javascript_a_link_is_just_a_link(pages: dict[str, PageKind], server: str,
                                                  open_tab: Callable[..., Tab]) -> None:
    page = open_tab(java_script_enabled=False).page
    page.goto(server + pages["article"].path)
    mention = page.locator(".prose a.mention").first
    mention.hover()
    page.wait_for_timeout(400)
    assert page.locator(CARD).count() == 0
    with page.expect_navigation():
        mention.click()
    assert "/actors/" in page.url


def test_cards_work_from_disk(file_root: str, pages: dict[str, PageKind], tab: Tab) -> None:
    page = tab.page
    page.goto(file_root + pages["article"].path)
    page.locator(".prose a.mention").first.hover()
    page.locator(CARD).wait_for(state="visible")


def test_the_card_passes_axe_in_both_schemes(pages: dict[str, PageKind], server: str,
                                             open_tab: Callable[..., Tab]) -> None:
    need(axe_missing())
    for scheme in ("light", "dark"):
        page = open_tab(color_scheme=scheme).page
        page.goto(server + pages["actor"].path)
        page.locator(".prose a.mention").first.hover()
        page.locator(CARD).wait_for(state="visible")
        serious = [v["id"] for v in run_axe(page) if v.get("impact") in ("serious", "critical")]
        assert not serious, f"{scheme}: {serious}"


def test_the_network_drawing_has_cards_too(pages: dict[str, PageKind], server: str, tab: Tab) -> None:
    """The network's nodes are SVG links, whose href is no string: they show cards like any link."""
    page = tab.page
    page.goto(server + pages["network"].path)
    node = page.locator("svg a").first
    node.focus()
    page.locator(CARD).wait_for(state="visible")
    assert page.locator(f"{CARD} .preview-kind").inner_text().strip() != ""
    page.keyboard.press("Escape")
    page.locator(CARD).wait_for(state="hidden")
    assert not tab.watch.problems(), tab.watch.problems()
