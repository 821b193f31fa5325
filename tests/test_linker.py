from __future__ import annotations

import textwrap

from briefgen.config import Config
from briefgen.documents import Document, parse_documents
from briefgen.errors import BriefError
from briefgen.linker import index_documents, link
from briefgen.bodies import body_jobs, render_bodies
from briefgen.model import Brief, Participation
from briefgen.sources import SourceFile

from helpers import SMALL_BRIEF


def sources(files: dict[str, str]) -> list[SourceFile]:
    kinds = {"articles": "article", "actors": "actor", "events": "event", "sources": "source"}
    return [SourceFile(path, kinds.get(path.split("/")[1], "index"), textwrap.dedent(text))  # type: ignore[arg-type]
            for path, text in sorted(files.items()) if path.startswith("content/")]


def linked(files: dict[str, str]) -> tuple[Brief, list[BriefError]]:
    documents: list[Document]
    documents, problems = parse_documents(sources(files))
    index, found = index_documents(documents)
    problems += found
    brief, found = link(documents, render_bodies(body_jobs(documents), index)[0], index, Config())
    return brief, sorted(problems + found)


def test_small_brief_links_both_ways() -> None:
    brief, problems = linked(SMALL_BRIEF)
    assert problems == []
    assert list(brief.articles) == ["summer-of-strain", "cargo-flights"]
    assert list(brief.events) == ["snap-drills", "tovuz-clashes", "phone-call"], "July 2020 after 17-20 July"
    assert brief.article_actors["summer-of-strain"] == ("azerbaijan", "russia", "aliyev", "hajiyev", "putin")
    assert brief.article_events["summer-of-strain"] == ("phone-call", "tovuz-clashes")
    assert brief.event_articles["tovuz-clashes"] == ("summer-of-strain",)
    assert brief.event_articles["phone-call"] == ("summer-of-strain",)
    assert brief.actor_articles["lavrov"] == ("cargo-flights",)
    assert brief.actor_events["aliyev"] == ("phone-call",)
    assert brief.event_actors["tovuz-clashes"] == (Participation("azerbaijan"), Participation("russia", "observer"))
    assert brief.members["azerbaijan"] == ("hajiyev", "aliyev")
    assert brief.affiliations["aliyev"] == "azerbaijan"
    assert brief.related_articles["summer-of-strain"] == ("cargo-flights",)
    assert [t.slug for t in brief.tags.values()] == ["diplomacy", "military-cooperation"]
    assert brief.tags["diplomacy"].articles == ("summer-of-strain", "cargo-flights")


def test_mention_counts_and_co_mentions() -> None:
    brief, _ = linked(SMALL_BRIEF)
    # "Ilham Aliyev", "Aliyev" in the article; the actor's own page does not count.
    assert brief.actor_mentions["aliyev"] == 2
    assert brief.actor_mentions["lavrov"] == 3  # twice in an article, once in the snap drills' description
    assert brief.actor_events["lavrov"] == ("snap-drills",)
    assert [p.actor for p in brief.event_actors["snap-drills"]] == ["russia"], "named, not taking part"
    co = dict(brief.co_mentions["aliyev"])
    assert co["putin"] == 2  # the article and the phone call
    assert co["azerbaijan"] == 1


def test_unknown_front_matter_references() -> None:
    files = dict(SMALL_BRIEF)
    files["content/articles/bad.md"] = "---\ntitle: Bad\ndate: 2020-01-01\nactors:\n  - aliyev\n  - shoygu\nevents: [phone-cal]\n---\n"
    _, problems = linked(files)
    assert [p.format() for p in problems] == [
        "content/articles/bad.md:6: error: unknown actor 'shoygu' in 'actors'\n"
        "  hint: Actors live in content/actors/.",
        "content/articles/bad.md:7: error: unknown event 'phone-cal' in 'events'\n"
        "  hint: did you mean 'phone-call'? Events live in content/events/.",
    ]


def test_references_by_name_or_alias_resolve() -> None:
    files = dict(SMALL_BRIEF)
    files["content/events/meeting.md"] = "---\ntitle: M\ndate: 2020-08\nactors: [President Aliyev, Vladimir Putin]\nsources: [edm-cargo]\n---\n"
    brief, problems = linked(files)
    assert problems == []
    assert [p.actor for p in brief.event_actors["meeting"]] == ["aliyev", "putin"]


def test_alias_claimed_by_two_actors() -> None:
    files = dict(SMALL_BRIEF)
    files["content/actors/aliyev-junior.md"] = "---\nname: Heydar Aliyev\nkind: person\naliases: [Aliyev]\n---\n"
    _, problems = linked(files)
    assert [p.format() for p in problems] == [
        "content/actors/aliyev.md:4: error: alias 'Aliyev' is already used by actor 'aliyev-junior'\n"
        "  hint: see content/actors/aliyev-junior.md; a name or alias may stand for one actor only"]


def test_drafts_are_left_out() -> None:
    files = dict(SMALL_BRIEF)
    files["content/articles/wip.md"] = "---\ntitle: WIP\ndate: 2020-10-01\ndraft: true\n---\nPutin.\n"
    brief, _ = linked(files)
    assert "wip" not in brief.articles


def test_references_to_a_broken_file_are_not_reported_twice() -> None:
    documents, problems = parse_documents(sources({**SMALL_BRIEF, "content/actors/putin.md": "---\nname: [broken\n---\n"}))
    index, _ = index_documents(documents, broken=frozenset({"actor:putin"}))
    brief, found = link(documents, render_bodies(body_jobs(documents), index)[0], index, Config())
    assert [p.path for p in problems] == ["content/actors/putin.md"]
    assert found == []
    assert "putin" not in brief.actors


def test_ids_resolve_whatever_their_case() -> None:
    files = dict(SMALL_BRIEF)
    files["content/articles/x.md"] = "---\ntitle: X\ndate: 2020-01-01\nactors: [PUTIN]\n---\n[[Hajiyev]] and [[event:Phone-Call]].\n"
    brief, problems = linked(files)
    assert problems == []
    assert brief.article_actors["x"][:2] == ("putin", "hajiyev")
    assert brief.article_events["x"] == ("phone-call",)


def test_related_articles_weigh_a_shared_event_three_times() -> None:
    def article(name: str, day: int, front: str) -> tuple[str, str]:
        return f"content/articles/{name}.md", f"---\ntitle: {name}\ndate: 2020-01-{day:02}\n{front}\n---\nText.\n"

    files = dict([
        ("content/actors/a.md", "---\nname: Alpha\nkind: state\n---\n"),
        ("content/actors/b.md", "---\nname: Beta\nkind: state\n---\n"),
        ("content/events/e.md", "---\ntitle: E\ndate: 2020-01-01\nsources: [main]\n---\n"),
        article("main", 9, "events: [e]\nactors: [a, b]\ntags: [Energy, energy]"),
        article("by-event", 8, "events: [e]"),  # 3
        article("by-actors", 7, "actors: [a, b]"),  # 1 + 1
        article("by-tag", 6, "tags: [ENERGY]"),  # 1 for each of main's two tags that make one slug
        article("by-actor", 5, "actors: [b]"),  # 1
    ])
    brief, problems = linked(files)
    assert problems == []
    assert brief.related_articles["main"] == ("by-event", "by-actors", "by-tag", "by-actor")
    assert brief.related_articles["by-tag"] == ("main",)


def test_after_and_before_order_the_timeline_and_name_unknown_events() -> None:
    files = dict(SMALL_BRIEF)
    files["content/events/denial.md"] = "---\ntitle: D\ndate: 2020-07\nbefore: [snap-drills]\nsources: [edm-cargo]\n---\n"
    files["content/events/reply.md"] = "---\ntitle: R\ndate: 2020-08-12\nafter: [Aliyev and Putin speak by phone]\n---\nAs [[source:edm-cargo]] reports.\n"
    brief, problems = linked(files)
    assert problems == []
    assert list(brief.events) == ["denial", "snap-drills", "tovuz-clashes", "phone-call", "reply"]
    assert brief.event_after["reply"] == ("phone-call",) and brief.event_before["phone-call"] == ("reply",)
    assert brief.event_before["denial"] == ("snap-drills",) and brief.event_after["snap-drills"] == ("denial",)
    assert brief.timeline_months["denial"] == (2020, 7)

    files["content/events/reply.md"] = "---\ntitle: R\ndate: 2020-08-12\nafter: [phone-cal]\nbefore: [reply]\n---\n[[source:edm-cargo]]\n"
    _, problems = linked(files)
    assert [p.format() for p in problems] == [
        "content/events/reply.md:4: error: unknown event 'phone-cal' in 'after'\n"
        "  hint: did you mean 'phone-call'? Events live in content/events/.",
        "content/events/reply.md:5: error: an event cannot come before itself\n  hint: remove 'reply' from 'before'"]
