"""The pages of source records and of renamed pages' old addresses, in the site map of ``pages``."""

from __future__ import annotations

from briefgen.documents import Source
from briefgen.pages import Context, Items, PageSpec, body_html, make_page, page_history
from briefgen.urls import relative_root


def source_index(items: Items) -> PageSpec:
    """Every source, grouped by publication."""
    brief = items.brief
    groups: dict[str, list[Context]] = {}
    for source in brief.sources.values():
        cited = brief.source_citations[source.id]
        groups.setdefault(source.publication, []).append(
            {**items.source(source.id), "cited": len(cited.articles) + len(cited.events) + len(cited.actors)})
    return make_page("sources/index.html", "sources.html", "Sources", "sources",
                     groups=[{"publication": name, "sources": entries} for name, entries in groups.items()])


def source_page(items: Items, source: Source) -> PageSpec:
    brief = items.brief
    cited = brief.source_citations[source.id]
    return make_page(
        f"sources/{source.id}/index.html", "source.html", source.title, "sources",
        source={**items.source(source.id), "body_html": body_html(brief, "source", source.id)},
        articles=[items.article(a) for a in cited.articles],
        events=[items.event(e) for e in cited.events],
        actors=[items.actor(a) for a in cited.actors],
        history=page_history(brief, source.src_path),
    )


def redirect(old: str, new: str) -> PageSpec:
    """A page left at a renamed page's old address, sending readers and crawlers on."""
    dest_path = f"{old}index.html"
    return make_page(dest_path, "redirect.html", "Moved", "", target=f"{relative_root(dest_path)}{new}index.html",
                     target_path=new)
