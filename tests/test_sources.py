"""Source records and the mentions a writer controls: citations, attributions that are not
actors, ``[[!text]]``, ``link: false`` and ``not:``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.errors import BuildFailed
from helpers import SMALL_BRIEF, write_files
from test_cli import NOT_IN_GIT, run
from test_linker import linked

JAMESTOWN = """\
---
title: Aliyev rebukes Putin
publication: Jamestown Foundation — Eurasia Daily Monitor
authors: [A. Writer]
url: https://example.org/edm
date: 2020-09-11
reliability: A think tank's series, critical of the Kremlin.
names: [Jamestown, Eurasia Daily Monitor]
---
The analysis.
"""


def brief_with(files: dict[str, str]) -> dict[str, str]:
    """The small brief, whose own source gives up its name "Jamestown" to ``JAMESTOWN``, and ``files``."""
    brief = {k: v for k, v in SMALL_BRIEF.items() if isinstance(v, str)}
    brief["content/sources/edm-cargo.md"] = brief["content/sources/edm-cargo.md"].replace("[Jamestown]", "[EDM]")
    return {**brief, **files}


def test_attribution_links_to_the_source_and_is_no_actor_mention() -> None:
    brief, problems = linked(brief_with({
        "content/sources/jamestown.md": JAMESTOWN,
        "content/articles/says.md": "---\ntitle: Says\ndate: 2020-09-20\n---\n"
                                    "Jamestown says Putin erred. The Eurasia Daily Monitor agrees.\n",
    }))
    assert [p.message for p in problems if p.is_error] == []
    assert brief.article_sources["says"] == ("jamestown",)
    assert brief.article_actors["says"] == ("putin",), "the publication is not an actor of the article"
    assert brief.source_citations["jamestown"].articles == ("says", "cargo-flights"), "newest first"
    assert "jamestown" not in brief.actor_mentions


def test_a_name_claimed_by_an_actor_and_a_source_is_an_error_naming_both() -> None:
    _, problems = linked(brief_with({
        "content/sources/jamestown.md": JAMESTOWN.replace("names: [Jamestown,", "names: [Putin, Jamestown,"),
    }))
    assert [p.format() for p in problems if p.is_error] == [
        "content/sources/jamestown.md:8: error: name 'Putin' is already used by actor 'putin'\n"
        "  hint: see content/actors/putin.md; a name may stand for one actor or source only: a publication is a source"]


def test_unknown_source_link_says_did_you_mean_and_uncited_sources_are_warned() -> None:
    _, problems = linked(brief_with({
        "content/sources/jamestown.md": JAMESTOWN.replace("names: [Jamestown, Eurasia Daily Monitor]", "names: []"),
        "content/articles/x.md": "---\ntitle: X\ndate: 2020-09-20\n---\nSee [[source:jamestwon]].\n",
    }))
    assert [p.format() for p in problems] == [
        "content/articles/x.md:5: error: unknown source 'jamestwon' in [[source:jamestwon]]\n"
        "  hint: did you mean 'jamestown'? Sources live in content/sources/.",
        "content/sources/jamestown.md: warning: source is cited by nothing\n"
        "  hint: cite it from 'sources:' of an event or article, or with [[source:jamestown]] in a text; "
        "or delete the file"]


def test_events_cite_sources_by_id_footnote_or_name_and_need_one() -> None:
    brief, problems = linked(brief_with({
        "content/sources/jamestown.md": JAMESTOWN,
        "content/events/a.md": "---\ntitle: A\ndate: 2020-08-01\nsources: [jamestown, cargo-flights]\n---\n",
        "content/events/b.md": "---\ntitle: B\ndate: 2020-08-02\n---\nA claim.[^1]\n\n[^1]: [[source:jamestown]]\n",
        "content/events/c.md": "---\ntitle: C\ndate: 2020-08-03\n---\nJamestown reports it.\n",
        "content/events/d.md": "---\ntitle: D\ndate: 2020-08-04\n---\nNobody says where from.\n",
        "content/events/e.md": "---\ntitle: E\ndate: 2020-08-05\nsources: [jamestwn]\n---\n",
    }))
    assert brief.event_sources["a"] == ("jamestown",) and brief.event_articles["a"] == ("cargo-flights",)
    assert brief.event_sources["b"] == brief.event_sources["c"] == ("jamestown",)
    assert brief.source_citations["jamestown"].events == ("a", "b", "c")
    assert [p.format().splitlines()[0] for p in problems] == [
        "content/events/d.md: warning: event has no source",
        "content/events/e.md:4: error: unknown source 'jamestwn' in 'sources'"]
    assert "did you mean 'jamestown'?" in problems[1].hint


def test_a_source_link_shows_its_title_or_the_writers_text(tmp_path: Path) -> None:
    article = "---\ntitle: T\ndate: 2020-09-20\n---\nSee [[source:jamestown]] and [[source:jamestown|the EDM]].\n"
    html = body_of({"content/sources/jamestown.md": JAMESTOWN, "content/articles/t.md": article}, tmp_path,
                   "articles/t/index.html")
    assert ('See <a href="../../sources/jamestown/index.html" class="xref xref-source">Aliyev rebukes Putin</a> and '
            '<a href="../../sources/jamestown/index.html" class="xref xref-source">the EDM</a>.') in html


def test_an_article_source_may_be_a_record_id(tmp_path: Path) -> None:
    root = write_files(tmp_path / "brief", brief_with({
        "content/sources/jamestown.md": JAMESTOWN,
        "content/articles/cargo-flights.md": "---\ntitle: Cargo flights\ndate: 2020-09-11\nsource: jamestown\n---\n",
    }))
    build(BuildOptions(source=root, jobs=1))
    page = (root / "build/articles/cargo-flights/index.html").read_text("utf-8")
    assert 'class="source-box"' not in page, "the record is listed with the sources instead"
    assert '<a class="src-title" href="../../sources/jamestown/index.html">Aliyev rebukes Putin</a>' in page
    source = (root / "build/sources/jamestown/index.html").read_text("utf-8")
    assert '<a href="../../articles/cargo-flights/index.html">Cargo flights</a>' in source
    assert "A think tank&#39;s series, critical of the Kremlin." in source
    assert '<a href="sources/index.html">Sources</a>' in (root / "build/index.html").read_text("utf-8")


def test_an_article_lists_what_its_sources_name(tmp_path: Path) -> None:
    root = write_files(tmp_path / "brief", brief_with({
        "content/sources/jamestown.md": JAMESTOWN,
        "content/articles/t.md": "---\ntitle: T\ndate: 2020-09-20\n"
                                 "sources: [jamestown, summer-of-strain, \"https://example.org/r\"]\n---\nText.\n",
    }))
    build(BuildOptions(source=root, jobs=1))
    page = (root / "build/articles/t/index.html").read_text("utf-8")
    aside = page[page.index('<section aria-labelledby="aside-sources">'):]
    aside = aside[:aside.index("</section>")]
    assert '<a class="src-title" href="../../sources/jamestown/index.html">' in aside
    assert '<a href="../../articles/summer-of-strain/index.html">A summer of strain</a>' in aside
    assert '<a href="https://example.org/r" rel="external">https://example.org/r</a>' in aside
    data = json.loads((root / "build/brief.json").read_text("utf-8"))
    t = next(a for a in data["articles"] if a["id"] == "t")
    assert (t["sources"], t["cited_articles"], t["source_urls"]) == (
        ["jamestown"], ["summer-of-strain"], ["https://example.org/r"])


def test_without_sources_there_is_no_sources_page_or_nav(tmp_path: Path) -> None:
    files = {k: v for k, v in brief_with({}).items() if not k.startswith("content/sources/")}
    files["content/events/phone-call.md"] = files["content/events/phone-call.md"].replace("[edm-cargo]", "[cargo-flights]")
    files["content/articles/cargo-flights.md"] = "---\ntitle: Cargo flights\ndate: 2020-09-11\n---\nText.\n"
    root = write_files(tmp_path / "brief", files)
    build(BuildOptions(source=root, jobs=1))
    assert not (root / "build/sources").exists()
    assert "sources/index.html" not in (root / "build/index.html").read_text("utf-8")


def test_strict_makes_an_unsourced_event_an_error(small_brief: Path) -> None:
    write_files(small_brief, {"content/events/rumour.md": "---\ntitle: Rumour\ndate: 2020-09\n---\nSaid to happen.\n"})
    relaxed = run("check", cwd=small_brief)
    assert relaxed.returncode == 0 and "content/events/rumour.md: warning: event has no source" in relaxed.stderr
    strict = run("check", "--strict", cwd=small_brief)
    assert strict.returncode == 1
    assert strict.stderr.startswith("content/events/rumour.md: error: event has no source\n")
    with pytest.raises(BuildFailed):
        build(BuildOptions(source=small_brief, strict=True, jobs=1))


# ---------------------------------------------------------------- mentions the writer controls

def body_of(brief_files: dict[str, str], tmp_path: Path, page: str) -> str:
    root = write_files(tmp_path / "brief", brief_with(brief_files))
    result = run("build", "--no-search", "--source", str(root))
    assert (result.returncode, result.stderr) == (0, NOT_IN_GIT)
    html = (root / "build" / page).read_text("utf-8")
    return html[html.index('<div class="prose'):html.index("</div>", html.index('<div class="prose'))]


def test_an_inline_opt_out_is_plain_text_never_counted(tmp_path: Path) -> None:
    article = "---\ntitle: T\ndate: 2020-09-20\n---\n[[!Putin]] is a word here; [[!Putin|x]] too.\n"
    html = body_of({"content/articles/t.md": article}, tmp_path, "articles/t/index.html")
    assert "<p>Putin is a word here; Putin|x too.</p>" in html
    brief, _ = linked(brief_with({"content/articles/t.md": article}))
    assert "putin" not in brief.article_actors["t"]


def test_link_false_keeps_names_plain_but_explicit_links_work(tmp_path: Path) -> None:
    files = {
        "content/actors/russia.md": SMALL_BRIEF["content/actors/russia.md"].replace("kind: state", "kind: state\nlink: false"),
        "content/articles/t.md": "---\ntitle: T\ndate: 2020-09-20\n---\nMoscow and Russia; [[russia|the state]].\n",
    }
    html = body_of(files, tmp_path, "articles/t/index.html")
    assert "<p>Moscow and Russia; <a href=\"../../actors/russia/index.html\"" in html
    brief, problems = linked(brief_with(files))
    assert not [p for p in problems if p.is_error]
    assert dict(brief.bodies["article:t"].mentions) == {"russia": 1}, "only the explicit link counts"


def test_not_phrases_are_never_linked_and_the_longest_match_wins(tmp_path: Path) -> None:
    files = {
        "content/actors/azerbaijan.md": SMALL_BRIEF["content/actors/azerbaijan.md"],  # not: ["Baku–Tbilisi–Ceyhan"]
        "content/articles/t.md": "---\ntitle: T\ndate: 2020-09-20\n---\nThe Baku–Tbilisi–Ceyhan pipeline; then Baku.\n",
    }
    html = body_of(files, tmp_path, "articles/t/index.html")
    assert "The Baku–Tbilisi–Ceyhan pipeline; then <a href=\"../../actors/azerbaijan/index.html\"" in html
    brief, _ = linked(brief_with(files))
    assert dict(brief.bodies["article:t"].mentions) == {"azerbaijan": 1}


def test_an_alias_claimed_by_two_actors_is_still_an_error_naming_both() -> None:
    _, problems = linked(brief_with({"content/actors/moscow.md": "---\nname: Moscow\nkind: other\n---\n"}))
    assert [p.format() for p in problems if p.is_error] == [
        "content/actors/russia.md:4: error: alias 'Moscow' is already used by actor 'moscow'\n"
        "  hint: see content/actors/moscow.md; a name or alias may stand for one actor only"]
