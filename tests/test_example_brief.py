"""The shipped example brief builds, and its site holds together."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.dates import parse_event_date
from linkcheck import broken_links, links_of

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("example") / "build"
    report = build(BuildOptions(source=REPO, output=output, strict=True))
    assert report.problems == []
    return output


def test_example_has_the_promised_size() -> None:
    content = REPO / "content"
    assert len(list((content / "articles").glob("*.md"))) == 2
    assert len(list((content / "actors").glob("*.md"))) >= 20
    assert len(list((content / "events").glob("*.md"))) >= 15


def test_whole_site_map_is_written(site: Path) -> None:
    data = json.loads((site / "brief.json").read_text("utf-8"))
    expected = ["index.html", "articles/index.html", "actors/index.html", "timeline/index.html",
                "tags/index.html", "feed.xml", "sitemap.xml", "404.html"]
    expected += [f"articles/{a['id']}/index.html" for a in data["articles"]]
    expected += [f"actors/{a['id']}/index.html" for a in data["actors"]]
    expected += [f"events/{e['id']}/index.html" for e in data["events"]]
    expected += [f"tags/{t['slug']}/index.html" for t in data["tags"]]
    missing = [page for page in expected if not (site / page).is_file()]
    assert missing == []


def test_no_broken_internal_links(site: Path) -> None:
    assert broken_links(site) == []


def test_every_actor_named_in_an_article_links_to_its_page(site: Path) -> None:
    data = json.loads((site / "brief.json").read_text("utf-8"))
    for article in data["articles"]:
        html = (site / "articles" / article["id"] / "index.html").read_text("utf-8")
        body = html[html.index('<div class="prose story-body">'):html.index('<aside class="story-aside"')]
        linked = set(re.findall(r'href="\.\./\.\./actors/([a-z0-9-]+)/', body))
        text = re.sub(r"<[^>]+>", " ", body)
        named = {actor["id"] for actor in data["actors"]
                 if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in [actor["name"], *actor["aliases"]])}
        assert len(named) >= 10
        assert named - linked == set(), f"named in {article['id']} but not linked"


def test_timeline_lists_every_event_in_order(site: Path) -> None:
    data = json.loads((site / "brief.json").read_text("utf-8"))
    timeline = [link for link in links_of(site / "timeline" / "index.html") if link.startswith("../events/")]
    order = list(dict.fromkeys(link.split("/")[2] for link in timeline))
    assert order == [e["id"] for e in data["events"]]
    placed = [parse_event_date(e["edtf"]).latest_start for e in data["events"]]
    assert placed == sorted(placed), "each event at the last day it may have begun"


def test_build_is_deterministic(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(BuildOptions(source=REPO, output=again))
    def files(root: Path) -> dict[Path, bytes]:  # the cache's input stamp holds paths and mtimes
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*")
                if p.is_file() and p.relative_to(root).as_posix() != ".briefgen/inputs"}
    assert files(site) == files(again)
