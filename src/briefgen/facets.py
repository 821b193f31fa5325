"""Facets: what the timeline, the article list and the actor index filter by, in the browser.

The pages list every item in plain HTML; ``facets.js`` (data, written by the
build) says which actors, roles, topics and dates each event and article has,
and ``assets/filter.js`` hides what a reader's choices leave out. A script file
rather than JSON: ``fetch()`` of a file is refused from ``file://``, a
``<script src>`` is not. What an item "involves" is the model's own definition
(``Brief.event_named``, ``Brief.article_actors``), so the counts a filter shows
are the counts of the actor pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from briefgen.dates import EARLIEST_DAY, LATEST_DAY
from briefgen.documents import ACTOR_KINDS
from briefgen.model import Brief
from briefgen.urls import slugify

DATA_PATH = "facets.js"
"""Where the build writes the data, from the site root."""


def _day(year: int, month: int, day: int) -> int:
    return year * 10000 + month * 100 + day


def event_topics(brief: Brief, event_id: str) -> list[str]:
    """An event's topics: those of the articles that discuss it, in the order of the topic index."""
    slugs = {slugify(tag) for article in brief.event_articles[event_id] for tag in brief.articles[article].tags}
    return [slug for slug in brief.tags if slug in slugs]


def article_topics(brief: Brief, article_id: str) -> list[str]:
    return [slug for slug in dict.fromkeys(map(slugify, brief.articles[article_id].tags)) if slug in brief.tags]


def facet_data(brief: Brief) -> dict[str, Any]:
    """Every event and article with what it can be filtered by, small: actors and topics
    are numbers, places in the ``actors`` and ``topics`` lists (which give their ids and,
    for actors, kinds); empty roles and topics are left out.

    Days are numbers (YYYYMMDD); an event spans the first to the last day its
    date may stand for, so a month-only event is within any range that meets its month."""
    actor_number = {actor_id: number for number, actor_id in enumerate(brief.actors)}
    topic_number = {slug: number for number, slug in enumerate(brief.tags)}

    def entry(doc_id: str, actors: tuple[str, ...], topics: list[str], first: int, last: int) -> dict[str, Any]:
        item: dict[str, Any] = {"id": doc_id, "a": [actor_number[a] for a in actors], "from": first, "to": last}
        if topics:
            item["t"] = [topic_number[t] for t in topics]
        return item

    events = []
    for event_id, event in brief.events.items():
        item = entry(event_id, brief.event_named[event_id], event_topics(brief, event_id),
                     event.date.earliest, event.date.latest)
        roles = {str(actor_number[p.actor]): p.role for p in brief.event_actors[event_id] if p.role}
        if roles:
            item["r"] = roles
        events.append(item)
    articles = []
    for article_id, article in brief.articles.items():
        day = _day(*article.date.sort_key)
        articles.append(entry(article_id, brief.article_actors[article_id], article_topics(brief, article_id), day, day))
    return {"actors": [[actor_id, actor.kind] for actor_id, actor in brief.actors.items()],
            "topics": list(brief.tags), "events": events, "articles": articles}


def facet_script(brief: Brief) -> str:
    """``facets.js``: the data as one assignment, sorted, byte-identical for the same brief.

    ``<`` is escaped so no text in the data can close a script element."""
    text = json.dumps(facet_data(brief), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "window.briefgenFacets=" + text.replace("<", "\\u003c") + ";\n"


def facet_form(brief: Brief, kind_labels: Mapping[str, tuple[str, str]], listing: str) -> dict[str, Any]:
    """The choices of the filter form of one list (``"events"``, ``"articles"`` or ``"actors"``).

    Only choices that can match something are offered: actors named by an item
    of the list, roles given in events, topics of its items, and the span of
    its dates; on the actor index every actor may be chosen ("named with")."""
    if listing == "events":
        named = {a for actors in brief.event_named.values() for a in actors}
        topics = {t for e in brief.events for t in event_topics(brief, e)}
        days = [(e.date.earliest, e.date.latest) for e in brief.events.values()]
    elif listing == "articles":
        named = {a for actors in brief.article_actors.values() for a in actors}
        topics = {t for a in brief.articles for t in article_topics(brief, a)}
        days = [(_day(*a.date.sort_key),) * 2 for a in brief.articles.values()]
    else:
        named = set(brief.actors)
        topics = set(brief.tags)
        days = [(e.date.earliest, e.date.latest) for e in brief.events.values()]
        days += [(_day(*a.date.sort_key),) * 2 for a in brief.articles.values()]
    kinds = {brief.actors[a].kind for a in named}
    roles = sorted({p.role for parts in brief.event_actors.values() for p in parts if p.role}, key=str.casefold)
    first = min((d for d, _ in days if d != EARLIEST_DAY), default=0)
    last = max((d for _, d in days if d != LATEST_DAY), default=0)
    return {
        "listing": listing,
        "actors": [{"id": a.id, "name": a.name} for a in brief.actors.values() if a.id in named],
        "kinds": [{"id": k, "label": kind_labels[k][1]} for k in ACTOR_KINDS if k in kinds],
        "roles": roles if listing != "articles" else [],
        "topics": [{"id": t.slug, "name": t.name} for t in brief.tags.values() if t.slug in topics],
        "first": _iso(first), "last": _iso(last),
    }


def _iso(day: int) -> str:
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}" if day else ""
