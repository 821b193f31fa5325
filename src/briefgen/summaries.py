"""What an event's list entry says happened, when its front matter has no ``summary``, and
what a preview card says of any actor, event or article: the first sentence of its body, taken
from the body's tokens once they are linked, so ``[[links]]``, mentions and emphasis read as the
text a reader sees."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

LEAD_LIMIT = 240
"""A lead longer than this is cut at a word and ends in "…": a list entry is one line."""

_END_RE = re.compile(r"(?<=[.!?])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?(\w))")
"""Where a sentence may end: after . ! or ?, closing quotes and space, before a word (which
must start with a capital or a digit)."""

ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen", "rep",
    "pres", "prof", "no", "vs", "c", "ca", "cf", "e.g", "i.e", "etc", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "inc", "ltd", "co", "corp",
})
"""Words whose full stop does not end a sentence ("Gen. Hasanov", "c. 1,000 troops")."""


def lead_text(tokens: Sequence[Token]) -> str:
    """The text of the body's first paragraph, as read: link text kept, footnote marks and images left out."""
    for position, block in enumerate(tokens):
        if block.type == "inline" and position > 0 and tokens[position - 1].type == "paragraph_open":
            words = []
            for child in block.children or ():
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            text = " ".join("".join(words).split())
            if text:
                return text
    return ""


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, at most ``LEAD_LIMIT`` characters."""
    for end in _END_RE.finditer(text):
        if not (end.group(2).isupper() or end.group(2).isdigit()):
            continue
        before = text[:end.start(1)]
        word = before.rsplit(None, 1)[-1].rstrip(".!?").casefold() if before.strip() else ""
        if before.endswith(".") and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue  # "Gen. Hasanov", "J. Smith"
        text = text[:end.end(1)]
        break
    if len(text) <= LEAD_LIMIT:
        return text
    cut = text[:LEAD_LIMIT].rsplit(None, 1)[0].rstrip(",;:—–-")
    return cut + "…"


def event_lead(tokens: Sequence[Token]) -> str:
    """The first sentence of a linked body's first paragraph: what a list says an event was."""
    return first_sentence(lead_text(tokens))
