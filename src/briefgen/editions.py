"""The brief read another way than page by page: the print edition and the preview cards' data.

Both are made from the entries ``pages.Items`` makes, and both are part of the page plan.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from briefgen.bodies import PRINT
from briefgen.pages import DATA_FILE, KIND_LABELS, Context, PageSpec, body_html, body_lead
from briefgen.pages import kind_groups, make_page as page
from briefgen.urls import page_url

if TYPE_CHECKING:
    from briefgen.pages import Items

PRINT_PAGE = "print/index.html"
PRINT_ARTICLES = 20
"""The newest articles the print edition holds whole: a printed brief of thousands of articles
helps no one, and an edit to one of them renders every one again for this page."""
PREVIEWS = "previews.js"
"""The preview cards' data: a script, since a page opened from disk (file://) may not fetch JSON."""


def print_edition(items: Items) -> PageSpec:
    """The whole brief on one page: the lead, the articles whole, the timeline, the actor register."""
    brief = items.brief
    articles = list(brief.articles.values())
    actors = [{**items.actor(a.id), "aliases": list(a.aliases), "mentions": brief.actor_mentions[a.id]}
              for a in brief.actors.values()]
    return page(
        PRINT_PAGE, "print.html", "Print edition", "print",
        lead_html=body_html(brief, "index", "", PRINT),
        articles=[{**items.article(a.id), "authors": list(a.authors),
                   "body_html": body_html(brief, "article", a.id, PRINT)} for a in articles[:PRINT_ARTICLES]],
        more_articles=max(0, len(articles) - PRINT_ARTICLES),
        events=[items.event(e) for e in brief.events],
        actor_groups=kind_groups(actors),
    )


def preview_data(items: Items) -> PageSpec:
    """What a preview card says of each actor, event and article, by the folder of its page:
    its name, its kind, its role or date, and a sentence (an article's or event's summary, or
    the first sentence of the body)."""
    brief = items.brief
    cards: dict[str, dict[str, str]] = {}
    for actor in brief.actors.values():
        cards[page_url("actors", actor.id)] = _card(actor.name, KIND_LABELS[actor.kind][0], actor.role,
                                                    body_lead(brief, "actor", actor.id), actor.kind)
    for event_id in brief.events:
        entry = items.event(event_id)
        where = f"{entry['date']}, {entry['place']}" if entry["place"] else entry["date"]
        cards[entry["url"]] = _card(entry["title"], "Event", where, brief.event_summaries.get(event_id, ""))
    for article_id, article in brief.articles.items():
        entry = items.article(article_id)
        cards[entry["url"]] = _card(article.title, "Article", entry["date"],
                                    article.summary or body_lead(brief, "article", article_id))
    data = json.dumps(cards, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return PageSpec(PREVIEWS, DATA_FILE, {"text": f"/* briefgen: what the preview cards say */\n"
                                               f"window.briefgenPreviews = {data};\n"})


def _card(title: str, kind: str, detail: str, sentence: str, actor_kind: str = "") -> Context:
    card = {"t": title, "k": kind, "d": detail, "s": sentence}
    if actor_kind:
        card["c"] = actor_kind
    return {key: value for key, value in card.items() if value}
