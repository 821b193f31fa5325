"""The network of actors: the strongest ties, capped, drawn the same way every time, at 36 and 1,000 actors."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.documents import parse_documents
from briefgen.model import Brief
from briefgen.network import EDGE_LIMIT, NODE_LIMIT, network, strongest_ties
from briefgen.pages import PagePlan, site_context
from briefgen.render import make_environment, render_page
from briefgen.sources import builtin_theme
from test_linker import linked, sources

REPO = Path(__file__).resolve().parents[1]


def synthetic(actors: int, events: int) -> Brief:
    """A brief of ``actors`` actors and ``events`` events that name three or four of them each:
    a few hubs (every tenth actor) are in many events, so ties range from weak to strong."""
    files = {f"content/actors/a{i:04d}.md": f"---\nname: Actor {i:04d}\nkind: {('state', 'person', 'organization')[i % 3]}\n---\n"
             for i in range(actors)}
    for e in range(events):
        named = sorted({e % actors, (e * 7 + 3) % actors, (e % 10) * 10 % actors, (e * 13) % actors})
        files[f"content/events/e{e:04d}.md"] = (
            f"---\ntitle: Event {e}\ndate: 2020-01-{1 + e % 28:02d}\nactors: [{', '.join(f'a{i:04d}' for i in named)}]\n"
            "sources: [\"https://example.org/report\"]\n---\n")
    brief, problems = linked(files)
    assert problems == []
    return brief


@pytest.fixture(scope="module")
def small() -> Brief:
    return synthetic(36, 60)


@pytest.fixture(scope="module")
def large() -> Brief:
    return synthetic(1000, 1200)


def all_ties(brief: Brief) -> dict[frozenset[str], int]:
    return {frozenset((a, o)): n for a, others in brief.co_mentions.items() for o, n in others}


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_strongest_ties_within_the_caps(size: str, request: pytest.FixtureRequest) -> None:
    brief: Brief = request.getfixturevalue(size)
    drawing = network(brief)
    ties = all_ties(brief)
    assert 0 < len(drawing["edges"]) <= EDGE_LIMIT
    assert 0 < len(drawing["nodes"]) <= NODE_LIMIT
    weights = [t["weight"] for t in drawing["table"]]
    assert weights == sorted(weights, reverse=True)
    assert weights[0] == max(ties.values()), "the strongest tie of the brief is drawn"
    drawn = {frozenset((t["first"]["id"], t["second"]["id"])) for t in drawing["table"]}
    assert len(drawn) == len(weights)
    for pair in drawn:
        assert ties[pair] == next(t["weight"] for t in drawing["table"]
                                  if {t["first"]["id"], t["second"]["id"]} == pair)
    shown = {n["id"] for n in drawing["nodes"]}
    left_out = [n for pair, n in ties.items() if pair <= shown and pair not in drawn]
    if len(drawn) == EDGE_LIMIT:  # a tie between two actors drawn is left out only for a stronger one
        assert all(n <= weights[-1] for n in left_out)
    else:
        assert left_out == []
    widths = [float(e["width"]) for e in drawing["edges"]]
    assert min(widths) >= 1 and max(widths) <= 7 and max(widths) > min(widths)
    assert drawing["shown"] == len(shown) and drawing["tied"] <= drawing["actors"] == len(brief.actors)
    if size == "large":
        assert len(shown) < drawing["tied"], "the caps bind at 1,000 actors"


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_drawing_is_deterministic_and_fits(size: str, request: pytest.FixtureRequest) -> None:
    brief: Brief = request.getfixturevalue(size)
    drawing = network(brief)
    assert drawing == network(brief)
    extent = float(drawing["size"])
    for node in drawing["nodes"]:
        for key in ("x", "y", "lx", "ly"):
            assert 0 <= float(node[key]) <= extent
    # the same brief linked again (new dicts, same content) draws the same
    if size == "small":
        assert network(synthetic(36, 60)) == drawing


def test_caps_are_kept_whatever_they_are(large: Brief) -> None:
    ties = strongest_ties(large, node_limit=12, edge_limit=500)
    assert len({a for t in ties for a in (t.first, t.second)}) <= 12
    assert len(strongest_ties(large, node_limit=1000, edge_limit=7)) == 7


class _Svg(HTMLParser):
    """The links, titles and lines of the drawing."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.links: list[str] = []
        self.titles: list[tuple[str, str]] = []  # (parent element, text)
        self.lines: list[dict[str, str | None]] = []
        self.table_rows = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stack and self.stack[-1] == "svg" or "svg" in self.stack:
            if tag == "a":
                self.links.append(dict(attrs).get("href") or "")
            elif tag == "line":
                self.lines.append(dict(attrs))
        if tag == "tr" and "tbody" in self.stack:
            self.table_rows += 1
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "title" and "svg" in self.stack:
            self.titles.append((self.stack[-2], data))


def rendered_network(brief: Brief) -> str:
    plan = PagePlan(brief)
    spec = next(plan[i] for i in range(len(plan)) if plan[i].dest_path == "actors/network/index.html")
    dirs = [builtin_theme()]
    page = render_page(make_environment(dirs), spec, site_context(brief), dirs)
    assert not isinstance(page, Exception)
    return page.content.decode("utf-8")


@pytest.mark.parametrize("size", ["small", "large"])
def test_the_page_draws_links_with_titles_and_a_table(size: str, request: pytest.FixtureRequest) -> None:
    brief: Brief = request.getfixturevalue(size)
    html = rendered_network(brief)
    assert html == rendered_network(brief)
    svg = _Svg()
    svg.feed(html)
    drawing = network(brief)
    assert len(svg.links) == len(drawing["nodes"])
    assert all(href.startswith("../") and href.endswith("/index.html") for href in svg.links)
    assert len(svg.lines) == len(drawing["edges"]) == svg.table_rows
    assert all(line["stroke-width"] for line in svg.lines)
    edge_titles = [text for parent, text in svg.titles if parent == "line"]
    assert len(edge_titles) == len(svg.lines)
    strongest = drawing["table"][0]
    assert (f"{strongest['first']['name']} and {strongest['second']['name']}: "
            f"named together in {strongest['weight']} articles and events") in edge_titles
    assert len([t for parent, t in svg.titles if parent == "a"]) == len(svg.links)


def test_the_example_brief_has_the_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(source=REPO, output=out))
    html = (out / "actors" / "network" / "index.html").read_text("utf-8")
    svg = _Svg()
    svg.feed(html)
    assert 20 <= len(svg.links) <= NODE_LIMIT
    for href in svg.links:  # every node leads to an actor page that exists
        assert (out / "actors" / "network" / href).resolve().is_file(), href
    assert 'href="../actors/network/index.html"' in (out / "actors" / "index.html").read_text("utf-8")
    assert "actors/network/" in (out / "sitemap.xml").read_text("utf-8")


def test_no_actor_may_take_the_network_page() -> None:
    _, problems = parse_documents(sources({"content/actors/network.md": "---\nname: Network\nkind: other\n---\n"}))
    assert [p.message for p in problems] == ["actor id 'network' is taken by the page actors/network/"]
