"""Facets: the data the filters read agree with the actor pages; event summaries; the filter form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import BuildOptions, build
from briefgen.documents import parse_documents
from briefgen.facets import facet_data, facet_form, facet_script
from briefgen.pages import KIND_LABELS
from briefgen.summaries import LEAD_LIMIT, first_sentence
from helpers import SMALL_BRIEF, write_files
from test_linker import linked, sources

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("example") / "build"
    build(BuildOptions(source=REPO, output=output))
    return output


def spelled(data: dict[str, Any]) -> dict[str, Any]:
    """facets.js with its numbers spelled out as ids, as filter.js reads it."""
    actors = [a for a, _ in data["actors"]]

    def spell(d: dict[str, Any]) -> dict[str, Any]:
        return {"id": d["id"], "actors": [actors[n] for n in d["a"]], "from": d["from"], "to": d["to"],
                "topics": [data["topics"][n] for n in d.get("t", [])],
                "roles": {actors[int(n)]: role for n, role in d.get("r", {}).items()}}
    return {"kinds": dict(data["actors"]), "events": [spell(e) for e in data["events"]],
            "articles": [spell(a) for a in data["articles"]]}


def facets_of(site: Path) -> dict[str, Any]:
    text = (site / "facets.js").read_text("utf-8")
    prefix = "window.briefgenFacets="
    assert text.startswith(prefix) and text.endswith(";\n")
    return spelled(json.loads(text[len(prefix):-2]))


def test_every_actor_has_the_same_events_and_articles_in_the_filters_as_on_its_page(example: Path) -> None:
    """The issue: the timeline said "3 of 18 events" for Aliyev and his page 4. Both now read
    one definition (``Brief.event_named``), for every actor."""
    facets = facets_of(example)
    brief = json.loads((example / "brief.json").read_text("utf-8"))
    mentioned_only = 0
    for actor in brief["actors"]:
        events = [e["id"] for e in facets["events"] if actor["id"] in e["actors"]]
        articles = [a["id"] for a in facets["articles"] if actor["id"] in a["actors"]]
        assert events == actor["events"], actor["id"]
        assert articles == actor["articles"], actor["id"]
        page = (example / actor["url"] / "index.html").read_text("utf-8")
        n_articles, n_events = len(articles), len(events)
        said = (f"{n_articles} article{'' if n_articles == 1 else 's'}, "
                f"{n_events} event{'' if n_events == 1 else 's'}</dd>")
        assert said in page, actor["id"]
        taking_part = {e["id"] for e in brief["events"] if actor["id"] in {a["id"] for a in e["actors"]}}
        mentioned_only += len(set(events) - taking_part)
    assert mentioned_only, "no event only mentions an actor: the old disagreement is not exercised"


def test_the_small_brief_facets() -> None:
    brief, problems = linked(SMALL_BRIEF)  # type: ignore[arg-type]
    assert problems == []
    raw = facet_data(brief)
    assert "r" not in raw["events"][0] and "t" not in raw["events"][0], "empty roles and topics are left out"
    data = spelled(raw)
    by_id = {e["id"]: e for e in data["events"]}
    assert by_id["tovuz-clashes"]["roles"] == {"russia": "observer"}
    assert by_id["tovuz-clashes"]["topics"] == ["diplomacy", "military-cooperation"]
    assert (by_id["tovuz-clashes"]["from"], by_id["tovuz-clashes"]["to"]) == (20200701, 20200731)
    assert by_id["snap-drills"]["actors"] == ["russia", "lavrov"], "a mention counts, after those taking part"
    assert [a["id"] for a in data["articles"]] == list(brief.articles)
    assert data["kinds"]["aliyev"] == "person"
    events = facet_form(brief, KIND_LABELS, "events")
    articles = facet_form(brief, KIND_LABELS, "articles")
    actors = facet_form(brief, KIND_LABELS, "actors")
    assert events["roles"] == ["observer"] and articles["roles"] == []
    assert {a["id"] for a in events["actors"]} == {a for e in data["events"] for a in e["actors"]}
    assert [a["id"] for a in actors["actors"]] == list(brief.actors)
    assert (events["first"], events["last"]) == ("2020-07-01", "2020-08-12")
    assert (articles["first"], articles["last"]) == ("2020-09-11", "2020-09-15")
    assert facet_script(brief) == facet_script(linked(SMALL_BRIEF)[0])  # type: ignore[arg-type]


def test_facets_js_is_a_script_no_text_can_break_out_of() -> None:
    files = dict(SMALL_BRIEF)
    files["content/articles/cargo-flights.md"] = str(files["content/articles/cargo-flights.md"]).replace(
        "tags: [diplomacy]", 'tags: [diplomacy, "</script><b>x"]')
    brief, problems = linked(files)  # type: ignore[arg-type]
    assert problems == []
    text = facet_script(brief)
    assert "<" not in text
    assert "script-b-x" in text


# ---------------------------------------------------------------- summaries

@pytest.mark.parametrize(("text", "sentence"), [
    ("Gen. Hasanov met Putin. Then they left.", "Gen. Hasanov met Putin."),
    ('He said "no." Then he left.', 'He said "no."'),
    ("About c. 1,000 troops moved. More later.", "About c. 1,000 troops moved."),
    ("Ilham Əliyev spoke. Əliyev left.", "Ilham Əliyev spoke."),
    ("U.S. officials said so. Next.", "U.S. officials said so."),
    ("Who called? Baku did.", "Who called?"),
    ("One sentence without an end", "One sentence without an end"),
    ("", ""),
])
def test_first_sentence(text: str, sentence: str) -> None:
    assert first_sentence(text) == sentence


def test_a_long_first_sentence_is_cut_at_a_word() -> None:
    lead = first_sentence("word " * 100)
    assert len(lead) <= LEAD_LIMIT + 1 and lead.endswith("word…")


def test_summary_or_the_first_sentence_of_the_linked_body() -> None:
    files = dict(SMALL_BRIEF)
    files["content/events/snap-drills.md"] = (
        "---\ntitle: Snap drills\ndate: 2020-07-17\nactors: [russia]\nsources: [cargo-flights]\n---\n"
        "## Heading\n\n[[lavrov|The minister]] called the *drills* `routine`[^1]. Nothing else.\n\n[^1]: A note.\n")
    files["content/events/tovuz-clashes.md"] = str(files["content/events/tovuz-clashes.md"]).replace(
        "place: Tovuz", "place: Tovuz\nsummary: Azerbaijani and Armenian forces fought for days.")
    brief, problems = linked(files)  # type: ignore[arg-type]
    assert problems == []
    assert brief.event_summaries == {
        "snap-drills": "The minister called the drills routine.",
        "tovuz-clashes": "Azerbaijani and Armenian forces fought for days.",
        "phone-call": "",
    }


def test_a_summary_is_one_line() -> None:
    text = "---\ntitle: T\ndate: 2020-07-17\nsummary: |\n  One.\n  Two.\n---\n"
    _, problems = parse_documents(sources({"content/events/t.md": text}))
    assert [(p.line, p.message) for p in problems] == [(4, "an event's 'summary' is one line")]


def test_the_timeline_says_what_happened(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(source=write_files(tmp_path / "brief", SMALL_BRIEF), output=out))
    timeline = (out / "timeline" / "index.html").read_text("utf-8")
    assert '<p class="ev-summary">Sergey Lavrov called the drills routine.</p>' in timeline
    assert '<form class="filter facets" id="facets" data-listing="events"' in timeline
    assert 'src="../facets.js"' in timeline and 'src="../assets/filter.js"' in timeline
