"""The shipped example brief builds, and its site holds together."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.bodies import body_jobs, render_bodies
from briefgen.build import BuildOptions, build
from briefgen.config import load_config
from briefgen.dates import parse_event_date
from briefgen.documents import parse_documents_cached
from briefgen.linker import index_documents, link
from briefgen.model import Brief
from briefgen.sources import discover
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


class _Prose(HTMLParser):
    """An article body's text, and the actor pages it links to.

    The text of a link to an event, article or source (its title) is left
    out: it is not a place where an actor's name could be linked.
    """

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.actors: set[str] = set()
        self.links: list[bool] = []  # for each open link: does it go to an actor?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            parts = (dict(attrs).get("href") or "").split("/")
            to_actor = parts[:3] == ["..", "..", "actors"] and len(parts) > 3
            if to_actor:
                self.actors.add(parts[3])
            self.links.append(to_actor)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            self.links.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data if all(self.links) else " ")


def test_every_actor_named_in_an_article_links_to_its_page(site: Path) -> None:
    data = json.loads((site / "brief.json").read_text("utf-8"))
    for article in data["articles"]:
        html = (site / "articles" / article["id"] / "index.html").read_text("utf-8")
        prose = _Prose()
        prose.feed(html[html.index('<div class="prose story-body">'):html.index('<aside class="story-aside"')])
        text = " ".join(prose.text)
        named = {actor["id"] for actor in data["actors"]
                 if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in [actor["name"], *actor["aliases"]])}
        assert len(named) >= 10
        assert named - prose.actors == set(), f"named in {article['id']} but not linked"


def test_timeline_lists_every_event_in_order(site: Path) -> None:
    data = json.loads((site / "brief.json").read_text("utf-8"))
    timeline = [link for link in links_of(site / "timeline" / "index.html") if link.startswith("../events/")]
    order = list(dict.fromkeys(link.split("/")[2] for link in timeline))
    assert order == [e["id"] for e in data["events"]]
    dates = [parse_event_date(e["edtf"]) for e in data["events"]]
    misplaced = [(data["events"][i]["id"], data["events"][j]["id"]) for i in range(len(dates))
                 for j in range(i + 1, len(dates)) if dates[j].latest_start < dates[i].earliest]
    assert misplaced == [], "an event shown before one that must have begun earlier"


# The example as a brief an analyst would sign off (issue 16): read through the linked model.

@pytest.fixture(scope="module")
def brief() -> Brief:
    config, problems = load_config(REPO)
    files, found = discover(REPO)
    documents, parsed, _, _ = parse_documents_cached(files)
    index, indexed = index_documents(documents)
    bodies, _, _ = render_bodies(body_jobs(documents), index, config.autolink)
    linked, linking = link(documents, bodies, index, config)
    assert [*problems, *found, *parsed, *indexed, *linking] == []
    return linked


def test_every_event_rests_on_a_source_record(brief: Brief) -> None:
    unsourced = [e for e in brief.events if not brief.event_sources.get(e)]
    assert unsourced == []
    assert {s for e in brief.events for s in brief.event_sources[e]} <= set(brief.sources)


def test_every_source_is_cited(brief: Brief) -> None:
    assert len(brief.sources) == 2
    uncited = [s for s, cited in brief.source_citations.items() if not (cited.articles or cited.events)]
    assert uncited == [] and set(brief.source_citations) == set(brief.sources)
    for article in brief.articles:  # analysis drawing on both, each one's passages in its notes
        assert set(brief.article_sources[article]) == set(brief.sources), article


def test_no_actor_goes_unmentioned(brief: Brief) -> None:
    never = sorted(a for a in brief.actors if brief.actor_mentions.get(a, 0) == 0)
    assert never == [], "actors that no article or event text names"


def test_publications_are_sources_not_actors(brief: Brief) -> None:
    names = {n for s in brief.sources.values() for n in (s.publication, *s.names)}
    actor_names = {n for a in brief.actors.values() for n in (a.name, *a.aliases)}
    assert names & actor_names == set()
    assert {"Jamestown", "Caucasus Watch", "Avdaliani"} <= names


def test_the_timeline_keeps_every_order_the_sources_give(brief: Brief) -> None:
    rank = brief.event_rank
    stated = [(e.id, ref.target, "after") for e in brief.events.values() for ref in e.after]
    stated += [(e.id, ref.target, "before") for e in brief.events.values() for ref in e.before]
    assert len(stated) >= 8
    broken = [(event, other, how) for event, other, how in stated
              if (rank[event] < rank[other]) != (how == "before")]
    assert broken == []
    assert list(brief.events) == sorted(brief.events, key=rank.__getitem__)


def test_every_event_says_in_one_line_what_happened(brief: Brief) -> None:
    short = [e.id for e in brief.events.values() if not 40 <= len(e.summary) <= 200 or "\n" in e.summary]
    assert short == []


def test_build_is_deterministic(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(BuildOptions(source=REPO, output=again))
    def files(root: Path) -> dict[Path, bytes]:  # the cache's input stamp holds paths and mtimes
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*")
                if p.is_file() and p.relative_to(root).as_posix() != ".briefgen/inputs"}
    assert files(site) == files(again)
