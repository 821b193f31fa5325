from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.markdown import (MAX_NESTING, ActorTarget, BodyRenderer, LinkIndex, build_trie, find_mentions,
                               is_safe_url)

INDEX = LinkIndex(
    actors={
        "aliyev": ActorTarget("Ilham Aliyev", "person", "President of Azerbaijan"),
        "putin": ActorTarget("Vladimir Putin", "person"),
        "hajiyev": ActorTarget("Hikmet Hajiyev", "person"),
        "lavrov": ActorTarget("Sergey Lavrov", "person"),
        "russia": ActorTarget("Russia", "state"),
    },
    actor_names={
        "Ilham Aliyev": "aliyev", "Aliyev": "aliyev", "Ilham Əliyev": "aliyev",
        "Vladimir Putin": "putin", "Putin": "putin",
        "Hikmet Hajiyev": "hajiyev", "Hajiyev": "hajiyev", "Hikmət Hacıyev": "hajiyev",
        "Sergey Lavrov": "lavrov", "Сергей Лавров": "lavrov",
        "Russia": "russia", "the Kremlin": "russia",
    },
    events={"tovuz": "Tovuz clashes"},
    articles={"cargo": "Cargo flights"},
)


def load_fixtures(name: str) -> list[tuple[str, str, str]]:
    text = (Path(__file__).parent / "fixtures" / name).read_text("utf-8")
    cases = []
    for block in text.split("\n.\n\n"):
        title, source, expected = block.split("\n.\n")[:3]
        cases.append((title.strip(), source + "\n", expected.removesuffix("\n.\n").rstrip("\n") + "\n"))
    return cases


@pytest.mark.parametrize(("title", "source", "expected"), load_fixtures("markdown.txt"),
                         ids=[c[0] for c in load_fixtures("markdown.txt")])
def test_fixture(title: str, source: str, expected: str) -> None:
    result = BodyRenderer(INDEX).render(source, "content/articles/x.md", 5, "../../")
    assert result.problems == ()
    assert result.html == expected


def test_mentions_are_counted_even_when_not_linked() -> None:
    result = BodyRenderer(INDEX).render("Putin, Putin and [[putin]].", "a.md", 1, "")
    assert result.mentions == (("putin", 3),)
    assert result.links == (("actor", "putin"),)


def test_autolink_all_and_off() -> None:
    text = "Putin and Putin."
    assert BodyRenderer(INDEX, "all").render(text, "a.md", 1, "").html.count("<a ") == 2
    off = BodyRenderer(INDEX, "off").render(text, "a.md", 1, "")
    assert "<a " not in off.html and off.mentions == ()


def test_an_actor_page_does_not_link_to_itself() -> None:
    result = BodyRenderer(INDEX).render("Putin met Aliyev.", "a.md", 1, "../../", self_id="putin")
    assert 'data-actor="putin"' not in result.html
    assert result.mentions == (("aliyev", 1),)


def test_unknown_link_reports_line_and_suggestion() -> None:
    body = "First line.\n\nSecond paragraph\nwith [[shoygu]] here and [[event:tovus]].\n"
    result = BodyRenderer(INDEX).render(body, "content/articles/x.md", 7, "../../")
    assert [p.format() for p in result.problems] == [
        "content/articles/x.md:10: error: unknown actor 'shoygu' in [[shoygu]]\n"
        "  hint: Actors live in content/actors/.",
        "content/articles/x.md:10: error: unknown event 'tovus' in [[event:tovus]]\n"
        "  hint: did you mean 'tovuz'? Events live in content/events/.",
    ]
    assert "shoygu" in result.html and "[[" not in result.html


def test_trie_matching_is_independent_of_name_count() -> None:
    names = {f"Person {i} Name": f"p{i}" for i in range(5000)} | {"Putin": "putin"}
    trie = build_trie(names)
    assert find_mentions("Person 4999 Name met Putin and Person 12.", trie) == [
        (0, 16, "p4999"), (21, 26, "putin")]


@pytest.mark.parametrize(("url", "safe"), [
    ("https://x.org", True), ("mailto:a@b.c", True), ("../actors/x/", True), ("#fn1", True),
    ("javascript:alert(1)", False), ("java\nscript:alert(1)", False), (" JAVASCRIPT:x", False),
    ("vbscript:x", False), ("data:text/html,x", False), ("file:///etc/passwd", False),
])
def test_link_schemes(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def _quotes(levels: int) -> str:
    return "Intro.\n\n" + ">" * levels + " deepest\n"


def _list(levels: int) -> str:
    return "Intro.\n\n" + "".join("  " * i + f"- item {i + 1}\n" for i in range(levels))


@pytest.mark.parametrize("nest", [_quotes, _list])
def test_block_quotes_and_lists_nest_32_levels_deep(nest: Callable[[int], str]) -> None:
    """Up to the limit nothing is lost; one more level is an error at the line that starts it
    (markdown-it's own guard used to drop the rest of such a body without a word)."""
    deepest = BodyRenderer(INDEX).render(nest(MAX_NESTING), "content/articles/x.md", 5, "")
    assert deepest.problems == ()
    assert ("deepest" if nest is _quotes else f"item {MAX_NESTING}") in (deepest.html or "")
    too_deep = BodyRenderer(INDEX).render(nest(MAX_NESTING + 1), "content/articles/x.md", 5, "")
    line = 7 if nest is _quotes else 7 + MAX_NESTING
    assert [p.format() for p in too_deep.problems] == [
        f"content/articles/x.md:{line}: error: block quotes and lists nested more than 32 levels deep\n"
        "  hint: a body may nest them 32 levels deep at most; is a '>' or a list marker repeated, "
        "or each line indented more than the last?"]


@pytest.mark.parametrize("body", [
    ">" * 20_000 + " x", "> " * 20_000 + "x", "- " * 20_000 + "x", "1. " * 20_000 + "x", "> - " * 10_000 + "x",
    "".join(" " * i + "- x\n" for i in range(0, 4000, 2)), "[^1]\n\n" + "[^1]: " + "> " * 20_000 + "x",
], ids=["quotes", "spaced-quotes", "bullets", "numbers", "mixed", "indented", "footnote"])
def test_absurd_nesting_is_one_error_not_a_recursion_error(body: str) -> None:
    """The limit is checked before each level is parsed, so the parser's recursion stays
    bounded however deep the text goes, on every interpreter."""
    result = BodyRenderer(INDEX).render(body, "content/articles/x.md", 5, "")
    assert [p.message for p in result.problems] == ["block quotes and lists nested more than 32 levels deep"]


def test_references_to_drafts_are_plain_text_with_one_warning_each() -> None:
    index = LinkIndex(
        actors={"aliyev": ActorTarget("Aliyev", "person")},
        actor_names={"Aliyev": "aliyev", "Heydar Aliyev": "heydar"},
        drafts={"actor:heydar": "Heydar Aliyev", "event:drills": "Snap drills", "article:memo": "Memo"},
    )
    body = "Heydar Aliyev, then Aliyev.\nHeydar Aliyev again, [[drills]] and [[article:Memo|the memo]]."
    result = BodyRenderer(index).render(body, "content/articles/x.md", 5, "")
    assert result.html == (
        '<p>Heydar Aliyev, then <a href="actors/aliyev/index.html" class="mention mention-person" '
        'data-actor="aliyev" title="Aliyev">Aliyev</a>.\nHeydar Aliyev again, Snap drills and the memo.</p>\n')
    assert [(p.line, p.severity, p.message) for p in result.problems] == [
        (5, "warning", "actor 'heydar' is a draft, not published; 'Heydar Aliyev' is shown as plain text"),
        (6, "warning", "event 'drills' is a draft, not published; [[drills]] is shown as plain text"),
        (6, "warning", "article 'memo' is a draft, not published; [[article:Memo|the memo]] is shown as plain text"),
    ]
    assert result.mentions == (("aliyev", 1),) and result.links == ()


def test_words_count_the_text_a_reader_reads_notes_included() -> None:
    result = BodyRenderer(INDEX).render("## Two words\n\nThree more words.[^1]\n\n[^1]: And a note.\n", "a.md", 1, "")
    assert result.words == 2 + 3 + 3

