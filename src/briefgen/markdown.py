"""The one configured Markdown renderer, with briefgen's two plugins.

``[[...]]`` cross-links are an inline rule; actor mentions are found by a core
rule that walks the token stream, so code, headings and existing links are
skipped by construction rather than by regexes over HTML.
"""

from __future__ import annotations

import re
from itertools import accumulate
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from briefgen import hashing
from briefgen.errors import BriefError, did_you_mean, error, warning
from briefgen.outline import ID_PREFIX, outline_plugin
from briefgen.summaries import event_lead
from briefgen.urls import slugify

WORD_RE = re.compile(r"\w+")
_SPLIT_RE = re.compile(r"(\w+)")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
PREFIXES = ("actor", "event", "article", "source")
SOURCE_MENTION = "source:"
"""Prefix of a trie value that is a source's id: actor ids have no ':'."""
NO_LINK = ""
"""Trie value of a phrase that is matched only so that no shorter name inside it links."""
MAX_NESTING = 32
"""How deep block quotes and lists may nest in a body: far beyond what writing needs, and
a fixed rule, the same on every interpreter, instead of whatever the stack allows."""
PARSER_NESTING = 100
"""markdown-it's own guard (``maxNesting``, counting two levels for a list): above anything
``MAX_NESTING`` allows, so its quiet cut is never reached, and it bounds the inline parser's
recursion well inside Python's limit."""


@dataclass(frozen=True, slots=True)
class ActorTarget:
    name: str
    kind: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class LinkIndex:
    """Everything a body may link to: plain data, cheap to send to a worker."""

    actors: dict[str, ActorTarget] = field(default_factory=dict)
    actor_names: dict[str, str] = field(default_factory=dict)
    """Every name and alias, exactly as written, to its actor id."""
    events: dict[str, str] = field(default_factory=dict)
    """Event id to title."""
    articles: dict[str, str] = field(default_factory=dict)
    """Article id to title."""
    broken: frozenset[str] = frozenset()
    """``"actor:<id>"`` (and events, articles) of files that exist but failed to parse:
    references to them are not reported again, the file's own errors say it all."""
    drafts: dict[str, str] = field(default_factory=dict)
    """``"actor:<id>"`` (and events, articles) of the drafts left out of the site, to their
    name or title; the names and aliases of draft actors are in ``actor_names`` too, so that
    the longest name wins as always. A reference to a draft is shown as plain text."""
    sources: dict[str, str] = field(default_factory=dict)
    """Source id to title."""
    source_names: dict[str, str] = field(default_factory=dict)
    """Every attribution phrase of a source, exactly as written, to its source id."""
    unlinked: frozenset[str] = frozenset()
    """Actors whose names are never linked where the text uses them (``link: false``)."""
    not_names: dict[str, str] = field(default_factory=dict)
    """Phrases that contain a name but are not it (an actor's ``not:``), to the actor that says so."""
    folded: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per kind, every id, name, alias or title casefolded, to its id (first one wins)."""

    def __post_init__(self) -> None:
        if not self.folded:
            tables: dict[str, dict[str, str]] = {"actor": {}, "event": {}, "article": {}, "source": {}}
            for name, actor_id in [*((i, i) for i in self.actors), *self.actor_names.items()]:
                tables["actor"].setdefault(name.casefold(), actor_id)
            for name, source_id in self.source_names.items():
                tables["source"].setdefault(name.casefold(), source_id)
            for kind, items in (("event", self.events), ("article", self.articles), ("source", self.sources)):
                for doc_id in items:
                    tables[kind].setdefault(doc_id.casefold(), doc_id)
                for doc_id, title in items.items():
                    tables[kind].setdefault(title.casefold(), doc_id)
            for key, shown in self.drafts.items():  # after the published documents: they win
                kind, _, doc_id = key.partition(":")
                tables[kind].setdefault(doc_id.casefold(), doc_id)
                if kind != "actor":
                    tables[kind].setdefault(shown.casefold(), doc_id)
            object.__setattr__(self, "folded", tables)

    def mention_names(self) -> dict[str, str]:
        """What the text is searched for, to what a match means: an actor id, ``source:<id>``,
        or ``NO_LINK`` (names of ``link: false`` actors and ``not:`` phrases). One table, so
        the longest match wins whatever it is."""
        names = {name: NO_LINK if actor_id in self.unlinked else actor_id
                 for name, actor_id in self.actor_names.items()}
        for name, source_id in self.source_names.items():
            names.setdefault(name, SOURCE_MENTION + source_id)
        for phrase in self.not_names:
            names.setdefault(phrase, NO_LINK)
        return names

    def _exact(self, kind: str) -> Mapping[str, object]:
        tables: dict[str, Mapping[str, object]] = {
            "actor": self.actors, "event": self.events, "article": self.articles, "source": self.sources}
        return tables[kind]

    def resolve(self, kind: str, target: str) -> str | None:
        """The id that ``target`` (an id, a name, an alias or a title) stands for."""
        exact = self._exact(kind)
        if target in exact:
            return target
        if kind == "actor" and target in self.actor_names:
            return self.actor_names[target]
        return self.folded[kind].get(target.casefold())

    def is_broken(self, kind: str, target: str) -> bool:
        return f"{kind}:{target.casefold()}" in self.broken

    def is_draft(self, kind: str, doc_id: str) -> bool:
        return f"{kind}:{doc_id}" in self.drafts

    def candidates(self, kind: str) -> list[str]:
        if kind == "actor":
            return [*self.actors, *self.actor_names]
        if kind == "source":
            return [*self.sources, *self.source_names]
        return list(self._exact(kind))


@dataclass(frozen=True, slots=True)
class BodyResult:
    """A rendered body and what it links to."""

    html: str | None
    """None once the bodies stage has taken the HTML apart (as UTF-8), or when the
    body came from the cache: then it is rendered again only if a page needs it."""
    html_digest: str = ""
    mentions: tuple[tuple[str, int], ...] = ()
    """Actor ids mentioned (by name, alias or [[link]]) with their counts, sorted."""
    links: tuple[tuple[str, str], ...] = ()
    """Explicit ``[[...]]`` targets as (kind, id), in order of first use."""
    problems: tuple[BriefError, ...] = ()
    words: int = 0
    """How many words a reader reads (notes included), for the reading time."""
    lead: str = ""
    """The first sentence of the first paragraph, as text (``summaries.py``): an event's summary when it
    gives none, and what a preview card says of any body."""


# ---------------------------------------------------------------- mention matching

_END = ""  # trie key that marks a complete name


def build_trie(names: dict[str, str]) -> dict[str, Any]:
    """A trie over the words of every name: matching costs the same for 50 or 50,000 names.

    The first key is a name's first word; each further key is the separator
    before a word plus the word ("Ilham Aliyev" -> "Ilham", " Aliyev").
    """
    root: dict[str, Any] = {}
    for name, actor_id in sorted(names.items()):
        variants = {name, name[:1].upper() + name[1:]}
        for variant in sorted(variants):
            words = list(WORD_RE.finditer(variant))
            if not words:
                continue
            node = root
            previous_end = None
            for match in words:
                key = match.group() if previous_end is None else variant[previous_end:match.start()] + match.group()
                node = node.setdefault(key, {})
                previous_end = match.end()
            node.setdefault(_END, actor_id)
    return root


def find_mentions(text: str, trie: dict[str, Any]) -> list[tuple[int, int, str]]:
    """Whole-word, longest-first matches of names in ``text`` as (start, end, actor id).

    The text is split once (in C) into separators and words; only words that
    begin some name are looked at further, so the cost is linear in the text.
    """
    parts = _SPLIT_RE.split(text)  # [sep, word, sep, word, ..., sep]
    if trie.keys().isdisjoint(parts[1::2]):
        return []
    candidates = [k for k in range(1, len(parts), 2) if parts[k] in trie]
    offsets = list(accumulate(map(len, parts), initial=0))
    found = []
    resume = 0
    for k in candidates:
        if k < resume:
            continue
        node = trie[parts[k]]
        best = (k, node[_END]) if _END in node else None
        j = k + 2
        while j < len(parts):
            node = node.get(parts[j - 1] + parts[j])
            if node is None:
                break
            if _END in node:
                best = (j, node[_END])
            j += 2
        if best is not None:
            last, actor_id = best
            found.append((offsets[k], offsets[last + 1], actor_id))
            resume = last + 2
    return found


# ---------------------------------------------------------------- link safety

def is_safe_url(url: str) -> bool:
    """Refuse every scheme but web, mail and phone links: no javascript:, data:, file:."""
    cleaned = _CONTROL_RE.sub("", url).lower()
    match = _SCHEME_RE.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


def draft_reference(src_path: str, line: int, kind: str, doc_id: str, outcome: str) -> BriefError:
    """A reference to a draft left out of the site: a warning (an error with --strict) that names it."""
    folder = {"actor": "actors", "event": "events", "article": "articles"}[kind]
    return warning(src_path, line, f"{kind} '{doc_id}' is a draft, not published; {outcome}",
                   f"content/{folder}/{doc_id}.md has 'draft: true'; build with --drafts to publish drafts")


# ---------------------------------------------------------------- the plugins

def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0:
        return False
    inner = src[pos + 2:end]
    if not inner.strip() or "[" in inner or "\n" in inner.strip():
        return False
    if not silent:
        target, _, label = inner.partition("|")
        token = state.push("wikilink", "", 0)
        token.meta = {"target": target.strip(), "label": label.strip(), "line": src.count("\n", 0, pos)}
        token.content = src[pos:end + 2]
    state.pos = end + 2
    return True


@dataclass
class _PageState:
    """What one body render collects; lives in markdown-it's ``env``."""

    src_path: str
    body_line: int
    root: str
    self_id: str
    linked: set[str] = field(default_factory=set)
    depth: int = 0
    """Block quotes and list items open where markdown-it is parsing."""
    too_deep: bool = False
    mentions: Counter[str] = field(default_factory=Counter)
    links: dict[tuple[str, str], None] = field(default_factory=dict)
    problems: list[BriefError] = field(default_factory=list)
    drafts_named: set[str] = field(default_factory=set)
    """Drafts this body refers to; each is reported once, where it is first named."""
    words: int = 0
    lead: str = ""

    def name_draft(self, line: int, kind: str, doc_id: str, outcome: str) -> None:
        if f"{kind}:{doc_id}" not in self.drafts_named:
            self.drafts_named.add(f"{kind}:{doc_id}")
            self.problems.append(draft_reference(self.src_path, line, kind, doc_id, outcome))

    def result(self, html: str) -> BodyResult:
        return BodyResult(
            html=html,
            html_digest=hashing.text_digest(html),
            mentions=tuple(sorted(self.mentions.items())),
            links=tuple(self.links),
            problems=tuple(self.problems),
            words=self.words,
            lead=self.lead,
        )


class BodyRenderer:
    """Renders bodies against one ``LinkIndex``; build one per process."""

    def __init__(self, index: LinkIndex, autolink: str = "first") -> None:
        self.index = index
        self.autolink = autolink
        self.trie = build_trie(index.mention_names()) if autolink != "off" else {}
        md = MarkdownIt("commonmark", {"html": False, "typographer": True, "maxNesting": PARSER_NESTING})
        md.enable(["table", "strikethrough", "replacements", "smartquotes"])
        md.disable(["html_block", "html_inline"])  # raw HTML is text in a brief: no rule need look for it
        md.use(footnote_plugin)
        md.use(anchors_plugin, min_level=2, max_level=3, slug_func=lambda s: slugify(s) or "section")
        md.use(outline_plugin)
        md.validateLink = is_safe_url  # type: ignore[method-assign]
        md.inline.ruler.before("link", "wikilink", _wikilink_rule)
        md.core.ruler.after("text_join", "briefgen_links", self._link_rule)
        md.core.ruler.after("briefgen_links", "briefgen_lead", _lead_rule)
        self._tokenize_blocks = md.block.tokenize
        md.block.tokenize = self._nested_blocks  # type: ignore[method-assign,assignment]
        self.md = md

    def render(self, body: str, src_path: str, body_line: int, root: str, self_id: str = "",
               id_prefix: str = "") -> BodyResult:
        """Render ``body`` for a page whose path back to the site root is ``root``; ``id_prefix``
        goes before every id the body makes, for a page that shows several bodies."""
        page = _PageState(src_path=src_path, body_line=body_line, root=root, self_id=self_id)
        return page.result(self.md.render(body, {"briefgen": page, ID_PREFIX: id_prefix}))

    def _nested_blocks(self, state: StateBlock, start: int, end: int) -> None:
        """markdown-it's block tokenizer, called again for the inside of every block quote, list
        item and footnote: past ``MAX_NESTING`` of them the body is refused at that line."""
        page: _PageState | None = state.env.get("briefgen") if isinstance(state.env, dict) else None
        if page is None:
            self._tokenize_blocks(state, start, end)
            return
        if page.depth > MAX_NESTING:  # the body is entered at depth 0, its k-th nested quote or item at k
            if not page.too_deep:
                page.too_deep = True
                page.problems.append(error(
                    page.src_path, page.body_line + start,
                    f"block quotes and lists nested more than {MAX_NESTING} levels deep",
                    f"a body may nest them {MAX_NESTING} levels deep at most; is a '>' or a list marker "
                    "repeated, or each line indented more than the last?"))
            state.line = end  # what markdown-it does past its own limit; the error stops the build
            return
        page.depth += 1
        try:
            self._tokenize_blocks(state, start, end)
        finally:
            page.depth -= 1

    # -- the core rules

    def _link_rule(self, state: StateCore) -> None:
        page: _PageState = state.env["briefgen"]
        line = page.body_line
        in_heading = False
        for block in state.tokens:
            if block.map:
                line = page.body_line + block.map[0]
            if block.type == "heading_open":
                in_heading = True
            elif block.type == "heading_close":
                in_heading = False
            elif block.type == "inline" and block.children:
                block.children = self._link_children(block.children, page, line, in_heading)
                page.words += sum(len(c.content.split()) for c in block.children if c.type == "text")

    def _link_children(self, children: list[Token], page: _PageState, line: int, in_heading: bool) -> list[Token]:
        out: list[Token] = []
        link_depth = 0
        breaks = 0  # line breaks so far in this paragraph, for the line of a mention
        for token in children:
            if token.type == "link_open":
                link_depth += 1
            elif token.type == "link_close":
                link_depth -= 1
            elif token.type == "softbreak" or token.type == "hardbreak":
                breaks += 1
            if token.type == "wikilink" and token.meta["target"].startswith("!"):
                out.append(_text(token.content[3:-2]))  # [[!text]]: the writer says it names nothing
            elif token.type == "wikilink":
                out.extend(self._wikilink(token, page, line + token.meta["line"]))
            elif token.type == "text" and not in_heading and link_depth == 0 and self.trie:
                out.extend(self._mentions(token, page, line + breaks))
            else:
                out.append(token)
        return out

    def _wikilink(self, token: Token, page: _PageState, line: int) -> list[Token]:
        target, label = token.meta["target"], token.meta["label"]
        kind, _, rest = target.partition(":")
        explicit = kind.strip().lower() in PREFIXES and bool(rest.strip())
        if explicit:
            kind, target = kind.strip().lower(), rest.strip()
        else:
            kind = "actor"
        resolved = self.index.resolve(kind, target)
        if resolved is None and not explicit:
            for other in ("event", "article"):
                if target in (self.index.events if other == "event" else self.index.articles) or (
                        self.index.is_draft(other, target)):
                    kind, resolved = other, target
                    break
        if resolved is None and self.index.is_broken(kind, target):
            return [_text(label or target)]
        if resolved is None:
            place = f"content/{kind}s/"
            page.problems.append(error(
                page.src_path, line, f"unknown {kind} '{target}' in {token.content}",
                did_you_mean(target, self.index.candidates(kind), f"{kind.capitalize()}s live in {place}."),
            ))
            text = Token("text", "", 0)
            text.content = label or target
            return [text]
        if self.index.is_draft(kind, resolved):
            shown = label or (self.index.drafts[f"{kind}:{resolved}"] if target == resolved or kind != "actor"
                              else target)
            page.name_draft(line, kind, resolved, f"{token.content} is shown as plain text")
            return [_text(shown)]
        page.links.setdefault((kind, resolved), None)
        if kind == "actor":
            actor = self.index.actors[resolved]
            shown = label or (actor.name if target == resolved else target)
            if resolved == page.self_id:
                return [_text(shown)]
            page.mentions[resolved] += 1
            page.linked.add(resolved)
            return _link(f"{page.root}actors/{resolved}/index.html", shown, _mention_attrs(resolved, actor))
        if kind == "source":
            if SOURCE_MENTION + resolved == page.self_id:
                return [_text(label or self.index.sources[resolved])]
            page.linked.add(SOURCE_MENTION + resolved)
            return _link(f"{page.root}sources/{resolved}/index.html", label or self.index.sources[resolved],
                         {"class": "xref xref-source"})
        if kind == "event":
            return _link(f"{page.root}events/{resolved}/index.html", label or self.index.events[resolved],
                         {"class": "xref xref-event"})
        return _link(f"{page.root}articles/{resolved}/index.html", label or self.index.articles[resolved],
                     {"class": "xref xref-article"})

    def _mentions(self, token: Token, page: _PageState, line: int) -> list[Token]:
        text = token.content
        matches = find_mentions(text, self.trie)
        if not matches:
            return [token]
        out: list[Token] = []
        cursor = 0
        for start, end, actor_id in matches:
            if actor_id == page.self_id or actor_id == NO_LINK:
                continue
            if actor_id.startswith(SOURCE_MENTION):  # an attribution: it cites the source, names no actor
                source_id = actor_id[len(SOURCE_MENTION):]
                page.links.setdefault(("source", source_id), None)
                href, attrs = f"{page.root}sources/{source_id}/index.html", {"class": "attribution"}
            elif actor_id not in self.index.actors:  # only a draft's names lead elsewhere: they stay text
                page.name_draft(line, "actor", actor_id, f"'{text[start:end]}' is shown as plain text")
                continue
            else:
                page.mentions[actor_id] += 1
                href, attrs = f"{page.root}actors/{actor_id}/index.html", _mention_attrs(actor_id, self.index.actors[actor_id])
            if self.autolink == "first" and actor_id in page.linked:
                continue
            page.linked.add(actor_id)
            if start > cursor:
                out.append(_text(text[cursor:start]))
            out.extend(_link(href, text[start:end], attrs))
            cursor = end
        if cursor == 0:
            return [token]
        if cursor < len(text):
            out.append(_text(text[cursor:]))
        return out


def _lead_rule(state: StateCore) -> None:
    page: _PageState = state.env["briefgen"]
    page.lead = event_lead(state.tokens)


def _mention_attrs(actor_id: str, actor: ActorTarget) -> dict[str, str]:
    title = f"{actor.name}, {actor.role}" if actor.role else actor.name
    return {"class": f"mention mention-{actor.kind}", "data-actor": actor_id, "title": title}


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link(href: str, content: str, attrs: dict[str, str]) -> list[Token]:
    opening = Token("link_open", "a", 1)
    opening.attrs = {"href": href, **attrs}
    closing = Token("link_close", "a", -1)
    return [opening, _text(content), closing]
