"""Renamed pages keep their address (``redirect_from``), and the CSV exports beside brief.json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from briefgen.build import BuildOptions, build
from briefgen.exports import FORMULA_STARTS
from helpers import SMALL_BRIEF, write_files
from test_linker import linked


def built(tmp_path: Path, changes: dict[str, str] | None = None) -> Path:
    root = write_files(tmp_path / "brief", {**SMALL_BRIEF, **(changes or {})})
    build(BuildOptions(source=root, jobs=1))
    return root / "build"


def rows(site: Path, name: str) -> list[dict[str, str]]:
    text = (site / name).read_bytes().decode("utf-8")
    assert text.endswith("\r\n"), "RFC 4180 line ends"
    return list(csv.DictReader(io.StringIO(text, newline="")))


# ---------------------------------------------------------------- redirects

def test_an_old_id_leaves_a_page_that_sends_readers_on(tmp_path: Path) -> None:
    site = built(tmp_path)
    page = (site / "actors/hikmet-hajiyev/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../actors/hajiyev/index.html">' in page
    assert '<link rel="canonical" href="../../actors/hajiyev/index.html">' in page
    assert '<a href="../../actors/hajiyev/index.html">actors/hajiyev/</a>' in page, "a visible link, without JS"
    data = json.loads((site / "brief.json").read_text("utf-8"))
    assert {"from": "actors/hikmet-hajiyev/", "to": "actors/hajiyev/"} in data["redirects"]


def test_a_page_may_redirect_from_another_section_and_canonical_is_absolute_with_base_url(tmp_path: Path) -> None:
    site = built(tmp_path, {
        "briefgen.yaml": 'title: "Test brief"\nbase_url: "https://example.org/brief/"\n',
        "content/sources/edm-cargo.md": SMALL_BRIEF["content/sources/edm-cargo.md"].replace(  # type: ignore[union-attr]
            "redirect_from: [jamestown-edm]", "redirect_from: [jamestown-edm, actors/jamestown]"),
    })
    page = (site / "actors/jamestown/index.html").read_text("utf-8")
    assert 'url=../../sources/edm-cargo/index.html"' in page
    assert '<link rel="canonical" href="https://example.org/brief/sources/edm-cargo/">' in page


def test_an_old_id_that_is_live_or_claimed_twice_is_an_error() -> None:
    _, problems = linked({
        **SMALL_BRIEF,  # type: ignore[dict-item]
        "content/actors/putin.md": "---\nname: Vladimir Putin\nkind: person\naliases: [Putin]\n"
                                   "redirect_from: [lavrov, hikmet-hajiyev, Not An Id, network]\n---\n",
    })
    assert [p.format() for p in problems] == [
        "content/actors/putin.md:5: error: 'redirect_from' item 'Not An Id' is not a valid id\n"
        "  hint: write the old file name without '.md', after its folder if the page was in another section "
        "('actors/old-id')",
        "content/actors/putin.md:5: error: 'redirect_from' names 'hikmet-hajiyev', as content/actors/hajiyev.md does\n"
        "  hint: an old address can redirect to one page only",
        "content/actors/putin.md:5: error: 'redirect_from' names 'lavrov', a live id\n"
        "  hint: content/actors/lavrov.md has that address now; a page cannot redirect from one in use",
        "content/actors/putin.md:5: error: 'redirect_from' names 'network', a live id\n"
        "  hint: the page actors/network/ has that address now; a page cannot redirect from one in use"]


# ---------------------------------------------------------------- exports

def test_events_and_their_actors_one_row_per_event_and_per_role(tmp_path: Path) -> None:
    site = built(tmp_path)
    events = rows(site, "events.csv")
    assert [e["id"] for e in events] == ["snap-drills", "tovuz-clashes", "phone-call"], "timeline order"
    tovuz = events[1]
    assert (tovuz["date"], tovuz["earliest"], tovuz["latest"], tovuz["precision"]) == (
        "2020-07", "2020-07-01", "2020-07-31", "month")
    assert tovuz["actors"] == "azerbaijan; russia" and tovuz["url"] == "events/tovuz-clashes/"
    assert events[2]["sources"] == "edm-cargo" and events[0]["source_urls"] == "https://example.org/drills"
    roles = rows(site, "event_actors.csv")
    assert [(r["event_id"], r["actor_id"], r["role"]) for r in roles] == [
        ("snap-drills", "russia", ""), ("tovuz-clashes", "azerbaijan", ""), ("tovuz-clashes", "russia", "observer"),
        ("phone-call", "aliyev", ""), ("phone-call", "putin", "")]


def test_actors_and_sources_use_the_pages_ids(tmp_path: Path) -> None:
    site = built(tmp_path)
    actors = {row["id"]: row for row in rows(site, "actors.csv")}
    assert actors["aliyev"]["aliases"] == "Aliyev; President Aliyev; Ilham Əliyev"
    assert (actors["aliyev"]["affiliation"], actors["aliyev"]["mentions"]) == ("azerbaijan", "2")
    sources = rows(site, "sources.csv")
    assert [(s["id"], s["articles"], s["events"], s["url"]) for s in sources] == [
        ("edm-cargo", "cargo-flights", "phone-call", "sources/edm-cargo/")]


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(tmp_path: Path) -> None:
    site = built(tmp_path, {
        "content/actors/formula.md": "---\nname: \"=HYPERLINK(\\\"https://evil.example\\\")\"\nkind: other\n"
                                     "role: \"+1 or -1\"\naliases: [\"@home\"]\n---\n",
    })
    formula = next(row for row in rows(site, "actors.csv") if row["id"] == "formula")
    assert formula["name"] == "'=HYPERLINK(\"https://evil.example\")"
    assert formula["role"] == "'+1 or -1" and formula["aliases"] == "'@home"
    assert all(not value.startswith(FORMULA_STARTS) for row in rows(site, "actors.csv") for value in row.values())
    assert json.loads((site / "brief.json").read_text("utf-8"))["actors"][0]["name"].startswith("="), \
        "brief.json keeps the value as written"
