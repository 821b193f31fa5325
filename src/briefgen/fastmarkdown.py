"""The Markdown stage on a Rust parser: markdown-it-pyrs parses, a small renderer here writes HTML.

``FastBodyRenderer`` is a drop-in for ``BodyRenderer``: same constructor, same
``render``, byte-identical HTML, mentions, links and errors. markdown-it-pyrs
takes no Python plugins, so wikilinks and mentions are done while walking the
text nodes of its tree, with the helpers of ``briefgen.markdown``.

Where the two parsers could disagree (a ``[[...]]`` that the Rust parser reads
differently, a URL that ``is_safe_url`` refuses, footnotes defined twice, ...)
the body is checked for it up front or while walking, and handed to
``BodyRenderer`` whole: rarer constructs cost speed, never correctness.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import mdurl
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.common.utils import MD_TRIM_RE, escapeHtml, mdTrim, unescapeAll
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE
from markdown_it.token import Token
from markdown_it_pyrs import MarkdownIt, Node
from mdit_py_plugins.anchors.index import unique_slug

from briefgen.markdown import (
    _END,
    WORD_RE as _WORD_RE,
    BodyRenderer,
    BodyResult,
    LinkIndex,
    _mention_attrs,
    _PageState,
    is_safe_url,
)
from briefgen.urls import slugify

# "html_block" and "html_inline" are left out: raw HTML stays text, as with ``html: False``.
_RULES = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
    "table", "strikethrough", "footnote", "replacements", "smartquotes",
]
_PLAIN_RULES = [r for r in _RULES if r not in ("replacements", "smartquotes")]

_TYPOGRAPHY_RE = re.compile(r"['\"]|\+-|\.\.|\?\?\?\?|!!!!|,,|--|\((?:c|tm|r)\)", re.IGNORECASE)
_REFERENCE_DEF_RE = re.compile(r"[ \t>]*\[(?:[^\]\\\n]|\\.)+\]:[ \t]*\n?[ \t>]*<?([^\s>]*)")
_WORD_CHAR_RE = re.compile(r"\w")
_ALIGN = {"left": ' style="text-align:left"', "right": ' style="text-align:right"',
          "center": ' style="text-align:center"'}
_BACKREF = ' <a href="#fnref{}" class="footnote-backref">\u21a9\ufe0e</a>'
_VOID_NAMES = frozenset({"footnote_ref_anchor"})


class _Fallback(Exception):
    """The body uses a construct where the two parsers may differ: render it with ``BodyRenderer``."""


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {escapeHtml(k)}="{escapeHtml(v)}"' for k, v in attrs.items())


def _wikilink_at(text: str, pos: int) -> int:
    """End of the ``[[...]]`` that ``_wikilink_rule`` would read at ``pos``, or -1."""
    end = text.find("]]", pos + 2)
    if end < 0:
        return -1
    inner = text[pos + 2:end]
    if not inner.strip() or "[" in inner or "\n" in inner.strip():
        return -1
    return end + 2


def _wikilinks(text: str) -> list[tuple[int, int]]:
    """Every ``[[...]]`` of ``text`` as (start, end), scanning left to right like the inline parser."""
    found = []
    pos = text.find("[[")
    while pos >= 0:
        end = _wikilink_at(text, pos)
        if end < 0:
            pos = text.find("[[", pos + 1)
        else:
            found.append((pos, end))
            pos = text.find("[[", end)
    return found


def _footnote_labels(body: str) -> list[str]:
    """Labels of everything that may be a footnote definition (``[^label]:``), a few too many at worst."""
    labels = []
    end = body.find("]:")
    while end >= 0:
        start = body.rfind("[^", 0, end)
        if start >= 0:
            label = body[start + 2:end]
            if label and "]" not in label and not any(c.isspace() for c in label):
                labels.append(label)
        end = body.find("]:", end + 2)
    return labels


def _source_checks(body: str) -> list[str]:
    """What the source holds that the tree must agree with; raises ``_Fallback`` early when it cannot."""
    if "]:" in body:
        labels = _footnote_labels(body) if "[^" in body else []
        if len(labels) != len(set(labels)):
            raise _Fallback("a footnote defined twice")
        # markdown-it-py drops a reference definition whose URL ``is_safe_url`` refuses
        # (the lines stay a paragraph); markdown-it-pyrs refuses fewer.
        end = body.find("]:")
        while end >= 0:
            line_start = body.rfind("\n", 0, end) + 1
            match = _REFERENCE_DEF_RE.match(body, line_start)
            if match is not None and body[line_start:end].lstrip(" \t>")[1:2] != "^":
                if not is_safe_url(unescapeAll(match.group(1))):
                    raise _Fallback("a reference definition with an unsafe URL")
            end = body.find("]:", end + 2)
    if "[[" not in body:
        return []
    return sorted(body[start + 2:end - 2] for start, end in _wikilinks(body))


class FastBodyRenderer:
    """Renders bodies against one ``LinkIndex`` like ``BodyRenderer``, about 3x faster; build one per process."""

    def __init__(self, index: LinkIndex, autolink: str = "first") -> None:
        self.index = index
        self.autolink = autolink
        self.slow = BodyRenderer(index, autolink)
        """The reference renderer: resolves ``[[...]]`` and takes the bodies handed over."""
        self.trie = self.slow.trie
        firsts = sorted({word[0] for word in self.trie})
        self._first_re = re.compile(f"[{re.escape(''.join(firsts))}]\\w*") if firsts else None
        self.md = MarkdownIt("zero").enable_many(_RULES)
        self.md_plain = MarkdownIt("zero").enable_many(_PLAIN_RULES)
        """Without typography, for image ``alt`` text, which markdown-it-py leaves as typed."""
        self._slugs: dict[str, str] = {}
        self._opening: dict[tuple[str, str], str] = {}
        self.fallbacks = 0
        """Bodies handed to ``BodyRenderer`` so far."""

    def render(self, body: str, src_path: str, body_line: int, root: str, self_id: str = "") -> BodyResult:
        """Render ``body`` for a page whose path back to the site root is ``root``."""
        page = _PageState(src_path=src_path, body_line=body_line, root=root, self_id=self_id)
        try:
            expected = _source_checks(body)
            walk = _Walk(self, page, body)
            html = walk.document(self.md.tree(body))
            if expected != sorted(walk.wikilinks):
                raise _Fallback("[[...]] read differently")
        except _Fallback:
            self.fallbacks += 1
            return self.slow.render(body, src_path, body_line, root, self_id)
        return BodyResult(
            html=html,
            html_digest=hashlib.blake2b(html.encode("utf-8"), digest_size=12).hexdigest(),
            mentions=tuple(sorted(page.mentions.items())),
            links=tuple(page.links),
            problems=tuple(page.problems),
        )

    def find_mentions(self, text: str) -> list[tuple[int, int, str]]:
        """``find_mentions(text, self.trie)``, several times faster on the long text of a body.

        ``find_mentions`` splits all of the text into words; here a regex finds
        only the words that begin with the first letter of some name, and the
        trie is walked from those. Tests check both give the same matches.
        """
        trie = self.trie
        found: list[tuple[int, int, str]] = []
        if self._first_re is None:
            return found
        resume = 0
        for match in self._first_re.finditer(text):
            node = trie.get(match.group())
            if node is None:
                continue
            start = match.start()
            if start < resume or (start and _WORD_CHAR_RE.match(text, start - 1)):
                continue
            pos = match.end()
            best = (pos, node[_END]) if _END in node else None
            while True:
                word = _WORD_RE.search(text, pos)
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

    def slug(self, title: str) -> str:
        slug = self._slugs.get(title)
        if slug is None:
            slug = self._slugs[title] = slugify(title) or "section"
        return slug

    def mention_open(self, root: str, actor_id: str) -> str:
        """``<a ...>`` of a mention: the same few for every page, so built once."""
        key = (root, actor_id)
        tag = self._opening.get(key)
        if tag is None:
            attrs = {"href": f"{root}actors/{actor_id}/index.html",
                     **_mention_attrs(actor_id, self.index.actors[actor_id])}
            tag = self._opening[key] = f"<a{_attrs(attrs)}>"
        return tag


class _Walk:
    """One body's render: the tree in, HTML out, with what ``BodyRenderer`` collects into ``page``."""

    def __init__(self, renderer: FastBodyRenderer, page: _PageState, body: str) -> None:
        self.r = renderer
        self.page = page
        self.body = body
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
        self._body_bytes: bytes | None = None

    # -- blocks

    def document(self, root: Node) -> str:
        children = root.children
        notes = children[-1] if children and children[-1].name == "footnote_container" else None
        if "]:" in self.body and "[^" in self.body:
            used = sum(not n.meta.get("inline") for n in notes.children) if notes is not None else 0
            if used != len(_footnote_labels(self.body)):
                raise _Fallback("a footnote defined but not referenced")
        if notes is not None:
            children = children[:-1]
            order = self.number_footnotes(root, notes)
        self.blocks(children)
        if notes is not None:
            self.footnote_block(order)
        return "".join(self.out)

    def blocks(self, nodes: Any) -> None:
        for node in nodes:
            self.block(node)

    def block(self, node: Node) -> None:
        out = self.out
        name = node.name
        srcmap = node.srcmap
        if srcmap is not None:
            self.last_offset = srcmap[0]
        if name == "paragraph":
            out.append("<p>")
            self.inline(node.children, False, False)
            out.append("</p>\n")
        elif name == "heading":
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
            children = node.children
            if children:
                out.append("<blockquote>\n")
                self.blocks(children)
                out.append("</blockquote>\n")
            else:
                out.append("<blockquote></blockquote>\n")
        elif name == "fence":
            self.fence(node)
        elif name == "code_block":
            out.append(f"<pre><code>{escapeHtml(node.meta['content'])}</code></pre>\n")
        elif name == "hr":
            out.append("<hr />\n")
        elif name == "table":
            self.table(node)
        else:
            raise _Fallback(f"block {name}")

    def heading(self, node: Node) -> None:
        level = node.meta["level"]
        if level in (2, 3):
            title: list[str] = []
            mark = len(self.out)
            self.out.append("")
            self.inline(node.children, True, False, title)
            slug = unique_slug(self.r.slug("".join(title)), self.slugs)
            self.out[mark] = f'<h{level} id="{escapeHtml(slug)}">'
        else:
            self.out.append(f"<h{level}>")
            self.inline(node.children, True, False)
        self.out.append(f"</h{level}>\n")

    def list_items(self, items: Any) -> None:
        out = self.out
        for item in items:
            children = item.children
            srcmap = item.srcmap
            if srcmap is not None:
                self.last_offset = srcmap[0]
            if not children:
                out.append("<li></li>\n")
                continue
            # A tight list has no paragraph nodes: its inline nodes stand in the item,
            # rendered bare, and markdown-it-py's renderer puts a newline between such
            # a hidden paragraph and a following block tag (not a fence or code block).
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
                    self.inline(run, False, False)
                    run = []
                    hidden = True
                if hidden and child.name not in ("fence", "code_block"):
                    out.append("\n")
                hidden = False
                self.block(child)
            if run:
                self.inline(run, False, False)
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
                    self.inline(td.children, False, False)
                    out.append(f"</{cell}>\n")
                out.append("</tr>\n")
            out.append(f"</{tag}>\n")
        out.append("</table>\n")

    # -- footnotes

    def number_footnotes(self, root: Node, notes: Node) -> list[tuple[Node, int]]:
        """Number footnotes as markdown-it-py does: by first reference in source order.

        markdown-it-pyrs numbers them by definition, so the references are
        collected with their offsets and numbered again here.
        """
        defs = {n.meta["def_id"]: n for n in notes.children}
        refs: list[tuple[int, int]] = []
        for node in root.walk():
            if node.name == "footnote_ref":
                if node.srcmap is not None:
                    refs.append((node.srcmap[0], node.meta["def_id"]))
            elif node.name == "footnote_inline":
                if node.srcmap is None:
                    raise _Fallback("an inline footnote without position")
                refs.append((node.srcmap[0], node.children[0].meta["def_id"]))
        refs.sort()
        numbers: dict[int, int] = {}
        counts: list[int] = []
        order: list[tuple[Node, int]] = []
        for offset, def_id in refs:
            number = numbers.get(def_id)
            if number is None:
                number = numbers[def_id] = len(counts) + 1
                counts.append(0)
                order.append((defs[def_id], number))
            self.footnotes[offset] = (number, counts[number - 1])
            counts[number - 1] += 1
        self.counts = counts
        return order

    def footnote_ref(self, offset: int) -> None:
        number, repeat = self.footnotes[offset]
        ref = f"{number}:{repeat}" if repeat else str(number)
        self.out.append(f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{ref}">[{ref}]</a></sup>')

    def footnote_block(self, order: list[tuple[Node, int]]) -> None:
        out = self.out
        out.append('<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">\n')
        for note, number in order:
            out.append(f'<li id="fn{number}" class="footnote-item">')
            backrefs = "".join(_BACKREF.format(f"{number}:{j}" if j else number)
                               for j in range(max(self.counts[number - 1], 1)))
            children = [c for c in note.children]
            if note.meta.get("inline"):
                # markdown-it-py gives the paragraph of an inline note no position:
                # its [[...]] lines count from the last block that had one.
                paragraph = children[0]
                inner = [c for c in paragraph.children if c.name not in _VOID_NAMES]
                first = next((c.srcmap for c in inner if c.srcmap is not None), None)
                last_line = self.line_at(self.last_offset)
                shift = last_line - (self.line_at(first[0]) if first is not None else last_line)
                out.append("<p>")
                self.inline(inner, False, False, None, shift)
                out.append(backrefs + "</p>\n")
            else:
                for child in children[:-1]:
                    self.block(child)
                if children:
                    last = children[-1]
                    if last.name == "paragraph":
                        if last.srcmap is not None:
                            self.last_offset = last.srcmap[0]
                        out.append("<p>")
                        self.inline([c for c in last.children if c.name not in _VOID_NAMES], False, False)
                        out.append(backrefs + "</p>\n")
                    else:
                        self.block(last)
                        out.append(backrefs)
                else:
                    out.append(backrefs)
            out.append("</li>\n")
        out.append("</ol>\n</section>\n")

    # -- inline

    def inline(self, nodes: Any, in_heading: bool, in_link: bool,
               title: list[str] | None = None, shift: int = 0) -> None:
        """Render inline nodes; ``title`` collects the text a heading's id is made of."""
        out = self.out
        run: list[Node] = []
        for node in nodes:
            name = node.name
            if name == "text" or name == "text_special":
                run.append(node)
                continue
            if run:
                self.text_run(run, in_heading or in_link, title, shift)
                run = []
            if name == "softbreak":
                out.append("\n")
            elif name == "hardbreak":
                out.append("<br />\n")
            elif name == "em":
                out.append("<em>")
                self.inline(node.children, in_heading, in_link, title, shift)
                out.append("</em>")
            elif name == "strong":
                out.append("<strong>")
                self.inline(node.children, in_heading, in_link, title, shift)
                out.append("</strong>")
            elif name == "strikethrough":
                out.append("<s>")
                self.inline(node.children, in_heading, in_link, title, shift)
                out.append("</s>")
            elif name == "code_inline":
                code = "".join(c.meta["content"] for c in node.children)
                if title is not None:
                    title.append(code)
                out.append(f"<code>{escapeHtml(code)}</code>")
            elif name == "link":
                meta = node.meta
                href = _checked_url(meta["url"])
                link_title = meta.get("title")
                attrs = f' title="{escapeHtml(link_title)}"' if link_title else ""
                out.append(f'<a href="{escapeHtml(href)}"{attrs}>')
                self.inline(node.children, in_heading, True, title, shift)
                out.append("</a>")
            elif name == "image":
                self.image(node)
            elif name == "autolink":
                self.autolink(node, title)
            elif name == "footnote_ref":
                if node.srcmap is None:
                    raise _Fallback("a footnote reference without position")
                self.footnote_ref(node.srcmap[0])
            elif name == "footnote_inline":
                self.footnote_ref(node.srcmap[0])
            else:
                raise _Fallback(f"inline {name}")
        if run:
            self.text_run(run, in_heading or in_link, title, shift)

    def text_run(self, run: list[Node], no_mentions: bool, title: list[str] | None, shift: int) -> None:
        """Adjacent text: one token for markdown-it-py once ``text_join`` ran."""
        if len(run) == 1:
            text = run[0].meta["content"]
        else:
            text = "".join([n.meta["content"] for n in run])
        if "[[" in text:
            self.text_with_wikilinks(run, text, no_mentions, title, shift)
            return
        if title is not None:
            title.append(text)
        if no_mentions or not self.r.trie:
            self.out.append(escapeHtml(text))
        else:
            self.mentions(text)

    def mentions(self, text: str) -> None:
        """``BodyRenderer._mentions``, writing HTML instead of tokens."""
        out = self.out
        matches = self.r.find_mentions(text)
        if not matches:
            out.append(escapeHtml(text))
            return
        page = self.page
        first_only = self.r.autolink == "first"
        cursor = 0
        for start, end, actor_id in matches:
            if actor_id == page.self_id:
                continue
            page.mentions[actor_id] += 1
            if first_only and actor_id in page.linked:
                continue
            page.linked.add(actor_id)
            if start > cursor:
                out.append(escapeHtml(text[cursor:start]))
            out.append(self.r.mention_open(page.root, actor_id))
            out.append(escapeHtml(text[start:end]))
            out.append("</a>")
            cursor = end
        out.append(escapeHtml(text[cursor:]))

    def text_with_wikilinks(self, run: list[Node], text: str, no_mentions: bool,
                            title: list[str] | None, shift: int) -> None:
        # Offsets in ``text`` where each node starts; a [[...]] may not cover an
        # escape or an entity, which markdown-it-py's rule sees as typed.
        starts = []
        offset = 0
        for node in run:
            starts.append(offset)
            offset += len(node.meta["content"])
        cursor = 0
        for start, end in _wikilinks(text):
            for node, node_start in zip(run, starts):
                node_end = node_start + len(node.meta["content"])
                if node.name == "text_special" and node_start < end and start < node_end:
                    raise _Fallback("[[...]] over an escape or entity")
            inner = text[start + 2:end - 2]
            if end < len(text) and text[end] == "-" or start > 0 and text[start - 1] == "-":
                raise _Fallback("[[...]] next to a dash the typographer may read differently")
            self.wikilinks.append(inner)
            self.plain(text[cursor:start], no_mentions, title)
            node_index = max(i for i, s in enumerate(starts) if s <= start)
            self.wikilink(inner, self.line_of(run[node_index]) + shift, title)
            cursor = end
        self.plain(text[cursor:], no_mentions, title)

    def plain(self, text: str, no_mentions: bool, title: list[str] | None) -> None:
        if not text:
            return
        if title is not None:
            title.append(text)
        if no_mentions or not self.r.trie:
            self.out.append(escapeHtml(text))
        else:
            self.mentions(text)

    def wikilink(self, inner: str, line: int, title: list[str] | None) -> None:
        target, _, label = inner.partition("|")
        token = Token("wikilink", "", 0)
        token.meta = {"target": target.strip(), "label": label.strip(), "line": 0}
        token.content = f"[[{inner}]]"
        for out in self.r.slow._wikilink(token, self.page, line):
            if out.type == "text":
                if title is not None:
                    title.append(out.content)
                self.out.append(escapeHtml(out.content))
            elif out.type == "link_open":
                self.out.append(f"<a{_attrs(dict(out.attrs))}>")  # type: ignore[arg-type]
            else:
                self.out.append("</a>")

    def image(self, node: Node) -> None:
        meta = node.meta
        src = _checked_url(meta["url"])
        children = node.children
        if node.srcmap is None:
            raise _Fallback("an image without position")
        start, end = node.srcmap
        raw = self.source_bytes()[start:end].decode("utf-8")
        if _TYPOGRAPHY_RE.search(raw):
            # markdown-it-py does not run the typographer on alt text: parse it again without.
            again = self.r.md_plain.tree(raw).children
            if (len(again) != 1 or again[0].name != "paragraph" or len(again[0].children) != 1
                    or again[0].children[0].name != "image"):
                raise _Fallback("an image that does not parse alone")
            children = again[0].children[0].children
        alt = "".join(self.alt_text(children))
        title = meta.get("title")
        attrs = f' title="{escapeHtml(title)}"' if title else ""
        self.out.append(f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{attrs} />')

    def alt_text(self, nodes: Any) -> list[str]:
        """``renderInlineAsText``: text and code only; a [[...]] there stays a token and shows nothing."""
        parts: list[str] = []
        run: list[str] = []
        for node in nodes:
            name = node.name
            if name in ("text", "text_special"):
                run.append(node.meta["content"])
                continue
            if run:
                parts.append(self.alt_run("".join(run)))
                run = []
            if name in ("softbreak", "hardbreak"):
                parts.append("\n")
            elif name == "code_inline":
                parts.append("".join(c.meta["content"] for c in node.children))
            elif name in ("em", "strong", "strikethrough", "link", "image"):
                parts.extend(self.alt_text(node.children))
            else:
                raise _Fallback(f"{name} in alt text")
        if run:
            parts.append(self.alt_run("".join(run)))
        return parts

    def alt_run(self, text: str) -> str:
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

    def autolink(self, node: Node, title: list[str] | None) -> None:
        raw = "".join(c.meta["content"] for c in node.children)
        if "'" in raw or '"' in raw:
            raise _Fallback("quotes in an autolink, which markdown-it-py's typographer changes")
        if AUTOLINK_RE.search(raw):
            href = normalizeLink(raw)
        elif EMAIL_RE.search(raw):
            href = normalizeLink("mailto:" + raw)
        else:
            raise _Fallback("an autolink markdown-it-py would not read")
        if not is_safe_url(href):
            raise _Fallback("an unsafe autolink")
        text = normalizeLinkText(raw)
        if title is not None:
            title.append(text)
        self.out.append(f'<a href="{escapeHtml(href)}">{escapeHtml(text)}</a>')

    # -- positions

    def source_bytes(self) -> bytes:
        if self._body_bytes is None:
            self._body_bytes = self.body.encode("utf-8")
        return self._body_bytes

    def line_at(self, offset: int) -> int:
        """The 0-based line of a byte offset (markdown-it-pyrs counts in bytes)."""
        return self.source_bytes().count(b"\n", 0, offset)

    def line_of(self, node: Node) -> int:
        srcmap = node.srcmap
        if srcmap is None:
            raise _Fallback("text without position")
        return self.page.body_line + self.line_at(srcmap[0])


_INLINE_NAMES = frozenset({
    "text", "text_special", "softbreak", "hardbreak", "em", "strong", "strikethrough", "code_inline",
    "link", "image", "autolink", "footnote_ref", "footnote_inline",
})


def _checked_url(url: str) -> str:
    """markdown-it-pyrs' normalized URL, if markdown-it-py would have emitted the same one."""
    if not is_safe_url(url):
        raise _Fallback("a URL that is_safe_url refuses")
    if "%" in url:
        # markdown-it-py punycodes host names and keeps IPv6 brackets; markdown-it-pyrs
        # percent-encodes both. Elsewhere the two encodings agree.
        parsed = mdurl.parse(url, slashes_denote_host=True)
        if "%" in (parsed.hostname or "") or "%" in (parsed.auth or ""):
            raise _Fallback("a URL with an encoded host")
    return url
