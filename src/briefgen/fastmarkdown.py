"""The Markdown stage on a Rust parser: markdown-it-pyrs parses, a small renderer here writes HTML.

``FastBodyRenderer`` is a ``BodyRenderer`` with a faster ``render``: same
constructor, byte-identical HTML, mentions, links and errors; the build gets one
from ``make_body_renderer``. markdown-it-pyrs takes no Python plugins, so each
block's inline nodes are flattened into the token list markdown-it-py would
have made, and the rest runs as it does there:
``[[...]]`` split out, markdown-it-py's own typographer rules (markdown-it-pyrs'
ones also rewrite code spans and pair quotes across blocks), text joined,
mentions and wikilinks resolved with the helpers of ``briefgen.markdown``.

Plain bodies (no raw HTML, entities, escapes, double quotes, images or inline
notes: most prose) skip the walk: markdown-it-pyrs renders them whole, in Rust,
and ``_HtmlPass`` adds to the text between the tags what markdown-it-py's core
rules would have (typography, ``[[...]]``, mentions, heading ids), handing the
body to the walk wherever it cannot vouch for the result.

Where the parsers may still disagree (a ``[[...]]`` read differently, a URL that
``is_safe_url`` refuses, a footnote defined twice, a known markdown-it-pyrs
panic, ...) the body is detected up front or while walking and handed to
``BodyRenderer.render`` whole: a rare construct costs speed, never correctness.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, NamedTuple, TypeVar

from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.common.utils import MD_TRIM_RE, escapeHtml, mdTrim, unescapeAll
from markdown_it.rules_core.replacements import RARE_RE, SCOPED_ABBR_RE, replace_rare, replace_scoped
from markdown_it.rules_core.smartquotes import process_inlines
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE
from markdown_it.token import Token
from markdown_it_pyrs import MarkdownIt, Node
from mdit_py_plugins.anchors.index import unique_slug

from briefgen.markdown import (
    _END,
    WORD_RE,
    BodyRenderer,
    BodyResult,
    LinkIndex,
    _mention_attrs,
    _PageState,
    find_mentions,
    is_safe_url,
)
from briefgen.urls import slugify

# No "html_block"/"html_inline" (raw HTML stays text, as with ``html: False``) and no
# "replacements"/"smartquotes": markdown-it-py's typographer runs on the tokens instead.
_RULES: list[Any] = [  # the plugin names are Literals in markdown-it-pyrs' stub
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
    "table", "strikethrough", "footnote",
]
_INLINE_NAMES = frozenset({
    "text", "text_special", "softbreak", "hardbreak", "em", "strong", "strikethrough", "code_inline",
    "link", "image", "autolink", "footnote_ref", "footnote_inline",
})
_PAIRS = {"em": "em", "strong": "strong", "strikethrough": "s"}
_TAGS = {"em_open": "<em>", "em_close": "</em>", "strong_open": "<strong>", "strong_close": "</strong>",
         "s_open": "<s>", "s_close": "</s>", "softbreak": "\n", "hardbreak": "<br />\n"}
_ALIGN = {"left": ' style="text-align:left"', "right": ' style="text-align:right"',
          "center": ' style="text-align:center"'}
_BACKREF = ' <a href="#fnref{}" class="footnote-backref">\u21a9\ufe0e</a>'

_FENCE_LINE_RE = re.compile(r"(?:[ \t>]|(?:[-*+]|[0-9]{1,9}[.)])[ \t])*(?:```|~~~)[`~]*")
_BACKTICKS_RE = re.compile(r"`+")
_AUTOLINK_TICK_RE = re.compile(r"<[^<>\s]*`")
_DEFINITION_RE = re.compile(r"(?:[ \t>]|[-*+][ \t]|[0-9]{1,9}[.)][ \t])*\[(?!\^)(?:[^\]\\\n]|\\.)+\]:")
_DELIMITER_ROW_RE = re.compile(r"[ \t|:-]+")
_AUTHORITY_RE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.\-]*:)?//([^/?#]*)")
_CONTAINER_PREFIX_RE = re.compile(r"(?:[ \t>]|(?:[-*+]|[0-9]{1,9}[.)])(?=[ \t]|$))*")
_QUOTE_PREFIX_RE = re.compile(r"[ \t>]*")
_OPEN_PAREN_END_RE = re.compile(r"\]\([ \t]*(?:\n|$)")
_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
_BLANK_CODE_RE = re.compile(r"`[ \n]{3,}`")
_OTHER_SPACE_RE = re.compile("[\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
"""Every character ``str.isspace`` takes but space, tab and newline (a test checks the list): as a
class of its own, 2x faster to search than ``[^\\S \\t\\n]``."""


T = TypeVar("T")


class _Fallback(Exception):
    """The body uses a construct where the two parsers may differ: render it with ``BodyRenderer``."""


class _Tok:
    """What markdown-it-py's typographer rules read and write of a ``Token``, and what we render."""

    __slots__ = ("type", "content", "level", "info", "node", "html")

    def __init__(self, type_: str, content: str, level: int, node: Node | None = None,
                 info: str = "", html: str = "") -> None:
        self.type = type_
        self.content = content
        self.level = level
        self.info = info
        self.node = node
        self.html = html


class _ImageTok(_Tok):
    """An image token whose ``content``, its label as typed, is read only if a quote stands next to it."""

    __slots__ = ("_source", "_label")

    def __init__(self, tok: _Tok, source: bytes) -> None:
        super().__init__(tok.type, "", tok.level, tok.node)
        self._source = source
        self._label: str | None = None

    @property
    def content(self) -> str:
        if self._label is None:
            self._label = _image_label(self.node, self._source)
        return self._label

    @content.setter
    def content(self, value: str) -> None:
        pass


def _image_label(node: Node | None, source: bytes) -> str:
    """The text between ``![`` and its ``]``, as markdown-it-py keeps it in the image token."""
    if node is None or node.srcmap is None:
        raise _Fallback("an image without position")
    raw = source[node.srcmap[0]:node.srcmap[1]].decode("utf-8")
    depth, pos = 1, 2
    while pos < len(raw):
        char = raw[pos]
        if char == "\\":
            pos += 1
        elif char == "`":  # a code span binds tighter than brackets
            ticks = _BACKTICKS_RE.match(raw, pos).group()  # type: ignore[union-attr]
            closer = next((run for run in _BACKTICKS_RE.finditer(raw, pos + len(ticks)) if run.group() == ticks), None)
            pos = (closer.end() if closer is not None else pos + len(ticks)) - 1
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return raw[2:pos]
        pos += 1
    raise _Fallback("an image label not found")


# ---------------------------------------------------------------- source checks

def _wikilinks(text: str) -> list[tuple[int, int]]:
    """Every ``[[...]]`` that ``_wikilink_rule`` would read in ``text``, as (start, end)."""
    found = []
    pos = text.find("[[")
    while pos >= 0:
        end = text.find("]]", pos + 2)
        if end < 0:
            break
        inner = text[pos + 2:end]
        if not inner.strip() or "[" in inner or "\n" in inner.strip():
            pos = text.find("[[", pos + 1)
        else:
            found.append((pos, end + 2))
            pos = text.find("[[", end + 2)
    return found


def _footnote_definitions(body: str) -> list[tuple[int, str]]:
    """Everything that may be a footnote definition (``[^label]:``) as (offset, label), a few too many at worst."""
    found = []
    end = body.find("]:")
    while end >= 0:
        start = body.rfind("[^", body.rfind("\n", 0, end) + 1, end)
        if start >= 0:
            label = body[start + 2:end]
            if label and "]" not in label and not any(c.isspace() for c in label):
                found.append((start, label))
        end = body.find("]:", end + 2)
    return found


def _unpaired_backticks(body: str) -> bool:
    """Whether a backtick run may lack its closer, which can make markdown-it-pyrs 0.4 panic.

    Its code span scanner (markdown-it.rs 0.6 ``code_pair.rs``) indexes out of
    bounds when it comes back to an unclosed run, as in ``[a `b``. Runs are
    paired per line and table cell; anything unusual counts as unpaired.
    """
    for line in body.split("\n"):
        if "`" not in line or (line.count("`") == 2 and "``" not in line and "\\" not in line and "<" not in line
                               and "|" not in line):
            continue
        fence = _FENCE_LINE_RE.match(line)
        if fence is not None and "`" not in line[fence.end():]:  # an opening or closing fence
            continue
        if "\\`" in line or ("<" in line and _AUTOLINK_TICK_RE.search(line)):
            return True
        for cell in line.split("|"):
            open_run = ""
            for run in _BACKTICKS_RE.findall(cell):
                if not open_run:
                    open_run = run
                elif run == open_run:
                    open_run = ""
            if open_run:
                return True
    return False


def _symbol_beside_delimiter(body: str) -> bool:
    """Whether a non-ASCII symbol (¢, €, ©, →, an emoji, ...) stands next to a "*", "_" or "~".

    Whether such a run can open or close emphasis depends on its neighbours being
    punctuation: markdown-it-py counts Unicode symbols as punctuation, as
    CommonMark 0.31 does, and markdown-it-pyrs 0.4 does not ("¢_0_").
    """
    last = len(body) - 1
    for delimiter in "*_~":  # a few each in a body: str.find beats a regex over all of it 10x
        pos = body.find(delimiter)
        while pos >= 0:
            for neighbour in (body[pos - 1] if pos else "", body[pos + 1] if pos < last else ""):
                if neighbour > "\x7f" and unicodedata.category(neighbour)[0] == "S":
                    return True
            pos = body.find(delimiter, pos + 1)
    return False


def _container_risk(body: str) -> bool:
    """Whether a lazy blockquote line may start a table or a list, or a tab indents a line in a container.

    markdown-it-py ends a blockquote paragraph at any list item, also one that
    CommonMark says cannot interrupt a paragraph ("3) x", an empty item), and
    never at a table; markdown-it-pyrs does the reverse. The two also expand a
    tab after ">" or a list marker differently.
    """
    previous = 0
    for line in body.split("\n"):
        prefix = _CONTAINER_PREFIX_RE.match(line).group()  # type: ignore[union-attr]
        if "\t" in prefix:
            return True
        depth = prefix.count(">")
        if not line.strip():
            previous = 0
            continue
        quotes = _QUOTE_PREFIX_RE.match(line).end()  # type: ignore[union-attr]
        # Only the ">" before a list marker continue the quote: in "3) > y" a new list starts.
        if line.count(">", 0, quotes) < previous and ("|" in line or _LIST_ITEM_RE.match(line, quotes)):
            return True
        previous = max(depth, previous)
    return False


def _table_risk(body: str) -> bool:
    """Whether a delimiter row ("|---|", "---", ":--") has a "|" where the line above has none, or the
    reverse, or a ":" but no "|", or a list item follows a table row.

    markdown-it-py wants a "|" in the header row, takes "---" under one as a
    one-column table and ends a table at "3) x"; markdown-it-pyrs does not, and
    takes "a" over ":--" as a table.
    """
    previous = ""
    in_table = False
    for line in body.split("\n"):
        line = line.lstrip(" \t>")  # a table may stand in a blockquote or a list item
        if "-" in line and _DELIMITER_ROW_RE.fullmatch(line):
            if ("|" in line) != ("|" in previous) or (":" in line and "|" not in line):
                return True
            in_table = True
        elif not line.strip():
            in_table = False
        elif in_table and _LIST_ITEM_RE.match(line):
            return True
        previous = line
    return False


def _definition_lines(body: str) -> list[int]:
    """Where lines start that may start a reference definition (``[label]:``), a few too many at worst."""
    lines: list[int] = []
    end = body.find("]:")
    while end >= 0:
        start = body.rfind("\n", 0, end) + 1
        if (not lines or lines[-1] != start) and _DEFINITION_RE.match(body, start):
            lines.append(start)
        end = body.find("]:", end + 2)
    return lines


def _inline_footnote_risk(body: str) -> bool:
    """Whether some ``^[...]`` is empty or holds a "[" or a backslash.

    markdown-it-py makes an empty note of ``^[]``, markdown-it-pyrs none; it
    also ends ``^[\\]`` at the escaped "]"; a "[" inside makes markdown-it.rs 0.6
    ``full_link.rs`` slice out of bounds.
    """
    start = body.find("^[")
    while start >= 0:
        end = body.find("]", start + 2)
        if end < 0 or end == start + 2 or "[" in body[start + 2:end] or "\\" in body[start + 2:end]:
            return True
        start = body.find("^[", end)
    return False


class _Source(NamedTuple):
    """What the source of a body holds, found before parsing it."""

    wikilinks: list[tuple[int, str]]
    """Each ``[[...]]`` as (offset, inner text), also those in code."""
    footnotes: int
    """How many lines may define a footnote."""
    definitions: bool
    """Whether a line may define a link reference."""
    quotes: bool
    rare: bool
    """Whether ``replacements`` may change something other than "(c)"."""
    scoped: bool


_MARKERS_RE = re.compile(r"\[\^|\^\[|\[\[|\]:|~~~|--|\.\.|\+-|,,|\?\?\?\?|!!!!")
_RARE = frozenset({"--", "..", "+-", ",,", "????", "!!!!"})


def _source_checks(body: str) -> _Source:
    """Raise ``_Fallback`` for what the parsers read differently; else tell what the tree must show."""
    if "\r" in body or "\0" in body:
        raise _Fallback("a carriage return or NUL, which markdown-it-py replaces before parsing")
    if _OTHER_SPACE_RE.search(body):
        raise _Fallback("whitespace other than space, tab and newline (a no-break space, ...), "
                        "which markdown-it-py trims from blocks and cells and markdown-it-pyrs keeps")
    markers = _MARKERS_RE.findall(body)  # one pass instead of a substring search each
    found = set(markers)
    if "`" in body and _unpaired_backticks(body):
        raise _Fallback("a backtick run without its closer")
    if "`" in body and _BLANK_CODE_RE.search(body):
        raise _Fallback("a code span of three or more spaces, which markdown-it-pyrs 0.4 trims and should not")
    if not body.isascii() and ("*" in body or "_" in body or "~" in body) and _symbol_beside_delimiter(body):
        raise _Fallback("a Unicode symbol beside '*', '_' or '~', which only markdown-it-py counts as punctuation")
    if "~~~" in found and any("~~~" in line and not _FENCE_LINE_RE.match(line) for line in body.split("\n")):
        raise _Fallback("a run of three tildes or more: strikethrough pairs them differently")
    if (">" in body or "\t" in body) and _container_risk(body):
        raise _Fallback("a lazy blockquote line that may start a table or a list, or a tab in a container")
    definitions = _footnote_definitions(body) if "[^" in found else []
    labels = [label for _, label in definitions]
    if len(labels) != len(set(labels)):
        raise _Fallback("a footnote defined twice")
    if any(body[start - 1:start] in (" ", "\t") for start, _ in definitions):
        raise _Fallback("an indented footnote definition, whose text markdown-it-pyrs 0.4 starts too early")
    if ("|" in body or ":-" in body or "-:" in body) and _table_risk(body):
        raise _Fallback("a table delimiter row that only one of the parsers may take")
    if "^" in body and "^[" in body and _inline_footnote_risk(body):  # "[^[" hides "^[" from markers
        raise _Fallback("an inline footnote that is empty or holds a \"[\" or a backslash")
    # In a table row "\|" is a "|" before inline parsing starts, also inside [[...|...]].
    wikilinks = ([(start, body[start + 2:end - 2].replace("\\|", "|")) for start, end in _wikilinks(body)]
                 if "[[" in found or "^[[" in body else [])
    return _Source(
        wikilinks=wikilinks, footnotes=len(labels), definitions=markers.count("]:") > len(labels),
        quotes="'" in body or '"' in body, rare=not _RARE.isdisjoint(found), scoped="(" in body,
    )


def _apostrophes_only(text: str, quotes: str = "'\"") -> bool:
    """Whether every quote (of ``quotes``) in ``text`` has a letter or digit on both sides."""
    last = len(text) - 1
    for quote in quotes:
        pos = text.find(quote)
        while pos >= 0:
            if not (0 < pos < last and text[pos - 1].isalnum() and text[pos + 1].isalnum()):
                return False
            pos = text.find(quote, pos + 1)
    return True


def _unpanicked(call: Callable[[str], T], body: str) -> T:
    """``call(body)`` for a markdown-it-pyrs method, its panic turned into a ``_Fallback``."""
    try:
        return call(body)
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ == "PanicException":
            raise _Fallback("markdown-it-pyrs panicked") from None
        raise


def _tree(md: MarkdownIt, body: str) -> Node:
    return _unpanicked(md.tree, body)


def _checked_url(url: str) -> str:
    """markdown-it-pyrs' normalized URL, if markdown-it-py would have emitted the same one."""
    if not is_safe_url(url):
        raise _Fallback("a URL that is_safe_url refuses")
    if "%" in url:
        # markdown-it-py punycodes host names and keeps IPv6 brackets; markdown-it-pyrs
        # percent-encodes both. Elsewhere the two encodings agree.
        authority = _AUTHORITY_RE.match(url)
        if url[:7].lower() == "mailto:" or (authority is not None and "%" in authority.group(1)):
            raise _Fallback("a URL with an encoded host")
    return url


def _trie_pattern(words: list[str]) -> str:
    """A regex alternation of ``words`` shaped as a trie, so that the regex engine rejects most words early."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {escapeHtml(k)}="{escapeHtml(v)}"' for k, v in attrs.items())


# ---------------------------------------------------------------- the renderer

REGEX_AFTER_CHARS = 1_000_000
"""Compiling the regex of first words takes ~10 µs a word (0.06-0.1 s for the 6,671 first words
of 20,000 names): a renderer scans this much text with ``find_mentions`` first, so a rebuild of
a few bodies never pays it."""


def make_body_renderer(index: LinkIndex, autolink: str = "first") -> BodyRenderer:
    """The renderer the build uses for bodies: the one place that chooses it."""
    return FastBodyRenderer(index, autolink)


class FastBodyRenderer(BodyRenderer):
    """Renders bodies like ``BodyRenderer``, several times faster; build one per process.

    The base class stays the reference: it resolves ``[[...]]`` for the fast
    path and renders, with its markdown-it-py, the bodies handed back to it.
    """

    def __init__(self, index: LinkIndex, autolink: str = "first", regex_after: int = REGEX_AFTER_CHARS) -> None:
        super().__init__(index, autolink)
        self._first_re: re.Pattern[str] | None = None
        self._unscanned = regex_after
        """Text left to scan word by word before compiling ``_first_re``."""
        self.fast_md = MarkdownIt("zero").enable_many(_RULES)
        """markdown-it-pyrs, with only the rules whose output the walk below reproduces."""
        self.quote_state: Any = SimpleNamespace(md=self.md)
        """All that ``process_inlines`` reads of a ``StateCore``: the quote characters."""
        self._urls: dict[str, str] = {}
        self._mention_tags: dict[tuple[str, str], str] = {}
        self.fallbacks = 0
        """Bodies handed to ``BodyRenderer`` so far."""
        self.html_passes = 0
        """Bodies rendered by markdown-it-pyrs' own renderer and ``_HtmlPass`` so far."""

    def render(self, body: str, src_path: str, body_line: int, root: str, self_id: str = "") -> BodyResult:
        """Render ``body`` for a page whose path back to the site root is ``root``."""
        page = _PageState(src_path=src_path, body_line=body_line, root=root, self_id=self_id)
        try:
            source = _source_checks(body)
            if _plain(body, source):
                html = _HtmlPass(self, page, source).run(body)
                if html is not None:
                    self.html_passes += 1
                    return page.result(html)
                page = _PageState(src_path=src_path, body_line=body_line, root=root, self_id=self_id)
            walk = _Walk(self, page, body, source)
            html = walk.document(_tree(self.fast_md, body))
            if source.wikilinks or walk.wikilinks:
                walk.check_wikilinks(source.wikilinks)
        except _Fallback:
            self.fallbacks += 1
            return super().render(body, src_path, body_line, root, self_id)
        return page.result(html)

    def find_mentions(self, text: str) -> list[tuple[int, int, str]]:
        """``find_mentions(text, self.trie)``, several times faster on the long text of a body.

        ``find_mentions`` splits all of the text into words; here one regex
        finds the words that begin some name, and the trie is walked from
        those. Tests check that both give the same matches.
        """
        trie = self.trie
        found: list[tuple[int, int, str]] = []
        if not trie:
            return found
        if self._first_re is None:
            self._unscanned -= len(text)
            if self._unscanned > 0:
                return find_mentions(text, trie)
            self._first_re = re.compile(f"(?:{_trie_pattern(list(trie))})(?!\\w)")
        resume = 0
        search = WORD_RE.search
        for match in self._first_re.finditer(text):
            start = match.start()
            if start < resume or (start and (text[start - 1].isalnum() or text[start - 1] == "_")):  # \w before
                continue
            node = trie[match.group()]
            pos = match.end()
            best = (pos, node[_END]) if _END in node else None
            while len(node) > (best is not None):  # a longer name may follow
                word = search(text, pos)
                if word is None:
                    break
                node = node.get(text[pos:word.end()])
                if node is None:
                    break
                pos = word.end()
                if _END in node:
                    best = (pos, node[_END])
            if best is not None:
                found.append((start, best[0], best[1]))
                resume = best[0]
        return found

    def checked_url(self, url: str) -> str:
        """``_checked_url``, escaped for an attribute; links repeat across a brief, so remembered."""
        checked = self._urls.get(url)
        if checked is None:
            checked = self._urls[url] = escapeHtml(_checked_url(url))
        return checked

    def mention_tag(self, root: str, actor_id: str) -> str:
        """``<a ...>`` of a mention: the same few on every page, so built once."""
        tag = self._mention_tags.get((root, actor_id))
        if tag is None:
            attrs = {"href": f"{root}actors/{actor_id}/index.html",
                     **_mention_attrs(actor_id, self.index.actors[actor_id])}
            tag = self._mention_tags[(root, actor_id)] = f"<a{_attrs(attrs)}>"
        return tag


def _write_mentions(renderer: FastBodyRenderer, page: _PageState, text: str, matches: list[tuple[int, int, str]],
                    out: list[str], escape: Callable[[str], str] = str) -> None:
    """Text with its mentions linked as ``BodyRenderer._mentions`` links them: each one counted, the
    first of an actor linked (each one with ``autolink: all``), the page's own actor never."""
    first_only = renderer.autolink == "first"
    cursor = 0
    for start, end, actor_id in matches:
        if actor_id == page.self_id:
            continue
        page.mentions[actor_id] += 1
        if first_only and actor_id in page.linked:
            continue
        page.linked.add(actor_id)
        out.append(escape(text[cursor:start]))
        out.append(renderer.mention_tag(page.root, actor_id))
        out.append(escape(text[start:end]))
        out.append("</a>")
        cursor = end
    out.append(escape(text[cursor:]))


def _write_wikilink(renderer: FastBodyRenderer, page: _PageState, inner: str, line: int, out: list[str],
                    title: list[str] | None) -> None:
    """A ``[[...]]`` resolved by ``BodyRenderer._wikilink`` and written as HTML; its text also
    goes to a heading's ``title``."""
    target, _, label = inner.partition("|")
    token = Token("wikilink", "", 0)
    token.meta = {"target": target.strip(), "label": label.strip(), "line": 0}
    token.content = f"[[{inner}]]"
    for made in renderer._wikilink(token, page, line):
        if made.type == "text":
            if title is not None:
                title.append(made.content)
            out.append(escapeHtml(made.content))
        elif made.type == "link_open":
            out.append(f"<a{_attrs({k: str(v) for k, v in made.attrs.items()})}>")
        else:
            out.append("</a>")


class _Walk:
    """One body: the tree in, HTML out, and into ``page`` what ``BodyRenderer`` collects."""

    def __init__(self, renderer: FastBodyRenderer, page: _PageState, body: str, source: _Source) -> None:
        self.r = renderer
        self.page = page
        self.body = body
        self.source = source
        self.out: list[str] = []
        self.wikilinks: list[str] = []
        """The inner text of every ``[[...]]`` met, to compare with the source."""
        self.slugs: set[str] = set()
        self.last_offset = 0
        """Where the last block with a position starts, as markdown-it-py's ``token.map`` goes."""
        self.counts: list[int] = []
        """How often each footnote is referenced."""
        self.footnotes: dict[int, tuple[int, int]] = {}
        """Source offset of a footnote reference -> (footnote number, repeat)."""
        self.refs: list[tuple[int, int, int]] = []
        """References waiting for their number: (source offset, markdown-it-pyrs id, index in ``out``)."""
        self.code: list[tuple[int, int]] = []
        """Byte ranges of code, where no ``[[...]]`` is read."""
        self.definitions = 0
        """Link reference definitions met."""
        self.wikilink_seen = False
        """Whether the inline nodes flattened last hold a "[["."""
        self.find_mentions = renderer.find_mentions if renderer.trie else None
        self.quotes, self.rare, self.scoped = source.quotes, source.rare, source.scoped
        """Which typographer rules may change something in this body: most bodies need few."""
        self._body_bytes: bytes | None = None

    def check_wikilinks(self, expected: list[tuple[int, str]]) -> None:
        """Every ``[[...]]`` of the source outside code must be one we met in the tree, and no other."""
        found = sorted(self.wikilinks)
        if sorted(inner for _, inner in expected) == found:
            return
        outside = []
        for start, inner in expected:
            offset = len(self.body[:start].encode("utf-8"))
            if not any(begin <= offset < end for begin, end in self.code):
                outside.append(inner)
        if sorted(outside) != found:
            raise _Fallback("[[...]] read differently")

    # -- blocks

    def document(self, root: Node) -> str:
        children = root.children
        notes = children[-1] if children and children[-1].name == "footnote_container" else None
        if self.source.footnotes:
            used = sum(not n.meta.get("inline") for n in notes.children) if notes is not None else 0
            if used != self.source.footnotes:
                raise _Fallback("a footnote that is not referenced, or not a footnote")
        if notes is not None:
            children = children[:-1]
        for child in children:
            self.block(child)
        if notes is not None:
            self.footnote_block(self.number_footnotes(notes))
        lines = _definition_lines(self.body) if self.source.definitions else []
        if self.definitions != len(lines):
            raise _Fallback("a line that may be a reference definition but is not read as one")
        for start in lines:
            # A "\" ending the line of a destination: markdown-it-pyrs reads on into the next line.
            end = start
            for _ in range(3):
                end = self.body.find("\n", end + 1)
                if end < 0 or self.body[end - 1] == "\\":
                    break
            if end > 0 and self.body[end - 1] == "\\":
                raise _Fallback("a backslash ending a line of a reference definition")
        if self.definitions and _OPEN_PAREN_END_RE.search(self.body):
            # "[a](" at the end of a paragraph: markdown-it-py gives up on "[a]" there,
            # markdown-it-pyrs falls back to the reference [a].
            raise _Fallback("a link label followed by '(' and nothing else")
        return "".join(self.out)

    def block(self, node: Node) -> None:
        out = self.out
        name = node.name
        if name == "definition":
            # markdown-it-py refuses a definition whose URL ``is_safe_url`` refuses
            # (its lines stay a paragraph); markdown-it-pyrs refuses fewer.
            if not is_safe_url(node.meta.get("destination", "")):
                raise _Fallback("a reference definition that is_safe_url refuses")
            self.definitions += 1
            return
        srcmap = node.srcmap
        if srcmap is not None:
            self.last_offset = srcmap[0]
        if name == "paragraph":
            out.append("<p>")
            self.inline(node.children)
            out.append("</p>\n")
        elif name == "heading" or name == "lheading":
            self.heading(node)
        elif name == "bullet_list":
            out.append("<ul>\n")
            self.list_items(node.children)
            out.append("</ul>\n")
        elif name == "ordered_list":
            start = node.meta.get("start", 1)
            out.append(f'<ol start="{start}">\n' if start != 1 else "<ol>\n")
            self.list_items(node.children)
            out.append("</ol>\n")
        elif name == "blockquote":
            children = self.content(node.children)
            if children:
                out.append("<blockquote>\n")
                for child in children:
                    self.block(child)
                out.append("</blockquote>\n")
            else:
                out.append("<blockquote></blockquote>\n")
        elif name == "fence" or name == "code_block":
            if srcmap is not None:
                self.code.append(srcmap)
                if not self.body.endswith("\n") and srcmap[1] >= len(self.source_bytes()):
                    # markdown-it-pyrs ends the code with a newline there, markdown-it-py may not
                    raise _Fallback("code at the very end of a body without a final newline")
            if name == "fence":
                self.fence(node)
                return
            out.append(f"<pre><code>{escapeHtml(node.meta['content'])}</code></pre>\n")
        elif name == "hr":
            out.append("<hr />\n")
        elif name == "table":
            self.table(node)
        else:
            raise _Fallback(f"block {name}")

    def content(self, children: Any) -> list[Node]:
        """A container's children less its reference definitions (counted and checked here),
        which leave no token in markdown-it-py: "- [r]: /u" is an empty item there."""
        kept = []
        for child in children:
            if child.name == "definition":
                self.block(child)
            else:
                kept.append(child)
        return kept

    def heading(self, node: Node) -> None:
        level = node.meta["level"]
        if level in (2, 3):
            title: list[str] = []
            mark = len(self.out)
            self.out.append("")
            self.inline(node.children, True, title)
            slug = unique_slug(slugify("".join(title)) or "section", self.slugs)
            self.out[mark] = f'<h{level} id="{escapeHtml(slug)}">'
        else:
            self.out.append(f"<h{level}>")
            self.inline(node.children, True)
        self.out.append(f"</h{level}>\n")

    def list_items(self, items: Any) -> None:
        out = self.out
        for item in items:
            children = self.content(item.children)
            if item.srcmap is not None:
                self.last_offset = item.srcmap[0]
            if not children:
                out.append("<li></li>\n")
                continue
            # A tight list has no paragraph nodes: their inline nodes stand in the item,
            # rendered bare, and markdown-it-py's renderer puts a newline between such a
            # hidden paragraph and a following block tag (not a fence or a code block).
            run: list[Node] = []
            hidden = False
            out.append("<li>" if children[0].name in _INLINE_NAMES else "<li>\n")
            for child in children:
                if child.name in _INLINE_NAMES:
                    if not run and child.srcmap is not None:
                        self.last_offset = child.srcmap[0]
                    run.append(child)
                    continue
                if run:
                    self.inline(run)
                    run = []
                    hidden = True
                if hidden and child.name not in ("fence", "code_block"):
                    out.append("\n")
                hidden = False
                self.block(child)
            if run:
                self.inline(run)
            out.append("</li>\n")

    def fence(self, node: Node) -> None:
        meta = node.meta
        info = meta.get("info", "")
        info = mdTrim(unescapeAll(info)) if info else ""
        code = escapeHtml(meta["content"])
        if info:
            lang = MD_TRIM_RE.split(info, maxsplit=1)[0]
            self.out.append(f'<pre><code class="{escapeHtml("language-" + lang)}">{code}</code></pre>\n')
        else:
            self.out.append(f"<pre><code>{code}</code></pre>\n")

    def table(self, node: Node) -> None:
        out = self.out
        aligns = [_ALIGN.get(a, "") for a in node.meta.get("alignments", ())]
        out.append("<table>\n")
        for part in node.children:
            tag, cell = ("thead", "th") if part.name == "thead" else ("tbody", "td")
            out.append(f"<{tag}>\n")
            for row in part.children:
                if row.srcmap is not None:
                    self.last_offset = row.srcmap[0]
                out.append("<tr>\n")
                for i, td in enumerate(row.children):
                    out.append(f"<{cell}{aligns[i] if i < len(aligns) else ''}>")
                    self.inline(td.children)
                    out.append(f"</{cell}>\n")
                out.append("</tr>\n")
            out.append(f"</{tag}>\n")
        out.append("</table>\n")

    # -- footnotes

    def number_footnotes(self, notes: Node) -> list[tuple[Node, int]]:
        """Number footnotes as markdown-it-py does: by first reference, in source order.

        markdown-it-pyrs numbers them in order of definition. The references of
        the text were met while rendering it and left as placeholders; with
        those in the notes they are numbered again, and the placeholders filled.
        """
        defs = {n.meta["def_id"]: n for n in notes.children}
        refs = [(offset, def_id) for offset, def_id, _ in self.refs]
        for node in notes.walk():
            if node.name == "footnote_ref" and node.srcmap is not None:
                refs.append((node.srcmap[0], node.meta["def_id"]))
            elif node.name == "footnote_inline":
                self.note_ref(node, refs, defs)
        refs.sort()
        numbers: dict[int, int] = {}
        order: list[tuple[Node, int]] = []
        for offset, def_id in refs:
            number = numbers.get(def_id)
            if number is None:
                if def_id not in defs:
                    raise _Fallback("a footnote without its definition")
                number = numbers[def_id] = len(self.counts) + 1
                self.counts.append(0)
                order.append((defs[def_id], number))
            self.footnotes[offset] = (number, self.counts[number - 1])
            self.counts[number - 1] += 1
        for offset, _, index in self.refs:
            self.out[index] = self.footnote_ref(offset)
        self.refs = []
        return order

    @staticmethod
    def note_ref(node: Node, refs: list[tuple[int, int]], defs: dict[int, Node] | None = None) -> None:
        """The reference that an inline footnote makes; within a note it also holds its definition."""
        if node.srcmap is None:
            raise _Fallback("an inline footnote without position")
        for child in node.children:
            if child.name == "footnote_def" and defs is not None:
                defs[child.meta["def_id"]] = child
            elif child.name == "footnote_ref":
                refs.append((node.srcmap[0], child.meta["def_id"]))

    def footnote_ref(self, offset: int) -> str:
        number, repeat = self.footnotes[offset]
        ref = f"{number}:{repeat}" if repeat else str(number)
        return f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{ref}">[{ref}]</a></sup>'

    def footnote_block(self, order: list[tuple[Node, int]]) -> None:
        out = self.out
        out.append('<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">\n')
        for note, number in order:
            out.append(f'<li id="fn{number}" class="footnote-item">')
            backrefs = "".join(_BACKREF.format(f"{number}:{j}" if j else number)
                               for j in range(max(self.counts[number - 1], 1)))
            children = self.content(note.children)
            if note.meta.get("inline"):
                # markdown-it-py gives an inline note's paragraph no position: line
                # numbers in it count from the last block that had one.
                content = children[0].children if children and children[0].name == "paragraph" else children
                inner = [c for c in content if c.name != "footnote_ref_anchor"]
                first = next((c.srcmap for c in inner if c.srcmap is not None), None)
                last_line = self.line_at(self.last_offset)
                shift = last_line - (self.line_at(first[0]) if first is not None else last_line)
                out.append("<p>")
                self.inline(inner, shift=shift)
                out.append(backrefs + "</p>\n")
            else:
                for child in children[:-1]:
                    self.block(child)
                if children and children[-1].name == "paragraph":
                    last = children[-1]
                    if last.srcmap is not None:
                        self.last_offset = last.srcmap[0]
                    out.append("<p>")
                    self.inline([c for c in last.children if c.name != "footnote_ref_anchor"])
                    out.append(backrefs + "</p>\n")
                else:
                    if children:
                        self.block(children[-1])
                    out.append(backrefs)
            out.append("</li>\n")
        out.append("</ol>\n</section>\n")

    # -- inline

    def inline(self, nodes: Any, in_heading: bool = False, title: list[str] | None = None,
               shift: int = 0) -> None:
        """One inline token's children, as markdown-it-py's core rules would leave and render them.

        ``title`` collects the text a heading id is made of; ``shift`` corrects
        the lines of an inline footnote.
        """
        if len(nodes) == 1 and nodes[0].name == "text":  # most blocks: one plain text
            content = nodes[0].meta["content"]
            if "[[" not in content:
                if self.needs_typography(content):
                    tok = _Tok("text", content, 0)
                    self.typography([tok])
                    content = tok.content
                self.text(content, not in_heading, title)
                return
        toks: list[_Tok] = []
        self.flatten(nodes, 0, toks)
        if self.wikilink_seen:
            toks = self.split_wikilinks(toks)
            self.wikilink_seen = False
        self.typography(toks)
        out = self.out
        mentions = not in_heading
        link_depth = 0
        text = ""
        for tok in toks:  # ``text_join``, then ``_link_children`` and the render rules
            kind = tok.type
            if kind == "text" or kind == "text_special":
                text += tok.content
                continue
            if text:
                self.text(text, mentions and not link_depth, title)
                text = ""
            if kind == "wikilink":
                if link_depth:
                    # markdown-it-py's link label parser stops at a token starting with "["
                    # (``disableNested``), so it made no link there at all.
                    raise _Fallback("[[...]] inside a link's text")
                self.wikilink(tok.info, self.page.body_line + self.line_of(tok.node) + shift, title)
            elif kind == "link_open":
                link_depth += 1
                out.append(tok.html)
            elif kind == "link_close":
                link_depth -= 1
                out.append("</a>")
            elif kind == "code_inline":
                if title is not None:
                    title.append(tok.content)
                out.append(f"<code>{escapeHtml(tok.content)}</code>")
            elif kind == "image" and tok.node is not None:
                self.image(tok.node)
            elif kind == "footnote_ref" and tok.node is not None:
                self.reference(tok.node, link_depth)
            else:
                out.append(_TAGS[kind])
        if text:
            self.text(text, mentions and not link_depth, title)

    def reference(self, node: Node, link_depth: int) -> None:
        """A footnote reference: numbered now if the notes are, else a placeholder until they are."""
        if node.name == "footnote_ref":
            if link_depth:
                raise _Fallback("[^...] inside a link's text")
            if node.srcmap is None:
                raise _Fallback("a footnote reference without position")
            offset = node.srcmap[0]
            def_id = node.meta["def_id"]
        else:
            found: list[tuple[int, int]] = []
            self.note_ref(node, found)
            offset, def_id = found[0]
        if offset in self.footnotes:
            self.out.append(self.footnote_ref(offset))
        else:
            self.refs.append((offset, def_id, len(self.out)))
            self.out.append("")

    def flatten(self, nodes: Any, level: int, toks: list[_Tok]) -> None:
        """Inline nodes as markdown-it-py's flat token list (text runs joined, as ``fragments_join`` does)."""
        for node in nodes:
            name = node.name
            if name == "text":
                content = node.meta["content"]
                if "[" in content:  # a "[[" may also span two nodes
                    self.wikilink_seen = True
                if toks and toks[-1].type == "text":
                    toks[-1].content += content
                else:
                    toks.append(_Tok("text", content, level, node))
            elif name == "text_special":
                toks.append(_Tok("text_special", node.meta["content"], level, node))
            elif name == "softbreak" or name == "hardbreak":
                toks.append(_Tok(name, "", level))
            elif name in _PAIRS:
                tag = _PAIRS[name]
                toks.append(_Tok(tag + "_open", "", level))
                self.flatten(node.children, level + 1, toks)
                toks.append(_Tok(tag + "_close", "", level))
            elif name == "link":
                meta = node.meta
                href = self.r.checked_url(meta["url"])
                title = meta.get("title")
                html = f'<a href="{href}" title="{escapeHtml(title)}">' if title else f'<a href="{href}">'
                toks.append(_Tok("link_open", "", level, html=html))
                self.flatten(node.children, level + 1, toks)
                toks.append(_Tok("link_close", "", level))
            elif name == "code_inline":
                if node.srcmap is not None:
                    self.code.append(node.srcmap)
                toks.append(_Tok("code_inline", "".join([c.meta["content"] for c in node.children]), level))
            elif name == "image" or name == "footnote_ref" or name == "footnote_inline":
                toks.append(_Tok("footnote_ref" if name != "image" else name, "", level, node))
            elif name == "autolink":
                self.autolink(node, level, toks)
            else:
                raise _Fallback(f"inline {name}")

    def autolink(self, node: Node, level: int, toks: list[_Tok]) -> None:
        raw = "".join(c.meta["content"] for c in node.children)
        if AUTOLINK_RE.search(raw):
            href = normalizeLink(raw)
        elif EMAIL_RE.search(raw):
            href = normalizeLink("mailto:" + raw)
        else:
            raise _Fallback("an autolink markdown-it-py would not read")
        if not is_safe_url(href):
            raise _Fallback("an autolink that is_safe_url refuses")
        toks.append(_Tok("link_open", "", level, info="auto", html=f'<a href="{escapeHtml(href)}">'))
        toks.append(_Tok("text", normalizeLinkText(raw), level + 1))
        toks.append(_Tok("link_close", "", level, info="auto"))

    def split_wikilinks(self, toks: list[_Tok]) -> list[_Tok]:
        """Cut ``[[...]]`` out of the text, where markdown-it-py's inline rule made its own tokens."""
        result = []
        for tok in toks:
            spans = _wikilinks(tok.content) if tok.type == "text" else []
            if not spans:
                result.append(tok)
                continue
            cursor = 0
            for start, end in spans:
                if start > cursor:
                    result.append(_Tok("text", tok.content[cursor:start], tok.level, tok.node))
                inner = tok.content[start + 2:end - 2]
                self.wikilinks.append(inner)
                result.append(_Tok("wikilink", f"[[{inner}]]", tok.level, tok.node, info=inner))
                cursor = end
            if cursor < len(tok.content):
                result.append(_Tok("text", tok.content[cursor:], tok.level, tok.node))
        return result

    def needs_typography(self, text: str) -> bool:
        return ((self.quotes and ("'" in text or '"' in text))
                or (self.rare and ("--" in text or ".." in text or "+-" in text or "??" in text or "!!" in text
                                   or ",," in text))
                or (self.scoped and "(" in text))

    def typography(self, toks: list[_Tok]) -> None:
        """markdown-it-py's ``replacements`` and ``smartquotes`` rules, run on our tokens."""
        found = "".join([tok.content for tok in toks if tok.type == "text" and self.needs_typography(tok.content)])
        if not found:
            return
        tokens: Any = toks  # the rules read and write only what ``_Tok`` has
        if self.scoped and SCOPED_ABBR_RE.search(found):
            replace_scoped(tokens)
        if self.rare and RARE_RE.search(found):
            replace_rare(tokens)
        if self.quotes and ("'" in found or '"' in found):
            texts = [tok for tok in toks if tok.type == "text"]
            if all(_apostrophes_only(tok.content) for tok in texts):
                # Each quote stands between two letters or digits, where ``smartquotes``
                # makes "'" an apostrophe and leaves '"' as it is: the common case, done fast.
                for tok in texts:
                    tok.content = tok.content.replace("'", "\u2019")
                return
            for i, tok in enumerate(toks):
                if tok.type == "image":
                    toks[i] = _ImageTok(tok, self.source_bytes())
            process_inlines(tokens, self.r.quote_state)

    def text(self, text: str, mentions: bool, title: list[str] | None) -> None:
        """A text token: escaped, with its actor mentions linked as ``BodyRenderer._mentions`` does."""
        out = self.out
        if title is not None:
            title.append(text)
        special = "&" in text or "<" in text or ">" in text or '"' in text
        matches = self.find_mentions(text) if mentions and self.find_mentions is not None else None
        if not matches:
            out.append(escapeHtml(text) if special else text)
            return
        _write_mentions(self.r, self.page, text, matches, out, escapeHtml if special else str)

    def wikilink(self, inner: str, line: int, title: list[str] | None) -> None:
        _write_wikilink(self.r, self.page, inner, line, self.out, title)

    def image(self, node: Node) -> None:
        meta = node.meta
        src = self.r.checked_url(meta["url"])
        alt = escapeHtml("".join(self.alt_text(node.children)))
        title = meta.get("title")
        self.out.append(f'<img src="{src}" alt="{alt}" title="{escapeHtml(title)}" />' if title
                        else f'<img src="{src}" alt="{alt}" />')

    def alt_text(self, nodes: Any) -> list[str]:
        """``renderInlineAsText``: text and code only, untouched by the typographer; a ``[[...]]`` shows nothing."""
        parts: list[str] = []
        run: list[str] = []  # adjacent text nodes, where a [[...]] may be
        for node in nodes:
            name = node.name
            if name == "text":
                run.append(node.meta["content"])
                continue
            if run:
                parts.append(self.without_wikilinks("".join(run)))
                run = []
            if name == "text_special":
                parts.append(node.meta["content"])
            elif name == "softbreak" or name == "hardbreak":
                parts.append("\n")
            elif name == "code_inline":
                parts.append("".join(c.meta["content"] for c in node.children))
            elif name in _PAIRS:
                parts.extend(self.alt_text(node.children))
            elif name == "link" or name == "image":
                _checked_url(node.meta["url"])  # else markdown-it-py shows the link's source in the alt
                parts.extend(self.alt_text(node.children))
            else:
                raise _Fallback(f"{name} in alt text")
        if run:
            parts.append(self.without_wikilinks("".join(run)))
        return parts

    def without_wikilinks(self, text: str) -> str:
        if "[[" not in text:
            return text
        kept = []
        cursor = 0
        for start, end in _wikilinks(text):
            self.wikilinks.append(text[start + 2:end - 2])
            kept.append(text[cursor:start])
            cursor = end
        kept.append(text[cursor:])
        return "".join(kept)

    # -- positions

    def source_bytes(self) -> bytes:
        if self._body_bytes is None:
            self._body_bytes = self.body.encode("utf-8")
        return self._body_bytes

    def line_of(self, node: Node | None) -> int:
        if node is None or node.srcmap is None:
            raise _Fallback("text without position")
        return self.line_at(node.srcmap[0])

    def line_at(self, offset: int) -> int:
        """The 0-based line of a byte offset (markdown-it-pyrs counts in bytes)."""
        return self.source_bytes().count(b"\n", 0, offset)


# ---------------------------------------------------------------- plain bodies, rendered in Rust

_MARKUP_SPLIT_RE = re.compile(
    r'(<(?:a [^>]*|/a|code[^>]*|/code|h[1-6]|/h[1-6]|section class="footnotes"|li id="fn[^>]*)>)')
"""The tags that change what happens to the text after them; the others stay inside the text."""
_TAG_RE = re.compile(r"(<[^>]*>)")
_HREF_RE = re.compile(r'<a href="([^"]*)"')
_FOOTNOTE_REF_RE = re.compile(r'<a href="#fn(\d+)" id="fnref(\d+)">')
_HIDDEN_PARAGRAPH_CODE_RE = re.compile(r"(?:[^>]|</?(?:em|strong|s|a|code|sup)\b[^>]*>)\n<pre>")
_INLINE_TAGS = frozenset({"<em>", "</em>", "<strong>", "</strong>", "<s>", "</s>"})
_NOTE_BLOCK_RE = re.compile(r'<(?:ul|ol>|ol (?!class="footnotes-list")|blockquote|pre|table|h[1-6]|hr|sup)')


def _plain(body: str, source: _Source) -> bool:
    """Whether ``_HtmlPass`` may take the body: none of the constructs it leaves to the walk, which
    are raw HTML and autolinks ("<"), entities, escapes, double quotes (which ``smartquotes`` pairs),
    images (their alt text is not rendered text), inline notes and reference definitions."""
    return (body.endswith("\n") and not source.definitions  # six substring searches beat one regex 2x
            and not ("<" in body or "&" in body or "\\" in body or '"' in body or "![" in body or "^[" in body))


class _NotPlain(Exception):
    """The body is not plain after all: ``_Walk`` renders it."""


class _HtmlPass:
    """A plain body: markdown-it-pyrs renders it whole, and this pass does what markdown-it-py's
    core rules add to the text: typography, ``[[...]]``, mentions, heading ids.

    Text between two tags is one text token of markdown-it-py (or several joined
    by soft breaks, which no name spans). Only the tags that change what is done
    to text (links, code, headings, notes) split the HTML here; the rules that
    look at a token's ends see the other tags too. Whatever the pass cannot vouch
    for it leaves to ``_Walk``: quotes not between two letters, footnotes
    referenced out of order or twice, notes of more than a paragraph, markup in
    a heading other than emphasis, code and links, an unknown ``[[...]]`` (whose
    line the walk knows).
    """

    def __init__(self, renderer: FastBodyRenderer, page: _PageState, source: _Source) -> None:
        self.r = renderer
        self.page = page
        self.source = source
        self.find_mentions = renderer.find_mentions if renderer.trie else None
        self.slugs: set[str] = set()
        self.found: list[str] = []
        """The inner text of every ``[[...]]`` met."""

    def run(self, body: str) -> str | None:
        """The body's HTML, or None to leave it to the walk."""
        try:
            return self.html(_unpanicked(self.r.fast_md.render, body))
        except _NotPlain:
            return None

    def html(self, rendered: str) -> str:
        if "<blockquote>\n</blockquote>" in rendered:  # markdown-it-py writes an empty quote on one line
            rendered = rendered.replace("<blockquote>\n</blockquote>", "<blockquote></blockquote>")
        if "\n<pre>" in rendered and _HIDDEN_PARAGRAPH_CODE_RE.search(rendered):
            raise _NotPlain  # in a tight list markdown-it-py puts code right after the item's text
        notes_at = rendered.find('<section class="footnotes">')
        if notes_at >= 0:
            notes = rendered[notes_at:]
            if notes.count("<p>") != notes.count('<li id="fn') or _NOTE_BLOCK_RE.search(notes):
                raise _NotPlain  # a note of more than one paragraph
        parts = _MARKUP_SPLIT_RE.split(rendered)
        out: list[str] = []
        links = code = 0
        heading: list[str] | None = None  # the text of the heading being rendered
        heading_at = 0
        notes_seen = 0
        refs: list[int] = []
        in_notes = False
        typography = self.source.quotes or self.source.rare or self.source.scoped
        for i, part in enumerate(parts):
            if not i % 2:  # text, perhaps with tags that do not matter here
                if not part:
                    continue
                if code:
                    if heading is not None:
                        if "&" in part:
                            raise _NotPlain  # an escaped ">" in code in a heading
                        heading.append(part)
                    if "[[" in part:  # code, not a link: counted to compare with the source
                        self.found.extend(part[start + 2:end - 2] for start, end in _wikilinks(part))
                    out.append(part)
                    continue
                if "&" in part:
                    raise _NotPlain  # an escaped ">"
                if in_notes and part[-1:] == " " and parts[i + 1].startswith('<a href="#fnref'):
                    parts[i + 1] = " " + parts[i + 1]  # the space before a back link is not the note's text
                    part = part[:-1]
                if heading is not None or "[[" in part:
                    self.text(part, out, heading, mentions=not links and heading is None, in_link=links > 0)
                    continue
                self.write(self.typography(part) if typography else part, out, mentions=not links)
                continue
            if part[:2] == " <":
                out.append(" ")
                part = part[1:]
            if part[1] == "a":
                href = _HREF_RE.match(part)
                if href is None:
                    raise _NotPlain
                url = href.group(1)
                if not url.startswith("#fn"):
                    if self.r.checked_url(url) != url:
                        raise _NotPlain
                elif not in_notes:
                    ref = _FOOTNOTE_REF_RE.match(part)
                    if ref is None or ref.group(1) != ref.group(2) or heading is not None:
                        raise _NotPlain  # a repeated reference ("fnref1:1"), or one in a heading
                    refs.append(int(ref.group(1)))
                links += 1
            elif part == "</a>":
                links -= 1
            elif part[1] == "c":
                code += 1
            elif part == "</code>":
                code -= 1
            elif part[1] == "h":
                heading = []
                heading_at = len(out)
            elif part[:3] == "</h":
                if heading is not None and part in ("</h2>", "</h3>"):
                    slug = unique_slug(slugify("".join(heading)) or "section", self.slugs)
                    out[heading_at] = f'<{part[2:-1]} id="{escapeHtml(slug)}">'
                heading = None
            elif part[1] == "s":
                in_notes = True
            else:  # <li id="fn...">: markdown-it-py puts the paragraph right after it
                notes_seen += 1
                if not parts[i + 1].startswith("\n<p>"):
                    raise _NotPlain
                parts[i + 1] = parts[i + 1][1:]
            out.append(part)
        if sorted(self.found) != sorted(inner for _, inner in self.source.wikilinks):
            raise _NotPlain  # a [[...]] read differently
        if (refs or notes_seen or self.source.footnotes) and (
                refs != list(range(1, len(refs) + 1)) or notes_seen != len(refs)
                or notes_seen != self.source.footnotes):
            raise _NotPlain  # numbered otherwise than by first reference, or a note not referenced
        return "".join(out)

    def text(self, text: str, out: list[str], heading: list[str] | None, mentions: bool, in_link: bool) -> None:
        """Text with ``[[...]]`` in it, or in a heading."""
        pieces: list[tuple[str, str]] = [("text", text)]
        if "[[" in text:
            if in_link:
                raise _NotPlain
            pieces = []
            cursor = 0
            for start, end in _wikilinks(text):
                pieces.append(("text", text[cursor:start]))
                inner = text[start + 2:end - 2]
                self.found.append(inner)
                pieces.append(("wikilink", inner))
                cursor = end
            pieces.append(("text", text[cursor:]))
        for kind, piece in pieces:
            if kind == "wikilink":
                self.wikilink(piece, out, heading)
                continue
            if not piece:
                continue
            piece = self.typography(piece)
            if heading is not None:
                if "<" in piece:
                    if not _INLINE_TAGS.issuperset(_TAG_RE.findall(piece)):
                        raise _NotPlain  # a line break in a heading: not part of markdown-it-py's title
                    heading.append(_TAG_RE.sub("", piece))
                else:
                    heading.append(piece)
            self.write(piece, out, mentions)

    def write(self, text: str, out: list[str], mentions: bool) -> None:
        """Text after typography, with its mentions linked where they count."""
        matches = self.mentions(text) if mentions and self.find_mentions is not None else None
        if matches:
            _write_mentions(self.r, self.page, text, matches, out)
        else:
            out.append(text)

    def typography(self, text: str) -> str:
        """``replacements`` and ``smartquotes`` on text, where they are sure to act as on its tokens.

        A quote between two letters is an apostrophe whatever surrounds it; the
        replacements look at the ends of a token, so they run tag by tag.
        """
        if self.source.scoped and "(" in text and SCOPED_ABBR_RE.search(text):
            raise _NotPlain
        if self.source.rare and RARE_RE.search(text):
            pieces = _TAG_RE.split(text)
            for k in range(0, len(pieces), 2):
                if RARE_RE.search(pieces[k]):
                    tok: Any = _Tok("text", pieces[k], 0)
                    replace_rare([tok])
                    pieces[k] = tok.content
            text = "".join(pieces)
        if self.source.quotes and "'" in text:
            if not _apostrophes_only(text, "'"):  # the '"' of tags in the text do not count
                raise _NotPlain
            text = text.replace("'", "\u2019")
        return text

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        """``find_mentions`` on text, less any match inside one of the tags it holds."""
        assert self.find_mentions is not None
        matches = self.find_mentions(text)
        if matches and "<" in text:
            matches = [m for m in matches if text.rfind("<", 0, m[0]) <= text.rfind(">", 0, m[0])]
        return matches

    def wikilink(self, inner: str, out: list[str], heading: list[str] | None) -> None:
        """``_Walk.wikilink``; an unknown target leaves the body to the walk, which knows its line."""
        problems = len(self.page.problems)
        _write_wikilink(self.r, self.page, inner, 0, out, heading)
        if len(self.page.problems) != problems:
            raise _NotPlain
