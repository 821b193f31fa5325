"""The example brief is written in its own words: no run of eight words is copied from its sources.

The two analyses the example draws on live beside the repository, in
``../shared/sources/*.txt``, not in it. Where they are present, every run of
eight consecutive words in ``content/`` (lowercased, punctuation dropped) must
be absent from them, except inside quotation marks, where copying is the
point. A source record's ``title`` is the headline of the piece it records, a
quotation by nature, and ``url`` is an address, so both are left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "sources"
RUN = 8

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”')
NOT_PROSE = {"url"}


def words(text: str) -> list[str]:
    """The words of a text, lowercased, with typographic apostrophes made plain so both sides agree."""
    return WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def runs(text: str) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i:i + RUN]) for i in range(len(found) - RUN + 1)}


def unquoted(text: str) -> str:
    """The text with its quoted passages cut out; each cut breaks a run, so words either side do not join."""
    return QUOTED.sub(" ¶ ", text)


def prose_of(path: Path) -> list[str]:
    """The writer's own text in a content file: front-matter strings (not titles of sources, not URLs) and body."""
    text = path.read_text("utf-8")
    front, body = {}, text
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        front = yaml.safe_load(head) or {}
    skip = NOT_PROSE | ({"title"} if path.parent.name == "sources" else set())
    strings: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({key: value for key, value in front.items() if key not in skip})
    return [unquoted(s) for s in [*strings, body]]


def test_words_and_quotes_are_read_as_intended() -> None:
    assert words("Russia’s “quoted” 2,000-kilometre route!") == ["russia's", "quoted", "2", "000", "kilometre", "route"]
    assert unquoted('he said "not of a military nature" then') == "he said  ¶  then"
    assert runs("one two three four five six seven eight nine") == {
        ("one", "two", "three", "four", "five", "six", "seven", "eight"),
        ("two", "three", "four", "five", "six", "seven", "eight", "nine")}


def test_a_copied_run_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "content" / "events" / "copied.md"
    page.parent.mkdir(parents=True)
    page.write_text('---\ntitle: "x"\n---\nHe said the flights were "not of a military nature" at all,'
                    " and Shoigu's response was met with derision in Azerbaijan.\n", "utf-8")
    source = runs("Shoigu’s response was met with derision in Azerbaijan (Mod.gov.az). Not of a military nature at all.")
    copied = set().union(*(runs(text) & source for text in prose_of(page)))
    assert copied == {("shoigu's", "response", "was", "met", "with", "derision", "in", "azerbaijan")}


@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"the source texts are not here ({SOURCES}): nothing to compare with")
def test_no_run_of_eight_words_is_copied_from_the_sources() -> None:
    texts = sorted(SOURCES.glob("*.txt"))
    assert texts, f"no source text in {SOURCES}"
    source = set().union(*(runs(p.read_text("utf-8")) for p in texts))
    pages = sorted((REPO / "content").rglob("*.md"))
    assert len(pages) > 40
    copied = {f"{page.relative_to(REPO)}: {' '.join(run)}"
              for page in pages for text in prose_of(page) for run in runs(text) & source}
    assert not copied, "copied from the sources:\n" + "\n".join(sorted(copied))
