"""The site map as data: one ``PageSpec`` per output file, built from the ``Brief``.

Contexts hold only plain values (strings, numbers, lists, dicts), so pages can
be rendered in worker processes and hashed for incremental builds.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple, overload

from briefgen import __version__, hashing
from briefgen.dates import MONTH_NAMES, EventDate, FuzzyDate
from briefgen.documents import ACTOR_KINDS, Actor, Article, cited_record
from briefgen.facets import DATA_PATH as FACETS_PATH, facet_form, facet_script
from briefgen.exports import EXPORTS, brief_data
from briefgen.history import Moment
from briefgen.ical import calendar_text
from briefgen.model import Brief, body_key
from briefgen.network import network
from briefgen.urls import page_url, relative_root, slugify

KIND_LABELS = {
    "state": ("State", "States"), "person": ("Person", "People"),
    "organization": ("Organisation", "Organisations"), "military": ("Military", "Military"),
    "media": ("Media", "Media"), "other": ("Other", "Other actors"),
}


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One file of the site: where it goes, which template, and its data."""

    dest_path: str
    template: str
    context: dict[str, Any]


Context = dict[str, Any]


class Items:
    """List entries for actors, articles and events, made once and shared by every page."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self._actors: dict[str, Context] = {}
        self._articles: dict[str, Context] = {}
        self._events: dict[str, Context] = {}
        self._sources: dict[str, Context] = {}
        self.digests: dict[int, str] = {}
        """``id()`` of each entry made -> a digest of it, for ``hashable``: the entries live as long as this."""

    def _made(self, item: Context) -> Context:
        self.digests[id(item)] = hashing.digest(pickle.dumps(item, protocol=5))
        return item

    def actor(self, actor_id: str, role: str = "") -> Context:
        if role:
            return {**self.actor(actor_id), "role": role, "event_role": role}
        item = self._actors.get(actor_id)
        if item is None:
            actor = self.brief.actors[actor_id]
            item = self._actors[actor_id] = self._made({
                "id": actor.id, "name": actor.name, "kind": actor.kind, "url": page_url("actors", actor.id),
                "kind_label": KIND_LABELS[actor.kind][0], "kind_group": KIND_LABELS[actor.kind][1],
                "role": actor.role, "event_role": ""})
        return item

    def article(self, article_id: str) -> Context:
        item = self._articles.get(article_id)
        if item is None:
            article = self.brief.articles[article_id]
            item = self._articles[article_id] = self._made({
                "id": article.id, "title": article.title, "url": page_url("articles", article.id),
                "date": article.date.display(), "date_iso": article.date.iso, "summary": article.summary})
        return item

    def source(self, source_id: str) -> Context:
        item = self._sources.get(source_id)
        if item is None:
            source = self.brief.sources[source_id]
            item = self._sources[source_id] = self._made({
                "id": source.id, "title": source.title, "publication": source.publication,
                "url": page_url("sources", source.id), "external_url": source.url,
                "authors": list(source.authors), "date": source.date.display() if source.date else "",
                "date_iso": source.date.iso if source.date else "", "reliability": source.reliability})
        return item

    def event(self, event_id: str) -> Context:
        item = self._events.get(event_id)
        if item is None:
            event = self.brief.events[event_id]
            when = event.date
            item = self._events[event_id] = self._made({
                "id": event.id, "title": event.title, "url": page_url("events", event.id),
                "date": when.display(), "date_iso": when.known.iso, "end_iso": when.end.iso if when.end else "",
                "precision": when.precision, "is_range": when.interval, "span": _span(when),
                "start_precision": when.start.precision if when.start else "",
                "end_precision": when.end.precision if when.end else "",
                "approximate": when.approximate, "uncertain": when.uncertain,
                "open_start": when.open_start, "open_end": when.open_end, "place": event.place,
                "summary": self.brief.event_summaries.get(event_id, ""),
                "actors": [self.actor(p.actor, p.role) for p in self.brief.event_actors[event.id]],
                "articles": [self.article(a) for a in self.brief.event_articles[event.id]],
            })
        return item


def hashable(value: Any, digests: Mapping[int, str]) -> Any:
    """``value`` with each entry of ``Items`` in it swapped for its digest (``Items.digests``).

    What a page's hash is made of: the same entries recur on thousands of
    pages, and spelling each one out for every page was most of the cost of
    hashing them.
    """
    if type(value) is dict:
        known = digests.get(id(value))
        if known is not None:
            return (_ENTRY, known)
        return {key: hashable(item, digests) for key, item in value.items()}
    if type(value) is list:
        return [hashable(item, digests) for item in value]
    return value


_ENTRY = "\0entry"
"""Marks a digest that stands for an entry (no context holds a NUL)."""


def _span(when: EventDate) -> str:
    """What an interval covers, in the machine forms, for a tooltip: "From 2020-08-25 to 2020-08-29"."""
    if not when.interval:
        return ""
    start = when.start.edtf if when.start else "an open start" if when.open_start else "an unknown start"
    end = when.end.edtf if when.end else "now, still going on" if when.open_end else "an unknown end"
    return f"From {start} to {end}"


class BodyRef(NamedTuple):
    """A rendered body in a page context, named by its digest: the HTML is filled in
    at render time, so contexts stay small and hash by what the HTML is."""

    key: str
    digest: str
    variant: str = ""
    """Rendered for another page than its own (``bodies.variant_job``): "print"."""


def body_html(brief: Brief, kind: str, doc_id: str, variant: str = "") -> BodyRef | str:
    key = body_key(kind, doc_id) if kind != "index" else "index"
    result = brief.bodies.get(key)
    return BodyRef(key, result.html_digest, variant) if result else ""


READING_SPEED = 230
"""Words a minute of an adult reading prose on a screen (Brysbaert 2019: 238 for non-fiction)."""


def reading_minutes(brief: Brief, kind: str, doc_id: str) -> int:
    """Whole minutes to read a body, at least one."""
    result = brief.bodies.get(body_key(kind, doc_id))
    return max(1, -(-result.words // READING_SPEED)) if result else 1


def body_lead(brief: Brief, kind: str, doc_id: str) -> str:
    """The first sentence of a body, as plain text ("" for none)."""
    result = brief.bodies.get(body_key(kind, doc_id))
    return result.lead if result else ""


def page_history(brief: Brief, src_path: str) -> Context | None:
    """When the page's file was first published and last updated, and its newest changes,
    as git tells (``history.py``); None without git, where the page shows no history."""
    known = brief.history.get(src_path)
    if known is None:
        return None
    return {"published": known.published.display(), "published_iso": known.published.iso,
            "updated": known.updated.display(), "updated_iso": known.updated.iso, "count": known.count,
            "changes": [{"date": change.when.display(), "date_iso": change.when.iso, "subject": change.subject,
                         "committed": change.committed} for change in known.changes]}


def make_page(dest_path: str, template: str, title: str, section: str, **values: Any) -> PageSpec:
    context = {"root": relative_root(dest_path), "page_title": title, "section": section,
               "dest_path": dest_path, **values}
    return PageSpec(dest_path, template, context)


def site_context(brief: Brief) -> Context:
    """Values every template sees as ``site``."""
    config = brief.config
    return {"title": config.title, "description": config.description, "language": config.language,
            "base_url": config.base_url, "generator": f"briefgen {__version__}",
            "has_tags": bool(brief.tags), "has_sources": bool(brief.sources)}


class PagePlan(Sequence[PageSpec]):
    """The site map as a list whose pages are made when they are read.

    Each render worker makes the contexts of its own pages, in parallel,
    instead of the parent making all of them before the workers start; a page
    is the same whichever process makes it.
    """

    def __init__(self, brief: Brief) -> None:
        from briefgen.editions import preview_data, print_edition  # they build on Items
        from briefgen.source_pages import redirect, source_index, source_page  # they build on this module

        items = Items(brief)
        self.item_digests = items.digests
        """For ``hashable``: filled as pages are made, in the process that makes them."""
        order = list(brief.events)
        self._makers: list[Callable[[], PageSpec]] = [
            # The biggest files first, so that the last chunks of the workers are light.
            partial(_brief_json, brief), partial(_calendar, items), partial(_facets, brief),
            partial(print_edition, items), partial(preview_data, items), partial(_feed, items),
            partial(_sitemap, brief), *(partial(_export, brief, name) for name in EXPORTS),
            partial(_front_page, items), partial(_article_list, items), partial(_actor_index, items),
            partial(_timeline, items), partial(_tag_index, items), partial(_network, brief),
            *(partial(_article_page, items, a) for a in brief.articles.values()),
            *(partial(_actor_page, items, a) for a in brief.actors.values()),
            *(partial(_event_page, items, order, i) for i in range(len(order))),
            *(partial(_tag_page, items, slug) for slug in brief.tags),
            *((partial(source_index, items),) if brief.sources else ()),
            *(partial(source_page, items, s) for s in brief.sources.values()),
            *(partial(redirect, old, new) for old, new in brief.redirects.items()),
            partial(make_page, "search/index.html", "search.html", "Search", "search"),
            partial(make_page, "404.html", "404.html", "Page not found", ""),
            *(partial(_actor_feed, items, a) for a in brief.actors),
            *(partial(_tag_feed, items, slug) for slug in brief.tags),
        ]

    def __len__(self) -> int:
        return len(self._makers)

    @overload
    def __getitem__(self, index: int) -> PageSpec: ...

    @overload
    def __getitem__(self, index: slice) -> list[PageSpec]: ...

    def __getitem__(self, index: int | slice) -> PageSpec | list[PageSpec]:
        if isinstance(index, slice):
            return [make() for make in self._makers[index]]
        return self._makers[index]()

    def __iter__(self) -> Iterator[PageSpec]:
        return (make() for make in self._makers)


def plan_pages(brief: Brief) -> list[PageSpec]:
    """Every page of the site map, in a stable order."""
    return list(PagePlan(brief))


DATA_FILE = ""
"""The template of a file that is data, not a page: its context is the file's ``text`` (brief.json)
or the data to make it from (events.ics); ``data_text`` gives the file."""

def _export(brief: Brief, name: str) -> PageSpec:
    return PageSpec(name, DATA_FILE, {"text": EXPORTS[name](brief)})


def _brief_json(brief: Brief) -> PageSpec:
    return PageSpec("brief.json", DATA_FILE, {"text": brief_data(brief)})


def _facets(brief: Brief) -> PageSpec:
    return PageSpec(FACETS_PATH, DATA_FILE, {"text": facet_script(brief)})


def _calendar(items: Items) -> PageSpec:
    return PageSpec("events.ics", DATA_FILE, {"calendar": [items.event(e) for e in items.brief.events]})


def data_text(context: Context, site: Context) -> str:
    """The text of a data file. The calendar is made from its entries only here, when the
    file must be written: its context hashes as the digests of the entries, cheaply, and
    an unchanged calendar is not made again."""
    if "calendar" in context:
        return calendar_text(context["calendar"], site)
    text: str = context["text"]
    return text


def _sitemap(brief: Brief) -> PageSpec:
    return make_page("sitemap.xml", "sitemap.xml", "", "", urls=_sitemap_urls(brief), lastmod=_lastmod(brief))


def _front_page(items: Items) -> PageSpec:
    brief = items.brief
    config = brief.config
    key_actors = sorted(brief.actors.values(), key=lambda a: (-brief.actor_mentions[a.id], a.name.casefold()))
    events = list(brief.events.values())[-config.front_page_events:] if config.front_page_events else []
    lead_title = brief.index_page.title if brief.index_page and brief.index_page.title else config.title
    return make_page(
        "index.html", "index.html", lead_title, "home",
        lead_html=body_html(brief, "index", ""),
        articles=[items.article(a.id) for a in list(brief.articles.values())[:config.front_page_articles]],
        key_actors=[{**items.actor(a.id), "mentions": brief.actor_mentions[a.id]}
                    for a in key_actors[:config.front_page_actors]],
        events=[items.event(e.id) for e in reversed(events)],
        counts={"articles": len(brief.articles), "actors": len(brief.actors), "events": len(brief.events)},
    )


def _article_list(items: Items) -> PageSpec:
    brief = items.brief
    return make_page("articles/index.html", "articles.html", "Articles", "articles",
                     articles=[items.article(a.id) for a in brief.articles.values()],
                     facets=facet_form(brief, KIND_LABELS, "articles"))


def _article_page(items: Items, article: Article) -> PageSpec:
    brief = items.brief
    source = None
    if article.source and not cited_record(article.source, brief.sources):  # a record is among its sources
        s = article.source
        source = {"publication": s.publication, "url": s.url, "title": s.title,
                  "published": s.published.display() if s.published else "",
                  "published_iso": s.published.iso if s.published else ""}
    return make_page(
        f"articles/{article.id}/index.html", "article.html", article.title, "articles",
        article={**items.article(article.id), "authors": list(article.authors), "source": source,
                 "body_html": body_html(brief, "article", article.id),
                 "reading_minutes": reading_minutes(brief, "article", article.id),
                 "lead": body_lead(brief, "article", article.id),
                 "tags": [{"name": brief.tags[slug].name, "url": page_url("tags", slug)}
                          for slug in dict.fromkeys(map(slugify, article.tags)) if slug in brief.tags]},
        actors=(actors := [items.actor(a) for a in brief.article_actors[article.id]]),
        actor_groups=kind_groups(actors),
        events=[items.event(e) for e in
                sorted(brief.article_events[article.id], key=brief.event_rank.__getitem__)],
        related=[items.article(a) for a in brief.related_articles[article.id]],
        sources=[items.source(s) for s in brief.article_sources[article.id]],
        cited_articles=[items.article(a) for a in brief.article_cited[article.id]],
        source_urls=list(article.source_urls),
        history=page_history(brief, article.src_path),
    )


def kind_groups(actors: list[Context]) -> list[Context]:
    """Actors grouped by kind, in the actor index's order of kinds."""
    groups: dict[str, list[Context]] = {}
    for actor in actors:
        groups.setdefault(actor["kind"], []).append(actor)
    return [{"kind": kind, "label": KIND_LABELS[kind][1], "actors": groups[kind]}
            for kind in ACTOR_KINDS if kind in groups]


def _actor_index(items: Items) -> PageSpec:
    brief = items.brief
    entries = [{**items.actor(a.id), "mentions": brief.actor_mentions[a.id],
                "articles": len(brief.actor_articles[a.id]), "events": len(brief.actor_events[a.id])}
               for a in brief.actors.values()]
    return make_page("actors/index.html", "actors.html", "Actors", "actors", groups=kind_groups(entries),
                     facets=facet_form(brief, KIND_LABELS, "actors"))


def _network(brief: Brief) -> PageSpec:
    return make_page("actors/network/index.html", "network.html", "Network of actors", "actors",
                     network=network(brief), kinds=[{"kind": k, "label": KIND_LABELS[k][1]} for k in ACTOR_KINDS])


def _actor_page(items: Items, actor: Actor) -> PageSpec:
    brief = items.brief
    mentioned_only = {e: True for e in brief.actor_events[actor.id]
                      if all(p.actor != actor.id for p in brief.event_actors[e])}
    target = brief.affiliations.get(actor.id)
    affiliation = items.actor(target) if target else None
    return make_page(
        f"actors/{actor.id}/index.html", "actor.html", actor.name, "actors",
        actor={**items.actor(actor.id), "kind_label": KIND_LABELS[actor.kind][0],
               "kind_group": KIND_LABELS[actor.kind][1], "aliases": list(actor.aliases),
               "affiliation": affiliation, "body_html": body_html(brief, "actor", actor.id),
               "mentions": brief.actor_mentions[actor.id],
               "on_timeline": len(mentioned_only) < len(brief.actor_events[actor.id])},
        events=[items.event(e) for e in brief.actor_events[actor.id]],
        mentioned_only=mentioned_only,
        articles=[items.article(a) for a in brief.actor_articles[actor.id]],
        co_mentioned=[{**items.actor(other), "count": count} for other, count in brief.co_mentions[actor.id]],
        members=[items.actor(m) for m in brief.members[actor.id]],
        history=page_history(brief, actor.src_path),
    )


def _event_page(items: Items, order: list[str], position: int) -> PageSpec:
    brief = items.brief
    event = brief.events[order[position]]
    previous = brief.events[order[position - 1]] if position > 0 else None
    following = brief.events[order[position + 1]] if position + 1 < len(order) else None
    return make_page(
        f"events/{event.id}/index.html", "event.html", event.title, "timeline",
        event={**items.event(event.id), "body_html": body_html(brief, "event", event.id),
               "source_urls": list(event.source_urls),
               "sources": [items.source(s) for s in brief.event_sources[event.id]],
               "after": [items.event(e) for e in brief.event_after.get(event.id, ())],
               "before": [items.event(e) for e in brief.event_before.get(event.id, ())]},
        previous=items.event(previous.id) if previous else None,
        next=items.event(following.id) if following else None,
        history=page_history(brief, event.src_path),
    )


def _timeline(items: Items) -> PageSpec:
    brief = items.brief
    years: dict[int, dict[int, list[Context]]] = defaultdict(lambda: defaultdict(list))
    for event in brief.events.values():  # in timeline order, which keeps each month's events together
        year, month = brief.timeline_months[event.id]
        years[year][month].append(items.event(event.id))
    groups = [{"year": year, "id": f"y{year}", "months": [
        {"month": month, "label": MONTH_NAMES[month] if month else "Date within the year unknown",
         "id": f"y{year}-{month:02d}" if month else f"y{year}-unknown", "events": entries}
        for month, entries in months.items()]} for year, months in years.items()]
    return make_page("timeline/index.html", "timeline.html", "Timeline", "timeline", years=groups,
                     facets=facet_form(brief, KIND_LABELS, "events"), count=len(brief.events))


def _tag_index(items: Items) -> PageSpec:
    brief = items.brief
    return make_page("tags/index.html", "tags.html", "Topics", "tags", tags=[
        {"name": t.name, "url": page_url("tags", t.slug), "count": len(t.articles)} for t in brief.tags.values()])


def _tag_page(items: Items, slug: str) -> PageSpec:
    brief = items.brief
    tag = brief.tags[slug]
    return make_page(f"tags/{slug}/index.html", "tag.html", tag.name, "tags", tag={"name": tag.name, "slug": slug},
                 articles=[items.article(a) for a in tag.articles])


FEED_ARTICLES = 50


def _feed_articles(brief: Brief) -> list[str]:
    return list(brief.articles)[:FEED_ARTICLES]


def _feed(items: Items) -> PageSpec:
    brief = items.brief
    return make_page("feed.xml", "feed.xml", brief.config.title, "",
                 feed={"page": "", "urn": "urn:briefgen:feed", "subtitle": brief.config.description},
                 articles=[_feed_entry(items, brief.articles[a]) for a in _feed_articles(brief)])


def _actor_feed(items: Items, actor_id: str) -> PageSpec:
    """The articles that name one actor, newest first, as the actor's page lists them."""
    brief = items.brief
    name = brief.actors[actor_id].name
    return make_page(f"actors/{actor_id}/feed.xml", "feed.xml", f"{brief.config.title}: {name}", "",
                 feed={"page": page_url("actors", actor_id), "urn": f"urn:briefgen:feed:actor:{actor_id}",
                       "subtitle": f"Articles that mention {name}"},
                 articles=[_feed_entry(items, brief.articles[a], whole=False)
                           for a in brief.actor_articles[actor_id][:FEED_ARTICLES]])


def _tag_feed(items: Items, slug: str) -> PageSpec:
    brief = items.brief
    tag = brief.tags[slug]
    return make_page(f"tags/{slug}/feed.xml", "feed.xml", f"{brief.config.title}: {tag.name}", "",
                 feed={"page": page_url("tags", slug), "urn": f"urn:briefgen:feed:tag:{slug}",
                       "subtitle": f"Articles on {tag.name}"},
                 articles=[_feed_entry(items, brief.articles[a], whole=False) for a in tag.articles[:FEED_ARTICLES]])


def _feed_entry(items: Items, article: Article, whole: bool = True) -> Context:
    """An article in a feed: whole in the site's feed; in an actor's or a topic's, by title and
    summary, since an article would be repeated in the feed of every actor it names.

    Only the site's feed dates an entry by the article file's history: it shows the article's
    text, so the quick rebuild that re-dates an edited article renders it again. The actor and
    topic feeds show no text and keep the publication date, so an edit need not render them."""
    brief = items.brief
    published = _timestamp(article.date)
    return {**items.article(article.id), "published": published,
            "updated": _article_updated(brief, article) if whole else published,
            "authors": list(article.authors),
            "tags": [{"slug": slug, "name": brief.tags[slug].name}
                     for slug in dict.fromkeys(map(slugify, article.tags)) if slug in brief.tags],
            "body_html": body_html(brief, "article", article.id) if whole else ""}


def _timestamp(date: FuzzyDate) -> str:
    return f"{date.year:04d}-{max(date.month, 1):02d}-{max(date.day, 1):02d}T00:00:00Z"


def _iso(moment: Moment) -> str:
    return moment.iso


def _article_updated(brief: Brief, article: Article, iso: Callable[[Moment], str] = _iso) -> str:
    """The last change of the article's file, never before its date (which may lie ahead of the commit)."""
    known = brief.history.get(article.src_path)
    published = _timestamp(article.date)
    return max(published, iso(known.updated)) if known is not None else published


def _lastmod(brief: Brief) -> dict[str, str]:
    """Sitemap ``lastmod`` of each document's page: when its file last changed; an article's
    date without git, and nothing for actors and events, whose dates are not the page's."""
    made: dict[Moment, str] = {}  # files share their commits' moments: each is written out once

    def iso(moment: Moment) -> str:
        text = made.get(moment)
        if text is None:
            text = made[moment] = moment.iso
        return text

    lastmod = {page_url("articles", a.id): _article_updated(brief, a, iso) for a in brief.articles.values()}
    for section, documents in (("actors", brief.actors), ("events", brief.events), ("sources", brief.sources)):
        for doc_id, document in documents.items():
            known = brief.history.get(document.src_path)
            if known is not None:
                lastmod[page_url(section, doc_id)] = iso(known.updated)
    return lastmod


def _sitemap_urls(brief: Brief) -> list[str]:
    urls = ["", "articles/", "actors/", "actors/network/", "timeline/"]
    urls += [page_url("articles", a) for a in brief.articles]
    urls += [page_url("actors", a) for a in brief.actors]
    urls += [page_url("events", e) for e in brief.events]
    if brief.tags:
        urls += ["tags/"] + [page_url("tags", t) for t in brief.tags]
    if brief.sources:
        urls += ["sources/"] + [page_url("sources", s) for s in brief.sources]
    return urls


