"""What makes a body read like a finished publication: footnotes, section links, contents.

Plain markdown-it render rules and one core rule, used by ``markdown.BodyRenderer``:

- footnote markers are plain numbers; a note cited three times keeps its one
  number, and each citation has a back-link of its own, labelled for screen readers;
- the notes sit in a section with a heading;
- every section heading (h2, h3) carries a visible permalink;
- a body with ``TOC_MIN_SECTIONS`` or more h2 sections opens with a table of contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

TOC_MIN_SECTIONS = 3
"""A table of contents helps from three sections on; for fewer it only repeats the headings."""
ID_PREFIX = "briefgen_id_prefix"
"""The key in markdown-it's ``env`` of the text that goes before every id a body makes: the print
edition shows every article on one page, and ids must stay unique there."""
NOTES_HEADING_ID = "notes-heading"
PERMALINK_LEVELS = ("h2", "h3")


def outline_plugin(md: MarkdownIt) -> None:
    """Install the rules; after ``footnote_plugin`` and ``anchors_plugin``, whose output they change."""
    md.add_render_rule("footnote_ref", _footnote_ref)
    md.add_render_rule("footnote_anchor", _footnote_backref)
    md.add_render_rule("footnote_block_open", _notes_open)
    md.add_render_rule("footnote_block_close", _notes_close)
    md.add_render_rule("footnote_open", _note_open)
    md.add_render_rule("briefgen_toc", _toc)
    md.core.ruler.push("briefgen_outline", _outline_rule)


# ---------------------------------------------------------------- footnotes

def _number(token: Token) -> str:
    return str(token.meta["id"] + 1)


def _prefix(env: Any) -> str:
    return str(env.get(ID_PREFIX, "")) if isinstance(env, dict) else ""


def _ref_id(token: Token, env: Any) -> str:
    """``fnref3`` for the first citation of note 3, ``fnref3-2`` for its second."""
    sub = token.meta.get("subId", 0)
    return f"{_prefix(env)}fnref{_number(token)}" + (f"-{sub + 1}" if sub > 0 else "")


def _footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    n = _number(token)
    return (f'<sup class="footnote-ref"><a href="#{_prefix(env)}fn{n}" id="{_ref_id(token, env)}" '
            f'aria-label="Note {n}">{n}</a></sup>')


def _footnote_backref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """One back-link per citation: "↩" for a note cited once; "↩a", "↩b", "↩c" for one cited more
    often, lettered as Wikipedia does; the label says where the link goes. Print leaves them out."""
    token = tokens[idx]
    n, sub = _number(token), token.meta.get("subId", 0)
    cited = token.meta.get("count", 1)
    letter = _letter(sub) if cited > 1 else ""
    label = f"Back to the text of note {n}" + (f", citation {letter}" if letter else "")
    # U+FE0E asks for the text form of the arrow: iOS would draw an emoji
    return (f' <a href="#{_ref_id(token, env)}" class="footnote-backref" aria-label="{label}">'
            f"\u21a9\ufe0e{letter}</a>")


def _letter(sub: int) -> str:
    """a, b, ... z, then aa, ab: the citations of one note."""
    letters = ""
    sub += 1
    while sub:
        sub, rest = divmod(sub - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _notes_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    heading = _prefix(env) + NOTES_HEADING_ID
    return (f'<section class="footnotes" aria-labelledby="{heading}">\n'
            f'<h2 id="{heading}">Notes</h2>\n<ol class="footnotes-list">\n')


def _notes_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</ol>\n</section>\n"


def _note_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<li id="{_prefix(env)}fn{_number(tokens[idx])}" class="footnote-item">'


# ---------------------------------------------------------------- headings and contents

def heading_text(inline: Token) -> str:
    """A heading's words, as ``anchors_plugin`` reads them for its slug."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def _outline_rule(state: StateCore) -> None:
    """Permalinks on section headings; the table of contents; the number of citations of each
    note on its back-links (the plugin's anchors know only their own position)."""
    sections: list[tuple[str, str]] = []
    tokens = state.tokens
    prefix = _prefix(state.env)
    for idx, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in PERMALINK_LEVELS and token.attrGet("id"):
            slug = prefix + str(token.attrGet("id"))
            token.attrSet("id", slug)
            inline = tokens[idx + 1]
            title = heading_text(inline)
            if token.tag == "h2":
                sections.append((slug, title))
            inline.children = [*(inline.children or ()), *_permalink(slug)]
    cited: dict[int, int] = {}
    for token in tokens:
        if token.type == "footnote_anchor":
            cited[token.meta["id"]] = cited.get(token.meta["id"], 0) + 1
    for token in tokens:
        if token.type == "footnote_anchor":
            token.meta["count"] = cited[token.meta["id"]]
    if len(sections) >= TOC_MIN_SECTIONS:
        toc = Token("briefgen_toc", "nav", 0)
        toc.block = True
        toc.meta = {"sections": sections, "id": f"{prefix}contents-heading"}
        state.tokens = [toc, *tokens]


def _permalink(slug: str) -> list[Token]:
    space = Token("text", "", 0)
    space.content = " "
    opening = Token("link_open", "a", 1)
    opening.attrs = {"class": "permalink", "href": f"#{slug}", "aria-label": "Link to this section"}
    mark = Token("text", "", 0)
    mark.content = "#"
    return [space, opening, mark, Token("link_close", "a", -1)]


def _toc(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    items = "".join(f'<li><a href="#{escapeHtml(slug)}">{escapeHtml(title)}</a></li>\n'
                    for slug, title in tokens[idx].meta["sections"])
    heading = tokens[idx].meta["id"]
    return (f'<nav class="contents" aria-labelledby="{heading}">\n'
            f'<h2 id="{heading}">Contents</h2>\n<ol>\n{items}</ol>\n</nav>\n')

