"""The brief as data for other tools: brief.json and the CSV exports beside it.

Every row and object names documents by the ids the pages use (the file names),
so a spreadsheet, a notebook and the site agree on what a row is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence

from briefgen import __version__
from briefgen.dates import EARLIEST_DAY, LATEST_DAY
from briefgen.documents import cited_record
from briefgen.model import Brief
from briefgen.urls import page_url

BRIEF_JSON_SCHEMA = 2
"""``schema_version`` of brief.json: raised when a field goes away or changes meaning, not when
one is added (docs/brief-json.md). 2: sources became records, and events and articles cite them."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula: such cells are written after a "'"."""
LIST_SEPARATOR = "; "
"""Between the items of a list in one cell (ids never hold it)."""


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """RFC 4180 CSV (CRLF line ends, quotes where needed), with formula-like cells defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _joined(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


def events_csv(brief: Brief) -> str:
    """One row per event, in timeline order."""
    return _csv(
        ["id", "title", "date", "start", "end", "earliest", "latest", "precision", "place", "actors", "sources",
         "source_urls", "articles", "url"],
        ([e.id, e.title, e.date.edtf, e.date.start.iso if e.date.start else "", e.date.end.iso if e.date.end else "",
          _day_iso(e.date.earliest) or "", _day_iso(e.date.latest) or "", e.date.precision, e.place,
          _joined(p.actor for p in brief.event_actors[e.id]), _joined(brief.event_sources[e.id]),
          _joined(e.source_urls), _joined(brief.event_articles[e.id]), page_url("events", e.id)]
         for e in brief.events.values()))


def event_actors_csv(brief: Brief) -> str:
    """One row per event, actor and role (as ACLED's actor exports): an actor without a role has one row."""
    return _csv(
        ["event_id", "event_date", "actor_id", "actor_name", "actor_kind", "role"],
        ([e.id, e.date.edtf, p.actor, brief.actors[p.actor].name, brief.actors[p.actor].kind, p.role]
         for e in brief.events.values() for p in brief.event_actors[e.id]))


def actors_csv(brief: Brief) -> str:
    """One row per actor, by name."""
    return _csv(
        ["id", "name", "kind", "role", "affiliation", "aliases", "mentions", "articles", "events", "url"],
        ([a.id, a.name, a.kind, a.role, brief.affiliations.get(a.id, ""), _joined(a.aliases),
          brief.actor_mentions[a.id], len(brief.actor_articles[a.id]), len(brief.actor_events[a.id]),
          page_url("actors", a.id)] for a in brief.actors.values()))


def sources_csv(brief: Brief) -> str:
    """One row per source record, by publication and date."""
    return _csv(
        ["id", "title", "publication", "authors", "date", "external_url", "reliability", "articles", "events",
         "actors", "url"],
        ([s.id, s.title, s.publication, _joined(s.authors), s.date.edtf if s.date else "", s.url, s.reliability,
          _joined(brief.source_citations[s.id].articles), _joined(brief.source_citations[s.id].events),
          _joined(brief.source_citations[s.id].actors), page_url("sources", s.id)]
         for s in brief.sources.values()))


EXPORTS: dict[str, Callable[[Brief], str]] = {
    "events.csv": events_csv, "event_actors.csv": event_actors_csv, "actors.csv": actors_csv,
    "sources.csv": sources_csv,
}
"""The CSV files beside brief.json, by name (docs/exports.md)."""


def _day_iso(day: int) -> str | None:
    """A day number of ``dates`` (YYYYMMDD) as ISO, None beyond every date (an open or unknown end)."""
    if day in (EARLIEST_DAY, LATEST_DAY):
        return None
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}"


def brief_data(brief: Brief) -> str:
    """brief.json: the linked model as data, for other tools."""
    data = {
        "schema_version": BRIEF_JSON_SCHEMA,
        "generator": f"briefgen {__version__}",
        "title": brief.config.title,
        "articles": [{
            "id": a.id, "title": a.title, "date": a.date.iso, "summary": a.summary, "authors": list(a.authors),
            "tags": list(a.tags), "url": page_url("articles", a.id),
            "source": ({"publication": a.source.publication, "url": a.source.url, "title": a.source.title,
                        "published": a.source.published.iso if a.source.published else None}
                       if a.source and not cited_record(a.source, brief.sources) else None),
            "actors": list(brief.article_actors[a.id]), "events": list(brief.article_events[a.id]),
            "related": list(brief.related_articles[a.id]), "sources": list(brief.article_sources[a.id]),
            "cited_articles": list(brief.article_cited[a.id]), "source_urls": list(a.source_urls),
        } for a in brief.articles.values()],
        "actors": [{
            "id": a.id, "name": a.name, "kind": a.kind, "role": a.role, "aliases": list(a.aliases),
            "affiliation": brief.affiliations.get(a.id),
            "url": page_url("actors", a.id), "mentions": brief.actor_mentions[a.id],
            "articles": list(brief.actor_articles[a.id]), "events": list(brief.actor_events[a.id]),
            "co_mentions": [{"actor": o, "count": c} for o, c in brief.co_mentions[a.id]],
        } for a in brief.actors.values()],
        "events": [{
            "id": e.id, "title": e.title, "date": e.date.start.iso if e.date.start else None,
            "end": e.date.end.iso if e.date.end else None, "edtf": e.date.edtf, "display": e.date.display(),
            "earliest": _day_iso(e.date.earliest), "latest": _day_iso(e.date.latest),
            "precision": e.date.precision, "place": e.place, "url": page_url("events", e.id),
            "summary": brief.event_summaries.get(e.id, ""),
            "after": list(brief.event_after.get(e.id, ())), "before": list(brief.event_before.get(e.id, ())),
            "actors": [{"id": p.actor, "role": p.role or None} for p in brief.event_actors[e.id]],
            "articles": list(brief.event_articles[e.id]), "source_urls": list(e.source_urls),
            "sources": list(brief.event_sources[e.id]),
        } for e in brief.events.values()],
        "tags": [{"slug": t.slug, "name": t.name, "articles": list(t.articles)} for t in brief.tags.values()],
        "sources": [{
            "id": s.id, "title": s.title, "publication": s.publication, "authors": list(s.authors),
            "url": page_url("sources", s.id), "external_url": s.url or None,
            "date": s.date.iso if s.date else None, "reliability": s.reliability, "names": list(s.names),
            "articles": list(brief.source_citations[s.id].articles), "events": list(brief.source_citations[s.id].events),
            "actors": list(brief.source_citations[s.id].actors),
        } for s in brief.sources.values()],
        "redirects": [{"from": old, "to": new} for old, new in brief.redirects.items()],
    }
    # No indent: json's fast C encoder only runs without one.
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

