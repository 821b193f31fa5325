from __future__ import annotations

import datetime

import pytest
import yaml

from briefgen import frontmatter
from briefgen.frontmatter import parse_yaml_mapping, split_front_matter


def test_splits_front_matter_and_keeps_key_lines() -> None:
    text = "---\ntitle: A\nactors:\n  - aliyev\n  - putin\nsource:\n  url: https://x.org\n---\nBody\n"
    fm, problems = split_front_matter(text, "a.md")
    assert problems == []
    assert fm.data == {"title": "A", "actors": ["aliyev", "putin"], "source": {"url": "https://x.org"}}
    assert fm.lines["title"] == 2
    assert fm.lines["actors.1"] == 5
    assert fm.lines["source.url"] == 7
    assert fm.body == "Body\n"
    assert fm.body_line == 9


def test_line_of_falls_back_to_parent_key() -> None:
    fm, _ = split_front_matter("---\ntags: [a, b]\n---\n", "a.md")
    assert fm.line_of("tags.5") == 2
    assert fm.line_of("missing") == 1


def test_no_front_matter_is_all_body() -> None:
    fm, problems = split_front_matter("Just text\n", "a.md")
    assert problems == [] and not fm.has_front_matter and fm.body == "Just text\n"


def test_unclosed_front_matter() -> None:
    _, problems = split_front_matter("---\ntitle: A\n", "a.md")
    assert [p.format() for p in problems] == [
        "a.md:1: error: front matter has no closing '---'\n"
        "  hint: end the metadata block with a line that holds only '---'"
    ]


def test_duplicate_key_is_an_error_on_its_line() -> None:
    _, problems = split_front_matter("---\ntitle: A\ndate: 2020-01-01\ntitle: B\n---\n", "a.md")
    assert len(problems) == 1
    assert problems[0].line == 4
    assert problems[0].message == "duplicate key 'title'"
    assert "line 2" in problems[0].hint


def test_malformed_yaml_points_at_the_line() -> None:
    _, problems = split_front_matter("---\ntitle: A\nsummary: x: y\n---\n", "a.md")
    assert problems[0].line == 3
    assert problems[0].message.startswith("malformed YAML")
    assert "quoted" in problems[0].hint


def test_front_matter_must_be_a_mapping() -> None:
    _, problems = split_front_matter("---\n- a\n- b\n---\n", "a.md")
    assert problems[0].message == "front matter must be a mapping of keys to values, not a list"


def test_python_tags_are_refused() -> None:
    data, _, problems = parse_yaml_mapping("x: !!python/object/apply:os.system ['true']\n", "a.md")
    assert data == {} and problems and "malformed YAML" in problems[0].message


def test_alias_bomb_fails_fast() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    data, _, problems = parse_yaml_mapping(bomb, "a.md")
    assert data == {}
    assert "anchors and aliases" in problems[0].message


def test_keys_are_names_whatever_they_look_like() -> None:
    data, lines, problems = parse_yaml_mapping("1: a\ntrue: b\n~: c\n2020-01-01: d\n", "a.md")
    assert problems == []
    assert data == {"1": "a", "true": "b", "~": "c", "2020-01-01": "d"}
    assert lines == {"1": 1, "true": 2, "~": 3, "2020-01-01": 4}


def test_a_date_that_is_not_in_the_calendar_stays_text_for_documents_to_report() -> None:
    data, _, problems = parse_yaml_mapping("date: 2020-02-30\nend: 2020-03-01\n", "a.md")
    assert problems == [] and data == {"date": "2020-02-30", "end": datetime.date(2020, 3, 1)}


def test_values_yaml_cannot_read_are_errors_on_their_line() -> None:
    _, _, problems = parse_yaml_mapping("title: A\nx: !!int abc\ny: !!bool maybe\n", "a.md")
    assert [(p.line, p.message) for p in problems] == [
        (2, "malformed YAML: cannot read 'abc' as a number"),
        (3, "malformed YAML: cannot read 'maybe' as true or false"),
    ]


def test_empty_documents_are_empty_mappings() -> None:
    for text in ("", "---", "---\n...\n", "# only a comment\n"):
        assert parse_yaml_mapping(text, "briefgen.yaml") == ({}, {}, [])


PLAIN_VALUES = [
    "title: Plain\ndate: 2020-07-12\nactors: [a, b]\n",
    "n: 12\nf: 1.5\nhex: 0x1F\nsexagesimal: 1:30\nyes: yes\nno: off\nnull: ~\nempty:\ntilde: '~'\n",
    "when: 2020-07-12 10:30:00\nquoted: '2020-07-12'\n",
    "nested:\n  - {id: russia, role: supplier}\n  - [1, [2, [3]]]\n  - {deep: {deeper: [x, 'y', \"z\"]}}\n",
    "tagged: !!str 123\nbinary: !!binary aGVsbG8=\nset: !!set {a, b}\nomap: !!omap [{a: 1}]\n",
    "1: one\ntrue: yes\n~: nothing\n'x': \"multi\n  line\"\nblock: |\n  kept\n  lines\nfolded: >\n  one\n  two\n",
]


@pytest.mark.parametrize("text", PLAIN_VALUES)
def test_values_are_what_pyyaml_makes_of_them(text: str) -> None:
    """``_plain_value`` builds text, lists and mappings itself: the same values as PyYAML's construction."""
    data, _, problems = parse_yaml_mapping(text, "x.md")
    loader = frontmatter._Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    frontmatter._check_node(node, "", "x.md", lambda line: line, {}, [], set(), 0)
    try:
        expected = yaml.constructor.SafeConstructor().construct_document(node)
    except (ValueError, TypeError):
        assert problems
        return
    assert problems == []
    assert data == expected and [type(v) for v in data.values()] == [type(v) for v in expected.values()]


def _nested(levels: str, collections: int) -> str:
    """``role:`` holding ``collections`` - 1 more collections, so that ``collections`` nest in all."""
    if levels == "flow":
        return "role: " + "[" * (collections - 1) + "]" * (collections - 1) + "\n"
    return "role:\n" + "".join(" " * i + "k:\n" for i in range(1, collections - 1)) + " " * collections + "x: y\n"


@pytest.mark.parametrize("measured", [False, True], ids=["composed", "measured first"])
@pytest.mark.parametrize("levels", ["flow", "block"])
def test_nesting_limit_is_the_same_however_the_text_is_read(levels: str, measured: bool) -> None:
    """32 collections nest (the top mapping is the first), 33 do not; a comment full of
    indicators sends the text through the event count, and the answer and its line stay."""
    padding = "# " + ":" * (frontmatter.SAFE_TO_COMPOSE + 1) + "\n" if measured else ""
    assert parse_yaml_mapping(padding + _nested(levels, 32), "a.md")[2] == []
    _, _, problems = parse_yaml_mapping(padding + _nested(levels, 33), "a.md")
    line = 1 if levels == "flow" else 33
    assert [(p.line - bool(padding), p.message) for p in problems] == [
        (line, "front matter is nested more than 32 levels deep")]
    assert "never closed" in problems[0].hint


@pytest.mark.parametrize("deep", [300, 999, 1500, 5000])
def test_deep_nesting_is_an_error_with_either_composer(monkeypatch: pytest.MonkeyPatch, deep: int) -> None:
    """PyYAML's Python composer (where it has no libyaml) recurses two frames a level, and libyaml
    stops at 1,000 levels with a message of its own: neither is reached."""
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        monkeypatch.setattr(frontmatter, "_Loader", loader)
        for text in ("role: " + "[" * deep + "]" * deep + "\n",
                     "role:\n" + "".join(" " * i + "k:\n" for i in range(1, deep)),
                     "role:\n " + "- " * deep + "x\n"):
            _, _, problems = parse_yaml_mapping(text, "a.md")
            assert [p.message for p in problems] == ["front matter is nested more than 32 levels deep"], loader
