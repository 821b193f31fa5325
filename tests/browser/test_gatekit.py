"""Reading the gate's checkers: page kinds, LinkChecker's report and the summary (no browser needed)."""

from __future__ import annotations

from collections import Counter

from browserkit import page_kinds
from gatekit import GateFigures, Finding, kind_of, read_linkchecker_xml

BASE = "http://127.0.0.1:8000/"


def test_every_page_kind_is_named_by_its_path() -> None:
    brief = {
        "actors": [{"id": "aliyev", "url": "actors/aliyev/"}],
        "events": [{"url": "events/visit/", "actors": ["aliyev"]}],
        "articles": [{"url": "articles/tested/"}],
        "tags": [{"slug": "energy"}],
    }
    assert {kind.name: kind_of(kind.path) for kind in page_kinds(brief)} == {k.name: k.name for k in page_kinds(brief)}
    assert kind_of("assets/briefgen.css") == kind_of("articles/a/b/index.html") == "other"


REPORT = f"""<?xml version="1.0" encoding="utf-8"?>
<linkchecker>
  <urldata><url>{BASE}index.html</url><realurl>{BASE}index.html</realurl><extern>0</extern>
    <valid result="200 OK">1</valid></urldata>
  <urldata><url>actors/</url><parent line="3" column="1">{BASE}index.html</parent>
    <realurl>{BASE}actors/</realurl><extern>0</extern><valid result="200 OK">1</valid></urldata>
  <urldata><url>gone/index.html</url><parent line="9" column="2">{BASE}actors/index.html</parent>
    <realurl>{BASE}gone/index.html</realurl><extern>0</extern><valid result="404 Not Found">0</valid></urldata>
  <urldata><url>#nowhere</url><parent line="4" column="1">{BASE}index.html</parent>
    <realurl>{BASE}index.html#nowhere</realurl><extern>0</extern>
    <warnings><warning>Anchor `nowhere' not found.</warning></warnings><valid result="200 OK">1</valid></urldata>
  <urldata><url>assets/site.css</url><parent line="2" column="1">{BASE}index.html</parent>
    <realurl>{BASE}assets/site.css</realurl><extern>0</extern><valid result="200 OK">1</valid></urldata>
  <urldata><url>https://example.org/</url><parent line="5" column="1">{BASE}index.html</parent>
    <realurl>https://example.org/</realurl><extern>1</extern><valid result="filtered">1</valid></urldata>
</linkchecker>
"""


def test_linkchecker_report() -> None:
    links = read_linkchecker_xml(REPORT, BASE)
    assert links.pages == ("actors/index.html", "index.html")
    assert links.internal == 5
    assert links.external == ("https://example.org/ [filtered]",)
    assert links.broken == (
        Finding("actors/index.html", "link", "gone/index.html -> 404 Not Found", "line 9"),
        Finding("index.html", "link", "#nowhere -> Anchor `nowhere' not found.", "line 4"),
    )


def test_summary_counts_per_kind() -> None:
    figures = GateFigures(axe_version="4.0")
    figures.axe["front", "light"] = (0, 2)
    figures.axe["front", "dark"] = (1, 1)
    figures.vnu_pages = Counter({"front": 1, "actor": 3})
    figures.vnu_errors = Counter({"actor": 2})
    assert figures.lines() == [
        "axe-core 4.0, serious+critical violations (light/dark): front 0/1; minor+moderate in all: 2",
        "Nu HTML checker: 4 pages, 2 errors: actor 2/3, front 0/1 (errors/pages)",
    ]
