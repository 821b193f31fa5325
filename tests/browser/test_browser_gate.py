"""The real-browser gate: a reader's path through the served brief, and three outside checkers.

- The path: front page -> search for an alias -> the actor -> one of its
  events -> the timeline, and a mention's preview card, with no console
  error, script error or failed request on the way.
- axe-core in every kind of page, light and dark: no serious or critical violation.
- The Nu HTML checker on every HTML page of the site: no error.
- LinkChecker over the served site: no broken link or #fragment, every page
  reached, nothing off the site requested.

The search and preview steps test features that may be missing from the
built site; they are skipped then, with the reason, which ``-ra`` lists.
Without axe-core, Java and vnu.jar, or LinkChecker the checks are skipped
too, except under CI, where they fail. What each checker counted is printed
in a "browser gate" section at the end of the run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browserkit import PAGE_KIND_NAMES, PAGE_SHAPE, PageKind, Tab
from gatekit import (
    BLOCKING_IMPACTS,
    LINKCHECKER_CONFIG,
    GateFigures,
    axe_findings,
    axe_missing,
    axe_version,
    java_missing,
    kind_of,
    linkchecker_command,
    linkchecker_executable,
    linkchecker_missing,
    need,
    read_linkchecker_xml,
    report,
    run_axe,
    vnu_command,
    vnu_findings,
)

pytestmark = pytest.mark.browser

SCHEMES = ["light", "dark"]

SEARCH_INDEX = "pagefind"
"""The folder of the search index in the built site; without it there is no search step."""
PREVIEW_DATA = "previews.js"
"""The preview cards' data in the built site; without it there is no card to hover for."""
PREVIEW_CARD = ".preview-card"


def html_pages(site: Path) -> list[Path]:
    """Every HTML page of the built site (not briefgen's own hidden files)."""
    return sorted(p for p in site.rglob("*.html") if not any(part.startswith(".") for part in p.relative_to(site).parts))


def flow_actor(brief: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The first actor with events and an alias that shares no word with its name, and that alias."""
    for actor in brief["actors"]:
        name_words = set(actor["name"].casefold().split())
        for alias in actor["aliases"]:
            if actor["events"] and not name_words & set(alias.casefold().split()):
                return actor, alias
    raise AssertionError("the example brief has no actor with events and an alias unlike its name")


def arrive(tab: Tab, server: str, dest: str, h1: str) -> None:
    """The tab has loaded the page at ``dest`` (a folder URL or its index.html) and shows ``h1``."""
    page = tab.page
    page.wait_for_load_state("load")
    assert page.url.split("#")[0].split("?")[0] in (server + dest, server + dest + "index.html"), f"landed on {page.url}"
    shape = page.evaluate(PAGE_SHAPE)
    assert shape["h1Text"].strip() == h1, f"{page.url}: h1 is {shape['h1Text']!r}, not {h1!r}"


def assert_clean(tab: Tab) -> None:
    problems = tab.watch.problems()
    assert not problems, "on the way:\n" + "\n".join(problems)


# ---- a reader's path --------------------------------------------------------


def test_reader_path_front_actor_event_timeline(brief: dict[str, Any], server: str, tab: Tab) -> None:
    """Front page -> the actor index -> an actor -> one of its events -> that event on the timeline."""
    actor, _ = flow_actor(brief)
    event = next(e for e in brief["events"] if e["id"] == actor["events"][0])
    page = tab.page

    page.goto(server + "index.html")
    page.locator("nav.site-nav").get_by_role("link", name="Actors", exact=True).click()
    arrive(tab, server, "actors/", "Actors")
    page.locator("main").get_by_role("link", name=actor["name"], exact=True).first.click()
    arrive(tab, server, actor["url"], actor["name"])
    page.locator("main").get_by_role("link", name=event["title"], exact=True).first.click()
    arrive(tab, server, event["url"], event["title"])
    page.locator("main").get_by_role("link", name="This event on the timeline").click()
    arrive(tab, server, "timeline/", "Timeline")

    item = page.locator(f"#ev-{event['id']}")
    assert page.evaluate("location.hash") == f"#ev-{event['id']}"
    assert item.is_visible() and item.evaluate("el => el.matches(':target')")
    assert event["title"] in item.inner_text()
    assert_clean(tab)


def test_reader_path_search_step(site: Path, brief: dict[str, Any], server: str, tab: Tab) -> None:
    """From the front page, the search box finds the actor by an alias, and its result leads to it."""
    if not (site / SEARCH_INDEX).is_dir():
        pytest.skip(f"the built site has no search ({SEARCH_INDEX}/ is missing): the search step waits for it")
    actor, alias = flow_actor(brief)
    page = tab.page
    page.goto(server + "index.html")
    box = page.get_by_role("search").get_by_role("searchbox").first
    box.fill(alias)
    box.press("Enter")
    result = page.locator(f"main a[href*='{actor['url']}']").first
    result.wait_for()
    result.click()
    arrive(tab, server, actor["url"], actor["name"])
    assert_clean(tab)


def test_reader_path_preview_step(
    site: Path, brief: dict[str, Any], pages: dict[str, PageKind], server: str, tab: Tab
) -> None:
    """Hovering a mention in an article shows the actor's card; Escape closes it; the card passes axe."""
    if not (site / PREVIEW_DATA).is_file():
        pytest.skip(f"the built site has no preview cards ({PREVIEW_DATA} is missing): the preview step waits for them")
    names = {a["id"]: a["name"] for a in brief["actors"]}
    page = tab.page
    page.goto(server + pages["article"].path)
    mention = page.locator(".prose a.mention").first
    mention.hover()
    card = page.locator(PREVIEW_CARD)
    card.wait_for(state="visible")
    assert names[mention.get_attribute("data-actor") or ""] in card.inner_text()

    if axe_missing() is None:
        findings = axe_findings(pages["article"].path + " (card open)", run_axe(page))
        assert not findings, "axe-core with the preview card open:\n" + report(findings)
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
    assert_clean(tab)


# ---- axe-core ---------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGE_KIND_NAMES)
def test_axe(
    kind: str, scheme: str, pages: dict[str, PageKind], server: str, open_tab: Callable[..., Tab], gate_figures: GateFigures
) -> None:
    """axe-core finds no serious or critical violation on this kind of page in this colour scheme."""
    need(axe_missing())
    tab = open_tab(color_scheme=scheme)
    path = pages[kind].path
    tab.page.goto(server + path)
    violations = run_axe(tab.page)
    findings = axe_findings(path, violations)
    gate_figures.axe_version = axe_version()
    gate_figures.axe[kind, scheme] = (sum(v.get("impact") in BLOCKING_IMPACTS for v in violations), len(violations))
    assert not findings, f"axe-core, {scheme} scheme:\n" + report(findings)
    assert_clean(tab)


# ---- the Nu HTML checker ----------------------------------------------------


def test_nu_html_checker(site: Path, gate_figures: GateFigures) -> None:
    """No HTML error on any page of the site, by the Nu HTML checker (vnu.jar), in one run of Java."""
    need(java_missing())
    files = html_pages(site)
    result = subprocess.run(vnu_command(files), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stdout.strip(), f"vnu.jar failed: {result.stderr[-2000:]}"
    findings = vnu_findings(result.stdout, site)
    for file in files:
        gate_figures.vnu_pages[kind_of(file.relative_to(site).as_posix())] += 1
    for finding in findings:
        gate_figures.vnu_errors[kind_of(finding.page)] += 1
    assert not findings, "the Nu HTML checker:\n" + report(findings)


# ---- LinkChecker ------------------------------------------------------------


def test_linkchecker(site: Path, brief: dict[str, Any], server: str, tmp_path: Path,
                     gate_figures: GateFigures) -> None:
    """LinkChecker, crawling the served site from the front page, the 404 page and the pages left at
    renamed pages' old addresses (which nothing links to, by design), finds nothing broken."""
    need(linkchecker_missing())
    executable = linkchecker_executable()
    assert executable is not None
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, "utf-8")
    redirects = [server + redirect["from"] + "index.html" for redirect in brief["redirects"]]
    command = linkchecker_command(executable, config, server,
                                  [server + "index.html", server + "404.html", *redirects])
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode in (0, 1) and result.stdout.strip(), f"LinkChecker failed: {result.stderr[-2000:]}"
    links = read_linkchecker_xml(result.stdout, server)

    for page in links.pages:
        gate_figures.link_pages[kind_of(page)] += 1
    for finding in links.broken:
        gate_figures.link_broken[kind_of(finding.page)] += 1
    gate_figures.link_urls = links.internal
    gate_figures.link_external = len(links.external)

    assert not links.broken, "LinkChecker:\n" + report(links.broken)
    assert result.returncode == 0, f"LinkChecker found problems its report did not show:\n{result.stderr[-2000:]}"
    unreached = sorted({p.relative_to(site).as_posix() for p in html_pages(site)} - set(links.pages))
    assert not unreached, "pages no link leads to:\n" + "\n".join(unreached)
    requested = [e for e in links.external if not e.endswith(("[filtered]", "[ignored]"))]
    assert not requested, "links off the site that LinkChecker followed:\n" + "\n".join(requested)
    assert links.external, "the example brief links off the site (its sources, base_url): none was seen"


# ---- the checkers can fail ---------------------------------------------------

FAULTY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Faulty</title></head>
<body>
<main>
<h1>Faulty</h1>
<p><a href="missing/index.html">a page that is not there</a>, <a href="other.html#nowhere">an id that is not there</a>.</p>
<p><img src="pixel.svg"></p>
<p><span><div>a div inside a paragraph</div></span></p>
</main>
</body>
</html>
"""
OTHER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Other</title></head>
<body><main><h1 id="somewhere">Other</h1><p><a href="index.html">Back</a></p></main></body></html>
"""
PIXEL = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


@pytest.fixture
def faulty_site(tmp_path: Path) -> Path:
    """A two-page site with a fault for each checker."""
    site = tmp_path / "faulty"
    site.mkdir()
    (site / "index.html").write_text(FAULTY_PAGE, "utf-8")
    (site / "other.html").write_text(OTHER_PAGE, "utf-8")
    (site / "pixel.svg").write_text(PIXEL, "utf-8")
    return site


def test_the_checkers_report_faults(
    faulty_site: Path, serve_folder: Callable[[Path], str], tmp_path: Path, open_tab: Callable[..., Tab]
) -> None:
    """Each checker, run the way the gate runs it, finds the fault put there for it."""
    base = serve_folder(faulty_site)

    need(axe_missing())
    tab = open_tab()
    tab.page.goto(base + "index.html")
    assert {f.check for f in axe_findings("index.html", run_axe(tab.page))} == {"image-alt"}

    need(java_missing())
    result = subprocess.run(vnu_command(html_pages(faulty_site)), capture_output=True, text=True, timeout=600)
    errors = vnu_findings(result.stdout, faulty_site)
    assert {(f.page, f.where) for f in errors} == {("index.html", "line 8"), ("index.html", "line 9")}, errors

    need(linkchecker_missing())
    executable = linkchecker_executable()
    assert executable is not None
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, "utf-8")
    result = subprocess.run(linkchecker_command(executable, config, base, [base + "index.html"]),
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    links = read_linkchecker_xml(result.stdout, base)
    assert result.returncode == 1
    assert sorted(f.message.split(" -> ")[0] for f in links.broken) == ["missing/index.html", "other.html#nowhere"]
    assert all(f.page == "index.html" and f.where == "line 7" for f in links.broken), links.broken
    assert links.pages == ("index.html", "other.html")
