from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.markdown import ActorTarget, BodyRenderer, LinkIndex, build_trie, find_mentions, is_safe_url

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
