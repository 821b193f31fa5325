"""Feeds and data files of a built brief: Atom per actor and per topic, events.ics, brief.json."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import icalendar
import pytest

from briefgen.build import BuildOptions, build
from briefgen.ical import calendar_text
from helpers import SMALL_BRIEF, write_files
from linkcheck import links_of

ATOM = "{http://www.w3.org/2005/Atom}"
REPO = Path(__file__).resolve().parents[1]
EXTRA = {
    "content/events/founding.md": "---\ntitle: A ministry is founded\ndate: 2019\nactors: [azerbaijan]\nsources: [edm-cargo]\n---\n",
    "content/articles/sourced.md": (
        "---\ntitle: Sourced piece\ndate: 2020-09-01\ntags: [energy]\n"
        "source: {publication: Example Review, url: 'https://example.org/r', published: 2020-08-30}\n---\n"
        "Putin again.\n"),
}


def built(root: Path, config: str) -> Path:
    brief = write_files(root / "brief", {**SMALL_BRIEF, **EXTRA, "briefgen.yaml": config})
    output = root / "build"
    assert build(BuildOptions(source=brief, output=output, jobs=1)).problems == []
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, shared_theme: None) -> Path:
    """Built without base_url: every link relative."""
    return built(tmp_path_factory.mktemp("feeds"), 'title: "Test brief"\n')


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, shared_theme: None) -> Path:
    return built(tmp_path_factory.mktemp("published"), 'title: "Test brief"\nbase_url: https://example.org/brief\n')


def feeds(site: Path) -> list[Path]:
    return [site / "feed.xml", *sorted(site.glob("actors/*/feed.xml")), *sorted(site.glob("tags/*/feed.xml"))]


def brief_json(site: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "brief.json").read_text("utf-8"))
    return data


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.mark.parametrize("which", ["site", "published"])
def test_every_feed_is_atom_with_the_required_elements(which: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(which)
    data = brief_json(site)
    assert len(feeds(site)) == 1 + len(data["actors"]) + len(data["tags"])
    for path in feeds(site):
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed", path
        for element in (root, *root.iter(f"{ATOM}entry")):
            for required in ("id", "title", "updated"):
                found = element.find(f"{ATOM}{required}")
                assert found is not None and found.text, (path, required)
            updated = element.find(f"{ATOM}updated")
            assert updated is not None and RFC3339.match(updated.text or ""), path
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        assert set(links) == {"alternate", "self"}, path


def test_an_actors_feed_lists_what_its_page_lists_newest_first(site: Path) -> None:
    data = brief_json(site)
    for actor in data["actors"]:
        root = ET.parse(site / "actors" / actor["id"] / "feed.xml").getroot()
        ids = [entry.findtext(f"{ATOM}id") for entry in root.iter(f"{ATOM}entry")]
        assert ids == [f"urn:briefgen:article:{a}" for a in actor["articles"]], actor["id"]
        title = root.findtext(f"{ATOM}title")
        assert title == f"Test brief: {actor['name']}"
    putin = ET.parse(site / "actors/putin/feed.xml").getroot()
    dates = [entry.findtext(f"{ATOM}updated") or "" for entry in putin.iter(f"{ATOM}entry")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 2


def test_a_topics_feed_has_its_articles_with_tags_as_categories(site: Path) -> None:
    root = ET.parse(site / "tags/diplomacy/feed.xml").getroot()
    entries = list(root.iter(f"{ATOM}entry"))
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["A summer of strain", "Cargo flights"]
    categories = [(c.get("term"), c.get("label")) for c in entries[0].findall(f"{ATOM}category")]
    assert categories == [("diplomacy", "Diplomacy"), ("military-cooperation", "military cooperation")]
    assert entries[0].findtext(f"{ATOM}summary") == "How Baku and Moscow drifted apart."
    assert entries[0].find(f"{ATOM}content") is None, "whole articles only in the site's feed"
    site_feed = ET.parse(site / "feed.xml").getroot()
    first = next(site_feed.iter(f"{ATOM}entry"))
    assert first.find(f"{ATOM}content") is not None
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == ["diplomacy", "military-cooperation"]


def test_relative_feed_links_lead_to_pages_that_exist(site: Path) -> None:
    for path in feeds(site):
        root = ET.parse(path).getroot()
        hrefs = [link.get("href") or "" for link in root.iter(f"{ATOM}link")]
        for href in hrefs:
            target = (path.parent / href)
            assert (target / "index.html" if href.endswith("/") else target).is_file(), (path, href)


def test_absolute_links_with_base_url(published: Path) -> None:
    root = ET.parse(published / "actors/aliyev/feed.xml").getroot()
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links == {"alternate": "https://example.org/brief/actors/aliyev/",
                     "self": "https://example.org/brief/actors/aliyev/feed.xml"}
    assert root.findtext(f"{ATOM}id") == "https://example.org/brief/actors/aliyev/"
    entry = next(root.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}id") == "https://example.org/brief/articles/summer-of-strain/"
    category = entry.find(f"{ATOM}category")
    assert category is not None and category.get("scheme") == "https://example.org/brief/tags/"


@pytest.mark.parametrize(("page", "feed", "title"), [
    ("actors/aliyev/index.html", "actors/aliyev/feed.xml", "Test brief: Ilham Aliyev"),
    ("tags/diplomacy/index.html", "tags/diplomacy/feed.xml", "Test brief: Diplomacy"),
    ("index.html", "feed.xml", "Test brief: articles"),
])
def test_pages_name_their_feed_in_the_head(site: Path, page: str, feed: str, title: str) -> None:
    html = (site / page).read_text("utf-8")
    head = html[:html.index("</head>")]
    alternates = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">', head)
    assert alternates[0][0] == title
    assert urljoin(page, alternates[0][1]) == feed
    assert (site / feed).is_file()


def test_the_calendar_has_each_event_known_to_the_day_or_month(site: Path) -> None:
    data = brief_json(site)
    calendar = icalendar.Calendar.from_ical((site / "events.ics").read_bytes())
    vevents = {str(v["uid"]).removesuffix("@briefgen"): v for v in calendar.walk("VEVENT")}
    assert set(vevents) == {e["id"] for e in data["events"] if e["precision"] != "year"}
    assert "founding" not in vevents
    clashes = vevents["tovuz-clashes"]
    assert (clashes.decoded("dtstart"), clashes.decoded("dtend")) == (dt.date(2020, 7, 1), dt.date(2020, 8, 1))
    assert str(clashes["summary"]) == "Border clashes near Tovuz (month only)"
    assert "1 event known only to the year is left out" in str(calendar["x-wr-caldesc"])


def test_the_front_page_and_the_timeline_link_the_data_files(site: Path) -> None:
    front = links_of(site / "index.html")
    for name in ("brief.json", "events.ics", "feed.xml"):
        assert name in front and (site / name).is_file()
    assert "../events.ics" in links_of(site / "timeline/index.html")


def documented_fields(doc: str) -> dict[str, list[str]]:
    """Field names of each table in docs/brief-json.md, by the path in backticks of the heading above it."""
    tables: dict[str, list[str]] = {}
    path = ""
    for line in doc.splitlines():
        heading = re.match(r"^#+ .*`([^`]+)`\s*$", line)
        if heading:
            path = heading.group(1)
            tables[path] = []
        row = re.match(r"^\| `([a-z_]+)` \|", line)
        if row and path:
            tables[path].append(row.group(1))
    return tables


def objects_at(data: Any, path: str) -> list[dict[str, Any]]:
    """The JSON objects at a path like ``articles[].source`` (nulls left out)."""
    found = [data]
    for part in filter(None, path.split(".")):
        name, many = part.removesuffix("[]"), part.endswith("[]")
        values = [item[name] for item in found if item.get(name) is not None] if name != "(root)" else found
        found = [v for value in values for v in value] if many else values
    return [item for item in found if isinstance(item, dict)]


def test_brief_json_has_a_schema_version_and_every_field_is_documented(site: Path) -> None:
    data = brief_json(site)
    assert data["schema_version"] == 2
    tables = documented_fields((REPO / "docs/brief-json.md").read_text("utf-8"))
    assert "(root)" in tables and "articles[].source" in tables
    for path, fields in tables.items():
        objects = objects_at(data, path)
        assert objects, path
        for item in objects:
            assert sorted(item) == sorted(fields), path


def test_an_unchanged_calendar_is_not_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its context is the timeline's entries, hashed by their digests; the text is made only to be written."""
    made: list[int] = []

    def counted(events: list[dict[str, Any]], site: dict[str, Any]) -> str:
        made.append(len(events))
        return calendar_text(events, site)

    monkeypatch.setattr("briefgen.pages.calendar_text", counted)
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    output = tmp_path / "build"
    build(BuildOptions(source=brief, output=output, jobs=1))
    write_files(brief, {"static/extra.css": "body { color: red; }\n"})
    build(BuildOptions(source=brief, output=output, jobs=1))
    assert made == [3]
    event = str(SMALL_BRIEF["content/events/phone-call.md"])
    write_files(brief, {"content/events/phone-call.md": event.replace("Putin speak", "Putin talk")})
    build(BuildOptions(source=brief, output=output, jobs=1))
    assert made == [3, 3]
    assert "SUMMARY:Aliyev and Putin talk by phone" in (output / "events.ics").read_text("utf-8")
