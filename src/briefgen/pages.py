"""The site map as data: one ``PageSpec`` per output file, built from the ``Brief``.

Contexts hold only plain values (strings, numbers, lists, dicts), so pages can
be rendered in worker processes and hashed for incremental builds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from briefgen import __version__
from briefgen.dates import FuzzyDate, display_range
from briefgen.documents import ACTOR_KINDS, Actor, Article, Event
from briefgen.model import Brief, body_key
from briefgen.urls import page_path, page_url, relative_root

KIND_LABELS = {
    "state": ("State", "States"), "person": ("Person", "People"),
    "organization": ("Organisation", "Organisations"), "military": ("Military", "Military"),
    "media": ("Media", "Media"), "other": ("Other", "Other actors"),
}
MONTHS = ("", "January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One file of the site: where it goes, which template, and its data."""

    dest_path: str
    template: str
    context: dict[str, Any]


Context = dict[str, Any]


def actor_chip(brief: Brief, actor_id: str, role: str = "") -> Context:
    actor = brief.actors[actor_id]
    return {"id": actor.id, "name": actor.name, "kind": actor.kind, "url": page_url("actors", actor.id),
            "role": role or actor.role, "event_role": role}


def article_item(brief: Brief, article: Article) -> Context:
    return {"id": article.id, "title": article.title, "url": page_url("articles", article.id),
            "date": article.date.display(), "date_iso": article.date.iso, "summary": article.summary}


def event_item(brief: Brief, event: Event) -> Context:
    end = event.end if event.end and event.end != event.date else None
    precision = event.date.precision if not end else min(event.date.precision, end.precision, key=_precision_rank)
    return {
        "id": event.id, "title": event.title, "url": page_url("events", event.id),
        "date": display_range(event.date, end), "date_iso": event.date.iso,
        "end_iso": end.iso if end else "", "precision": precision, "is_range": end is not None,
        "place": event.place,
        "actors": [actor_chip(brief, p.actor, p.role) for p in brief.event_actors[event.id]],
        "articles": [article_item(brief, brief.articles[a]) for a in brief.event_articles[event.id]],
    }


def _precision_rank(precision: str) -> int:
    return {"year": 0, "month": 1, "day": 2}[precision]


def body_html(brief: Brief, kind: str, doc_id: str) -> str:
    result = brief.bodies.get(body_key(kind, doc_id))
    return result.html if result else ""


def _page(dest_path: str, template: str, title: str, section: str, **values: Any) -> PageSpec:
    context = {"root": relative_root(dest_path), "page_title": title, "section": section,
               "dest_path": dest_path, **values}
    return PageSpec(dest_path, template, context)


def site_context(brief: Brief) -> Context:
    """Values every template sees as ``site``."""
    config = brief.config
    return {"title": config.title, "description": config.description, "language": config.language,
            "base_url": config.base_url, "generator": f"briefgen {__version__}",
            "has_tags": bool(brief.tags)}


def plan_pages(brief: Brief) -> list[PageSpec]:
    """Every page of the site map, in a stable order."""
    pages = [_front_page(brief), _article_list(brief), _actor_index(brief), _timeline(brief), _tag_index(brief)]
    pages += [_article_page(brief, a) for a in brief.articles.values()]
    pages += [_actor_page(brief, a) for a in brief.actors.values()]
    order = list(brief.events)
    pages += [_event_page(brief, order, i) for i in range(len(order))]
    pages += [_tag_page(brief, slug) for slug in brief.tags]
    pages += [
        _page("404.html", "404.html", "Page not found", ""),
        _page("feed.xml", "feed.xml", brief.config.title, "", articles=[
            _feed_entry(brief, a) for a in list(brief.articles.values())[:50]]),
        _page("sitemap.xml", "sitemap.xml", "", "", urls=_sitemap_urls(brief)),
    ]
    return pages


def _front_page(brief: Brief) -> PageSpec:
    config = brief.config
    key_actors = sorted(brief.actors.values(), key=lambda a: (-brief.actor_mentions[a.id], a.name.casefold()))
    events = list(brief.events.values())[-config.front_page_events:] if config.front_page_events else []
    lead_title = brief.index_page.title if brief.index_page and brief.index_page.title else config.title
    return _page(
        "index.html", "index.html", lead_title, "home",
        lead_html=brief.bodies["index"].html if "index" in brief.bodies else "",
        articles=[article_item(brief, a) for a in list(brief.articles.values())[:config.front_page_articles]],
        key_actors=[{**actor_chip(brief, a.id), "mentions": brief.actor_mentions[a.id]}
                    for a in key_actors[:config.front_page_actors]],
        events=[event_item(brief, e) for e in reversed(events)],
        counts={"articles": len(brief.articles), "actors": len(brief.actors), "events": len(brief.events)},
    )


def _article_list(brief: Brief) -> PageSpec:
    return _page("articles/index.html", "articles.html", "Articles", "articles",
                 articles=[article_item(brief, a) for a in brief.articles.values()])


def _article_page(brief: Brief, article: Article) -> PageSpec:
    source = None
    if article.source:
        s = article.source
        source = {"publication": s.publication, "url": s.url, "title": s.title,
                  "published": s.published.display() if s.published else "",
                  "published_iso": s.published.iso if s.published else ""}
    return _page(
        f"articles/{article.id}/index.html", "article.html", article.title, "articles",
        article={**article_item(brief, article), "authors": list(article.authors), "source": source,
                 "body_html": body_html(brief, "article", article.id),
                 "tags": [{"name": t.name, "url": page_url("tags", t.slug)}
                          for t in brief.tags.values() if article.id in t.articles]},
        actors=[actor_chip(brief, a) for a in brief.article_actors[article.id]],
        events=[event_item(brief, brief.events[e]) for e in
                sorted(brief.article_events[article.id], key=brief.event_rank.__getitem__)],
        related=[article_item(brief, brief.articles[a]) for a in brief.related_articles[article.id]],
    )


def _actor_index(brief: Brief) -> PageSpec:
    groups = []
    for kind in ACTOR_KINDS:
        members = [a for a in brief.actors.values() if a.kind == kind]
        if members:
            groups.append({"kind": kind, "label": KIND_LABELS[kind][1], "actors": [
                {**actor_chip(brief, a.id), "mentions": brief.actor_mentions[a.id],
                 "articles": len(brief.actor_articles[a.id]), "events": len(brief.actor_events[a.id])}
                for a in members]})
    return _page("actors/index.html", "actors.html", "Actors", "actors", groups=groups)


def _actor_page(brief: Brief, actor: Actor) -> PageSpec:
    target = brief.affiliations.get(actor.id)
    affiliation = actor_chip(brief, target) if target else None
    return _page(
        f"actors/{actor.id}/index.html", "actor.html", actor.name, "actors",
        actor={**actor_chip(brief, actor.id), "kind_label": KIND_LABELS[actor.kind][0],
               "kind_group": KIND_LABELS[actor.kind][1], "aliases": list(actor.aliases),
               "affiliation": affiliation, "body_html": body_html(brief, "actor", actor.id),
               "mentions": brief.actor_mentions[actor.id]},
        events=[event_item(brief, brief.events[e]) for e in brief.actor_events[actor.id]],
        articles=[article_item(brief, brief.articles[a]) for a in brief.actor_articles[actor.id]],
        co_mentioned=[{**actor_chip(brief, other), "count": count} for other, count in brief.co_mentions[actor.id]],
        members=[actor_chip(brief, m) for m in brief.members[actor.id]],
    )


def _event_page(brief: Brief, order: list[str], position: int) -> PageSpec:
    event = brief.events[order[position]]
    previous = brief.events[order[position - 1]] if position > 0 else None
    following = brief.events[order[position + 1]] if position + 1 < len(order) else None
    return _page(
        f"events/{event.id}/index.html", "event.html", event.title, "timeline",
        event={**event_item(brief, event), "body_html": body_html(brief, "event", event.id),
               "source_urls": list(event.source_urls)},
        previous=event_item(brief, previous) if previous else None,
        next=event_item(brief, following) if following else None,
    )


def _timeline(brief: Brief) -> PageSpec:
    years: dict[int, dict[int, list[Context]]] = defaultdict(lambda: defaultdict(list))
    for event in brief.events.values():
        years[event.date.year][event.date.month].append(event_item(brief, event))
    groups = [{"year": year, "id": f"y{year}", "months": [
        {"month": month, "label": MONTHS[month] if month else "Date within the year unknown",
         "id": f"y{year}-{month:02d}" if month else f"y{year}-unknown", "events": items}
        for month, items in sorted(months.items())]} for year, months in sorted(years.items())]
    filter_actors = sorted(
        {p.actor for parts in brief.event_actors.values() for p in parts},
        key=lambda a: brief.actors[a].name.casefold())
    return _page("timeline/index.html", "timeline.html", "Timeline", "timeline", years=groups,
                 filter_actors=[actor_chip(brief, a) for a in filter_actors], count=len(brief.events))


def _tag_index(brief: Brief) -> PageSpec:
    return _page("tags/index.html", "tags.html", "Topics", "tags", tags=[
        {"name": t.name, "url": page_url("tags", t.slug), "count": len(t.articles)} for t in brief.tags.values()])


def _tag_page(brief: Brief, slug: str) -> PageSpec:
    tag = brief.tags[slug]
    return _page(f"tags/{slug}/index.html", "tag.html", tag.name, "tags", tag={"name": tag.name, "slug": slug},
                 articles=[article_item(brief, brief.articles[a]) for a in tag.articles])


def _feed_entry(brief: Brief, article: Article) -> Context:
    return {**article_item(brief, article), "updated": _timestamp(article.date),
            "authors": list(article.authors), "body_html": body_html(brief, "article", article.id)}


def _timestamp(date: FuzzyDate) -> str:
    return f"{date.year:04d}-{max(date.month, 1):02d}-{max(date.day, 1):02d}T00:00:00Z"


def _sitemap_urls(brief: Brief) -> list[str]:
    urls = ["", "articles/", "actors/", "timeline/"]
    urls += [page_url("articles", a) for a in brief.articles]
    urls += [page_url("actors", a) for a in brief.actors]
    urls += [page_url("events", e) for e in brief.events]
    if brief.tags:
        urls += ["tags/"] + [page_url("tags", t) for t in brief.tags]
    return urls


def brief_data(brief: Brief) -> str:
    """brief.json: the linked model as data, for other tools."""
    data = {
        "generator": f"briefgen {__version__}",
        "title": brief.config.title,
        "articles": [{
            "id": a.id, "title": a.title, "date": a.date.iso, "summary": a.summary, "authors": list(a.authors),
            "tags": list(a.tags), "url": page_url("articles", a.id),
            "source": ({"publication": a.source.publication, "url": a.source.url, "title": a.source.title,
                        "published": a.source.published.iso if a.source.published else None}
                       if a.source else None),
            "actors": list(brief.article_actors[a.id]), "events": list(brief.article_events[a.id]),
            "related": list(brief.related_articles[a.id]),
        } for a in brief.articles.values()],
        "actors": [{
            "id": a.id, "name": a.name, "kind": a.kind, "role": a.role, "aliases": list(a.aliases),
            "affiliation": brief.affiliations.get(a.id),
            "url": page_url("actors", a.id), "mentions": brief.actor_mentions[a.id],
            "articles": list(brief.actor_articles[a.id]), "events": list(brief.actor_events[a.id]),
            "co_mentions": [{"actor": o, "count": c} for o, c in brief.co_mentions[a.id]],
        } for a in brief.actors.values()],
        "events": [{
            "id": e.id, "title": e.title, "date": e.date.iso, "end": e.end.iso if e.end else None,
            "precision": e.date.precision, "place": e.place, "url": page_url("events", e.id),
            "actors": [{"id": p.actor, "role": p.role or None} for p in brief.event_actors[e.id]],
            "articles": list(brief.event_articles[e.id]), "source_urls": list(e.source_urls),
        } for e in brief.events.values()],
        "tags": [{"slug": t.slug, "name": t.name, "articles": list(t.articles)} for t in brief.tags.values()],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


__all__ = ["PageSpec", "plan_pages", "brief_data", "site_context", "page_path"]
