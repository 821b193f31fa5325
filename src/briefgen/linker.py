"""Resolving every reference into a ``Brief``, collecting all problems first."""

from __future__ import annotations

import heapq
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from briefgen.chronology import Precedence, order_events
from briefgen.config import Config
from briefgen.documents import Actor, Article, Document, Event, IndexPage, Ref, Source, cited_record
from briefgen.errors import BriefError, did_you_mean, error, warning
from briefgen.markdown import ActorTarget, BodyResult, LinkIndex, draft_reference
from briefgen.model import Brief, Citations, Participation, Tag, body_key
from briefgen.urls import TAKEN_ACTOR_IDS, page_url, slugify

RELATED_LIMIT = 5
RARE_FEATURE = 40
CO_MENTION_LIMIT = 8


def index_documents(
    documents: Sequence[Document], broken: frozenset[str] = frozenset(), drafts: Sequence[Document] = (),
) -> tuple[LinkIndex, list[BriefError]]:
    """Collect link targets; refuse names and aliases that two actors claim.

    ``broken`` names the files that failed to parse (``"actor:putin"``), so
    that references to them do not add a second error to the first. ``drafts``
    are the drafts left out of the site: references to them are recognised
    (their names claimed like any actor's) and shown as plain text.
    """
    problems: list[BriefError] = []
    actors: dict[str, ActorTarget] = {}
    names: dict[str, str] = {}
    claimed: dict[str, tuple[str, str]] = {}  # casefolded name -> ("actor 'x'" or "source 'x'", src_path)
    events: dict[str, str] = {}
    articles: dict[str, str] = {}
    sources: dict[str, str] = {}
    source_names: dict[str, str] = {}
    unlinked: set[str] = set()
    not_names: dict[str, str] = {}
    left_out: dict[str, str] = {}
    unpublished = {doc.src_path for doc in drafts}

    def claim(doc: Actor | Source, kind: str, name: str, line: int) -> bool:
        """Names and aliases of actors and the names of sources are one namespace: each means one thing."""
        folded, owner = name.casefold(), f"{kind} '{doc.id}'"
        taken = claimed.get(folded)
        if taken and taken[0] != owner:
            what = "alias" if kind == "actor" and line else "name"
            both_actors = kind == "actor" and taken[0].startswith("actor ")
            problems.append(error(
                doc.src_path, line or 1, f"{what} '{name}' is already used by {taken[0]}",
                f"see {taken[1]}; a name or alias may stand for one actor only" if both_actors else
                f"see {taken[1]}; a name may stand for one actor or source only: a publication is a source",
            ))
            return False
        claimed.setdefault(folded, (owner, doc.src_path))
        return True

    for doc in sorted([*_entities(documents), *_entities(drafts)], key=lambda d: d.src_path):
        draft = doc.src_path in unpublished
        if draft:
            left_out[body_key(type(doc).__name__.lower(), doc.id)] = doc.name if isinstance(doc, Actor) else doc.title
        if isinstance(doc, Actor):
            if not draft:
                actors[doc.id] = ActorTarget(doc.name, doc.kind, doc.role)
            if not doc.link:
                unlinked.add(doc.id)
            labelled = [(doc.name, 0)] + list(zip(doc.aliases, doc.alias_lines))
            for name, line in labelled:
                if claim(doc, "actor", name, line):
                    names.setdefault(name, doc.id)
            for phrase in doc.not_names:
                not_names.setdefault(phrase, doc.id)
        elif isinstance(doc, Source):
            sources[doc.id] = doc.title
            for name, line in zip(doc.names, doc.name_lines):
                if claim(doc, "source", name, line):
                    source_names.setdefault(name, doc.id)
        elif draft:
            continue
        elif isinstance(doc, Event):
            events[doc.id] = doc.title
        elif isinstance(doc, Article):
            articles[doc.id] = doc.title
    return LinkIndex(actors=actors, actor_names=names, events=events, articles=articles, broken=broken,
                     drafts=left_out, sources=sources, source_names=source_names, unlinked=frozenset(unlinked),
                     not_names={phrase: owner for phrase, owner in not_names.items() if phrase not in names}), problems


def _entities(documents: Iterable[Document]) -> list[Actor | Event | Article | Source]:
    return [d for d in documents if not isinstance(d, IndexPage)]


def check_unique_ids(documents: Sequence[Document]) -> list[BriefError]:
    """Two files of one kind with the same id (possible only via odd file systems)."""
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for doc in _entities(documents):
        key = (type(doc).__name__, doc.id.casefold())
        if key in seen:
            problems.append(error(doc.src_path, 0, f"id '{doc.id}' is already used by {seen[key]}"))
        else:
            seen[key] = doc.src_path
    return problems


def link(
    documents: Sequence[Document], bodies: dict[str, BodyResult], index: LinkIndex, config: Config
) -> tuple[Brief, list[BriefError]]:
    """Build the linked ``Brief``: resolve front-matter references, compute backlinks."""
    problems: list[BriefError] = []
    for result in bodies.values():
        problems.extend(result.problems)
    articles = {a.id: a for a in sorted((d for d in documents if isinstance(d, Article)),
                                        key=lambda a: (_neg(a.date.sort_key), a.id))}
    actors = {a.id: a for a in sorted((d for d in documents if isinstance(d, Actor)),
                                      key=lambda a: (a.name.casefold(), a.id))}
    events = {e.id: e for e in sorted((d for d in documents if isinstance(d, Event)), key=lambda e: e.id)}
    sources = {s.id: s for s in sorted((d for d in documents if isinstance(d, Source)),
                                       key=lambda s: (s.publication.casefold(), _neg_date(s), s.title.casefold(), s.id))}
    index_page = next((d for d in documents if isinstance(d, IndexPage)), None)

    def resolve(kind: str, ref: Ref, src_path: str, key: str) -> str | None:
        found = index.resolve(kind, ref.target)
        if found is not None and index.is_draft(kind, found):
            problems.append(draft_reference(src_path, ref.line, kind, found, f"left out of '{key}'"))
            return None
        if found is None and not index.is_broken(kind, ref.target):
            place = f"{kind}s"
            problems.append(error(
                src_path, ref.line, f"unknown {kind} '{ref.target}' in '{key}'",
                did_you_mean(ref.target, index.candidates(kind), f"{kind.capitalize()}s live in content/{place}/."),
            ))
        return found

    def cite(ref: Ref, src_path: str) -> tuple[str, str] | None:
        """An entry of ``sources``: a source record, else an article (as before records existed)."""
        for kind in ("source", "article"):
            if index.resolve(kind, ref.target) is not None:
                found = resolve(kind, ref, src_path, "sources")  # None for a draft, which it reports
                return (kind, found) if found is not None else None
        if not index.is_broken("source", ref.target) and not index.is_broken("article", ref.target):
            problems.append(error(
                src_path, ref.line, f"unknown source '{ref.target}' in 'sources'",
                did_you_mean(ref.target, [*index.candidates("source"), *index.candidates("article")],
                             "Sources live in content/sources/; an article's id or a URL may be given too."),
            ))
        return None

    precedences = []
    for event in events.values():
        for key, refs in (("after", event.after), ("before", event.before)):
            for ref in refs:
                other = resolve("event", ref, event.src_path, key)
                if other is not None:
                    earlier, later = (other, event.id) if key == "after" else (event.id, other)
                    precedences.append(Precedence(earlier, later, event.src_path, ref.line, key))
    chronology, found = order_events({e.id: e.date for e in events.values()}, precedences)
    problems += found
    events = {event_id: events[event_id] for event_id in chronology.order}

    mentions_in: dict[str, dict[str, int]] = {key: dict(r.mentions) for key, r in bodies.items()}
    links_in: dict[str, tuple[tuple[str, str], ...]] = {key: r.links for key, r in bodies.items()}

    article_actors: dict[str, tuple[str, ...]] = {}
    article_events: dict[str, tuple[str, ...]] = {}
    event_articles: defaultdict[str, dict[str, None]] = defaultdict(dict)
    article_sources: dict[str, tuple[str, ...]] = {}
    article_cited: dict[str, tuple[str, ...]] = {}
    for article in articles.values():
        key = body_key("article", article.id)
        cited = [cite(r, article.src_path) for r in article.sources]
        named_source = cited_record(article.source, index.sources)
        article_sources[article.id] = _unique([named_source, *(c[1] for c in cited if c and c[0] == "source"),
                                               *_cited_in(links_in.get(key, ()))])
        article_cited[article.id] = _unique(c[1] for c in cited if c and c[0] == "article" and c[1] != article.id)
        declared = [resolve("actor", r, article.src_path, "actors") for r in article.actors]
        mentioned = sorted(mentions_in.get(key, {}), key=lambda a: (-mentions_in[key][a], a))
        article_actors[article.id] = _unique([*declared, *mentioned])
        declared_events = [resolve("event", r, article.src_path, "events") for r in article.events]
        linked_events = [target for kind, target in links_in.get(key, ()) if kind == "event"]
        article_events[article.id] = _unique([*declared_events, *linked_events])
        for event_id in article_events[article.id]:
            event_articles[event_id][article.id] = None

    event_actors: dict[str, tuple[Participation, ...]] = {}
    event_sources: dict[str, tuple[str, ...]] = {}
    for event in events.values():
        parts: dict[str, Participation] = {}
        for ref in event.actors:
            actor_id = resolve("actor", ref, event.src_path, "actors")
            if actor_id and actor_id not in parts:
                parts[actor_id] = Participation(actor_id, ref.role)
        event_actors[event.id] = tuple(parts.values())
        cited_sources = []
        for ref in event.sources:
            found_cite = cite(ref, event.src_path)
            if found_cite is not None and found_cite[0] == "article":
                event_articles[event.id][found_cite[1]] = None
            elif found_cite is not None:
                cited_sources.append(found_cite[1])
        event_sources[event.id] = _unique([*cited_sources, *_cited_in(links_in.get(body_key("event", event.id), ()))])
        if not event.sources and not event.source_urls and not event_sources[event.id]:
            problems.append(warning(
                event.src_path, 0, "event has no source",
                "say where it is reported: 'sources: [source-id]' (a record in content/sources/, an article "
                "or a URL), or cite one in the text with [[source:id]]; --strict makes this an error"))

    members: defaultdict[str, list[str]] = defaultdict(list)
    affiliations: dict[str, str] = {}
    for actor in actors.values():
        if actor.affiliation:
            target = resolve("actor", actor.affiliation, actor.src_path, "affiliation")
            if target == actor.id:
                problems.append(error(actor.src_path, actor.affiliation.line, "an actor cannot be affiliated with itself"))
            elif target:
                members[target].append(actor.id)
                affiliations[actor.id] = target

    # Backlinks and co-mentions over every document that names actors.
    actor_articles: defaultdict[str, list[str]] = defaultdict(list)
    for article_id in articles:
        for actor_id in article_actors[article_id]:
            actor_articles[actor_id].append(article_id)
    actor_events: defaultdict[str, list[str]] = defaultdict(list)
    groups: list[tuple[str, ...]] = [article_actors[a] for a in articles]
    event_named: dict[str, tuple[str, ...]] = {}
    for event in events.values():
        named = event_named[event.id] = _unique([p.actor for p in event_actors[event.id]]
                                                + sorted(mentions_in.get(body_key("event", event.id), {})))
        groups.append(named)
        for actor_id in named:
            actor_events[actor_id].append(event.id)

    actor_mentions: Counter[str] = Counter()
    for key, counts in mentions_in.items():
        if not key.startswith("actor:"):
            actor_mentions.update(counts)
    for group in groups:
        for actor_id in group:
            actor_mentions[actor_id] += 0
    named_with: defaultdict[str, list[str]] = defaultdict(list)
    for group in groups:
        for a in group:
            named_with[a] += group  # counted in C below, once an actor; its count of itself is dropped
    co_counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for a, others in named_with.items():
        counts = co_counts[a] = Counter(others)
        del counts[a]

    tag_articles: defaultdict[str, dict[str, None]] = defaultdict(dict)  # a dict: ordered, and `in` is O(1)
    tag_names: dict[str, str] = {}
    for article in articles.values():
        for tag in article.tags:
            slug = slugify(tag)
            if slug:
                tag_names.setdefault(slug, tag)
                tag_articles[slug][article.id] = None

    citing: dict[str, dict[str, list[str]]] = {s: {"articles": [], "events": [], "actors": []} for s in sources}
    for article_id, cited_ids in article_sources.items():
        for source_id in cited_ids:
            citing[source_id]["articles"].append(article_id)
    for event_id, cited_ids in event_sources.items():
        for source_id in cited_ids:
            citing[source_id]["events"].append(event_id)
    for actor_id in actors:
        for source_id in _cited_in(links_in.get(body_key("actor", actor_id), ())):
            citing[source_id]["actors"].append(actor_id)
    for source in sources.values():
        if not any(citing[source.id].values()):
            problems.append(warning(source.src_path, 0, "source is cited by nothing",
                                    "cite it from 'sources:' of an event or article, or with "
                                    f"[[source:{source.id}]] in a text; or delete the file"))
    redirects, found = _redirects([*articles.values(), *actors.values(), *events.values(), *sources.values()])
    problems += found

    article_rank = {article_id: rank for rank, article_id in enumerate(articles)}
    actor_rank = {actor_id: rank for rank, actor_id in enumerate(actors)}  # actors are in name order
    brief = Brief(
        config=config,
        articles=articles,
        actors=actors,
        events=events,
        bodies=bodies,
        index_page=index_page,
        article_actors=article_actors,
        article_events=article_events,
        related_articles=_related(articles, article_actors, article_events, {
            a: [t for kind, t in links_in.get(body_key("article", a), ()) if kind == "article"] for a in articles}),
        event_actors=event_actors,
        event_articles={e: tuple(sorted(event_articles[e], key=article_rank.__getitem__)) for e in events},
        actor_articles={a: tuple(actor_articles[a]) for a in actors},
        actor_events={a: tuple(actor_events[a]) for a in actors},
        event_named=event_named,
        event_summaries={e.id: e.summary or _lead(bodies, e.id) for e in events.values()},
        actor_mentions={a: actor_mentions[a] for a in actors},
        co_mentions={a: _top_co_mentions(co_counts[a], actor_rank) for a in actors},
        members={a: tuple(sorted(members[a], key=lambda m: actors[m].name.casefold())) for a in actors},
        affiliations=affiliations,
        event_rank={event_id: rank for rank, event_id in enumerate(events)},
        event_after=chronology.after,
        event_before=chronology.before,
        timeline_months=chronology.months,
        tags={slug: Tag(slug, tag_names[slug], tuple(tag_articles[slug])) for slug in sorted(tag_articles)},
        sources=sources,
        article_sources=article_sources,
        article_cited=article_cited,
        event_sources=event_sources,
        source_citations={s: Citations(tuple(c["articles"]), tuple(c["events"]), tuple(c["actors"]))
                          for s, c in citing.items()},
        redirects=redirects,
    )
    return brief, problems


def _cited_in(links: Iterable[tuple[str, str]]) -> list[str]:
    """The sources a body cites: [[source:...]] links and attribution phrases, in order."""
    return [target for kind, target in links if kind == "source"]


def _neg_date(source: Source) -> tuple[int, int, int]:
    return _neg(source.date.sort_key) if source.date else (1, 0, 0)


SECTION_OF = {Article: "articles", Actor: "actors", Event: "events", Source: "sources"}


def _redirects(documents: Sequence[Article | Actor | Event | Source]) -> tuple[dict[str, str], list[BriefError]]:
    """Old page addresses (``actors/old-id/``) to the pages now there, from ``redirect_from``.

    An old id may not be a live id of the same section, nor claimed by two documents:
    either would leave one of two pages at that address."""
    live = {page_url(SECTION_OF[type(doc)], doc.id): doc.src_path for doc in documents}
    live.update({page_url("actors", taken): f"the page actors/{taken}/" for taken in TAKEN_ACTOR_IDS})
    redirects: dict[str, str] = {}
    claimed: dict[str, str] = {}
    problems: list[BriefError] = []
    for doc in sorted(documents, key=lambda d: d.src_path):
        for ref in doc.redirect_from:
            section, _, old_id = ref.target.rpartition("/")
            old = page_url(section or SECTION_OF[type(doc)], old_id)
            if old in live:
                problems.append(error(doc.src_path, ref.line, f"'redirect_from' names '{ref.target}', a live id",
                                      f"{live[old]} has that address now; a page cannot redirect from one in use"))
            elif old in claimed and claimed[old] != doc.src_path:
                problems.append(error(doc.src_path, ref.line, f"'redirect_from' names '{ref.target}', as {claimed[old]} does",
                                      "an old address can redirect to one page only"))
            else:
                claimed[old] = doc.src_path
                redirects[old] = page_url(SECTION_OF[type(doc)], doc.id)
    return dict(sorted(redirects.items())), problems


def _top_co_mentions(counts: Counter[str], actor_rank: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """The actors most often named with one actor, most first, then by name.

    A prominent actor shares pages with thousands of others; only the top
    few are shown, so they are picked (n log k), not all sorted."""
    return tuple(_top(counts, actor_rank, CO_MENTION_LIMIT))


def _top(counts: Mapping[str, int], rank: Mapping[str, int], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` keys with the highest counts, ties in ``rank`` order, and their counts.

    Candidates are compared as tuples, in C: a key function called for each of
    them dominated the cost of linking a large brief."""
    best = heapq.nsmallest(limit, zip(map(operator.neg, counts.values()), map(rank.__getitem__, counts), counts))
    return [(key, -negative) for negative, _, key in best]


def _lead(bodies: Mapping[str, BodyResult], event_id: str) -> str:
    result = bodies.get(body_key("event", event_id))
    return result.lead if result else ""


def _neg(key: tuple[int, int, int]) -> tuple[int, int, int]:
    return (-key[0], -key[1], -key[2])


def _unique(items: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _related(
    articles: dict[str, Article], article_actors: dict[str, tuple[str, ...]],
    article_events: dict[str, tuple[str, ...]], article_links: dict[str, list[str]],
) -> dict[str, tuple[str, ...]]:
    """Articles linked from the text, then those sharing the most events, actors and tags.

    Scored through an inverted index (feature -> articles), never over all
    pairs; a feature shared by more than ``RARE_FEATURE`` articles says too
    little about relatedness to be worth its cost, so it is passed over.
    """
    by_feature: defaultdict[str, list[str]] = defaultdict(list)
    features: dict[str, list[str]] = {}
    for article in articles.values():
        own = ([f"e:{e}" for e in article_events[article.id]]
               + [f"a:{a}" for a in article_actors[article.id]]
               + [f"t:{slugify(t)}" for t in article.tags])
        features[article.id] = own
        for feature in own:
            sharers = by_feature[feature]
            if not sharers or sharers[-1] != article.id:  # two tags may make one slug
                sharers.append(article.id)
    order = {article_id: rank for rank, article_id in enumerate(articles)}
    related: dict[str, tuple[str, ...]] = {}
    for article_id, own in features.items():
        sharing: list[str] = []
        for feature in own:
            sharers = by_feature[feature]
            if len(sharers) <= RARE_FEATURE:  # an event counts three times
                sharing += sharers * 3 if feature[0] == "e" else sharers
        scores = Counter(sharing)  # counted in C
        for linked in dict.fromkeys(article_links[article_id]):
            scores[linked] += 100
        scores.pop(article_id, None)
        related[article_id] = tuple(other for other, _ in _top(scores, order, RELATED_LIMIT))
    return related
