"""Random input, hostile input: briefgen reports it, never crashes, never emits it as markup.

Three properties, 500 examples each:

1. Any bytes that may be a content file (random YAML-ish text, dumped random
   data, broken encodings) give a document or ``BriefError`` problems, each on
   a line of that file, each one line long; never an exception.
2. Markdown built from known attacks and random text never yields a
   ``<script``, an ``on*=`` attribute, a tag Markdown does not make, or a link
   whose scheme is ``javascript:``, ``vbscript:`` or ``data:``.
3. Hostile front-matter strings (titles, names, roles, aliases, tags,
   places...) go through a whole build on disk: every page holds them as
   text only, and nothing is written outside the output folder.

Run with ``--hypothesis-show-statistics`` to see how many builds succeed.
"""

from __future__ import annotations

import functools
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefgen.build import BuildOptions, build
from briefgen.config import parse_config
from briefgen.documents import ACTOR_KEYS, ARTICLE_KEYS, EVENT_KEYS, parse_document
from briefgen.errors import BriefError, BuildFailed
from briefgen.frontmatter import split_front_matter
from briefgen.markdown import BodyRenderer
from briefgen.sources import SourceFile, decode
from helpers import write_files
from test_markdown import INDEX

EXAMPLES = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BUILDS = settings(EXAMPLES, max_examples=200)  # whole builds: ~40 ms each, and the suite has a minute
"""Whole builds cost ~30 ms each: 300 keep the suite under a minute on 2 cores."""

# ---------------------------------------------------------------- what hostile input looks like

ATTACKS = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>", '"><script>alert(1)</script>', "' onmouseover='alert(1)", '" onfocus="alert(1)" x="',
    '<a href="javascript:alert(1)">x</a>', "<iframe src=javascript:alert(1)>", "</title><script>alert(1)</script>",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>",
    "java\tscript:alert(1)", "&#106;avascript:alert(1)", "&lt;script&gt;", "&amp;", "{{ 7*7 }}", "{% raw %}",
    "]]>", "<!--", "-->", "<![CDATA[x]]>", "\u2028", "\u202e", "Ilham Aliyev", "Putin", "[[aliyev]]", "[[a]]",
]
PATHS = ["..", "../x", "/etc/passwd", "C:\\x", "con", "CON.txt", "nul", "a/../../b", "x" * 300, ".", "~", "%2e%2e"]

MARKDOWN_ATTACKS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](javascript&colon;alert(1))", "[x](%6Aavascript:alert(1))",
    "[x](<javascript:alert(1)>)", "[x]( javascript:alert(1))", "[x](vbscript:msgbox(1))", "[x](VBScript:x)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](javascript:alert(1))", "<javascript:alert(1)>", "<JAVASCRIPT:alert(1)>", "<vbscript:msgbox(1)>",
    "<data:text/html,x>", "[x][r]\n\n[r]: javascript:alert(1)\n", "[r]: <data:text/html,x> \"t\"\n\n[r]\n",
    '[x](https://example.org "a\\" onmouseover=\\"alert(1)")', "<https://example.org/\" onmouseover=\"alert(1)>",
    "[[aliyev]]", "[[aliyev|<script>alert(1)</script>]]", "[[event:tovuz|<img src=x onerror=alert(1)>]]",
    "[[javascript:alert(1)]]", "[[article:cargo|\" onclick=\"alert(1)]]", "[[<script>]]", "[[Putin]]",
    "`<script>`", "```html\n<script>alert(1)</script>\n```\n", "<!-- <script> -->", "<style>*{}</style>",
    "&lt;script&gt;", "&#60;script&#62;", "[^1]\n\n[^1]: <script>alert(1)</script>\n",
    "| a | b |\n| --- | :-: |\n| <script> | [x](javascript:1) |\n", "## <img src=x onerror=alert(1)>\n",
    "Putin", "Ilham Aliyev", "the Kremlin", "\n\n", "\n", "> ", "- ", "    ", "*", "_", "[", "]", "(", ")",
    "<", ">", '"', "'", "&", "\\", "`", "javascript:", "onerror=", "<a ", "href=",
]

YAML_LINES = [
    "date: 2020-02-30", "date: 2020-13", "date: '2020'", "end: 1999-01-01", "date: 12 August 2020",
    "tags: [con, .., ../x, /etc, '']", "actors: [{id: x, role: y}, {id: [1]}, 3]", "kind: persn",
    "name: !!python/object/apply:os.system ['true']", "x: !!int abc", "x: !!bool maybe", "x: !!float x",
    "x: !!timestamp 2020-99-99", "x: !!binary '###'", "x: !!set {a, b}", "x: !custom y",
    "a: &a [1, 2]", "b: *a", "<<: {title: x}", "? [a, b]\n: c", "~: x", "1: x", "true: x", "'': x",
    "title: " + "[" * 50, "role: " + "1" * 5000, "name: " + "{" * 3000, "source: {url: 'javascript:alert(1)'}",
    "source: javascript:alert(1)", "affiliation: [x]", "draft: yes", "draft: 'no'", "aliases: Baku",
    "title: 'unterminated", 'title: "\\x07"', "title:\tx", "  - indented", "- a list", "title: x\ntitle: y",
    "---", "...", "%YAML 1.1", "%TAG ! tag:x,2000:", "title: |\n  block\n text", "title: >-", "{a: 1}",
]
YAML_ALPHABET = st.sampled_from(list(":-[]{},#&*!|>'\"%@`?.~ \t\n\r\x07\x85\u2028\ufeff") + list("aéZ09_"))

words = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)  # NUL: see content_files
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), words, st.dates(), st.datetimes(),
    st.binary(max_size=8), st.sampled_from(ATTACKS + PATHS),
)
keys = st.one_of(st.sampled_from(sorted({*ARTICLE_KEYS, *ACTOR_KEYS, *EVENT_KEYS})), words)
REQUIRED = {"title": "A title", "date": "2020-08-12", "name": "A name", "kind": "person"}
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=12)
dumped_yaml = st.builds(
    lambda data, flow, unicode: yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, sort_keys=False),
    st.one_of(st.dictionaries(keys, values, max_size=8),  # mostly nonsense, or
              st.dictionaries(keys, values, max_size=3).map(lambda extra: {**REQUIRED, **extra})),  # nearly right
    st.sampled_from([False, True, None]), st.booleans(),
)
yamlish = st.lists(st.one_of(st.sampled_from(YAML_LINES), st.text(YAML_ALPHABET, max_size=30), words,
                             st.builds("{}: {}".format, keys, st.sampled_from(ATTACKS + PATHS))),
                   max_size=10).map("\n".join)
markdown = st.lists(st.tuples(st.one_of(st.sampled_from(MARKDOWN_ATTACKS), words),
                              st.sampled_from(["", " ", "\n", "\n\n"])),
                    max_size=25).map(lambda parts: "".join(a + b for a, b in parts))


@st.composite
def content_files(draw: st.DrawFn) -> bytes:
    """The bytes of a content file: front matter (or not), a body, an encoding, perhaps some damage."""
    front = draw(st.one_of(dumped_yaml, yamlish))
    body = draw(markdown)
    shape = draw(st.sampled_from(["---\n{f}\n---\n{b}", "---\n{f}---\n{b}", "---\n{f}\n{b}", "{b}", "---\n{f}"]))
    text = shape.format(f=front, b=body)
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    data = (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")
    if draw(st.sampled_from(["intact"] * 9 + ["damaged"])) == "damaged":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


def check_problems(problems: list[BriefError], src_path: str, lines: int) -> None:
    """Each problem is ours, names this file and one of its lines, and prints as one line (and a hint)."""
    for problem in problems:
        assert isinstance(problem, BriefError)
        assert problem.path == src_path
        assert 0 <= problem.line <= lines, (problem, lines)
        assert problem.message
        assert len(problem.format().splitlines()) == (2 if problem.hint else 1), problem


# ---------------------------------------------------------------- 1. the loader

@EXAMPLES
@given(data=content_files(), kind=st.sampled_from(["article", "actor", "event", "index"]))
def test_loader_turns_any_file_into_a_document_or_problems(data: bytes, kind: str) -> None:
    """Also as briefgen.yaml: settings go through the same YAML reader."""
    src_path = {"index": "content/index.md"}.get(kind, f"content/{kind}s/x.md")
    text, problems = decode(data, src_path)
    check_problems(problems, src_path, data.count(b"\n") + data.count(b"\r") + 1)
    if text is None:
        event(f"undecodable: {problems[0].message[:20]}")
        return
    lines = text.count("\n") + 1
    front, problems = split_front_matter(text, src_path)
    check_problems(problems, src_path, lines)
    assert isinstance(front.data, dict)
    document, problems = parse_document(SourceFile(src_path, kind, text))  # type: ignore[arg-type]
    check_problems(problems, src_path, lines)
    event("document" if document is not None else "problems only")
    config, problems = parse_config(text)
    check_problems(problems, "briefgen.yaml", lines)
    assert isinstance(config.title, str) and config.autolink in ("first", "all", "off")


# ---------------------------------------------------------------- 2. the Markdown renderer

BODY_TAGS = frozenset({
    "p", "a", "em", "strong", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "hr", "br", "img", "table", "thead", "tbody", "tr", "th", "td", "s", "sup", "section", "nav",
})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "cite"})
BAD_SCHEMES = re.compile(r"^(javascript|vbscript|data):")
THEME_SCRIPT = re.compile(r'<script src="(\.\./)*(assets/(briefgen|search|filter|cards)\.js|facets\.js)" defer>')
THEME = Path(__file__).resolve().parents[1] / "templates"
PAGE_TAGS = BODY_TAGS | {tag for path in THEME.glob("*.*")
                         for tag in re.findall(r"<([a-z][a-z0-9]*)", path.read_text("utf-8"))}
"""Tags a page may hold: those Markdown makes and those the built-in theme writes."""


TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def unsafe_markup(html: str, allowed_tags: frozenset[str] = BODY_TAGS) -> list[str]:
    """What in ``html`` could run script (a tag, an ``on*=`` handler, a script URL): empty for a safe page.

    Our output is well formed, so reading tags with a regex sees what a browser
    sees, five times faster than ``html.parser``; anything that slipped through
    unescaped shows up as a tag or an attribute of its own.
    """
    problems = []
    for tag in TAG.finditer(html):
        name = tag.group(1).lower()
        if name not in allowed_tags:
            problems.append(f"<{tag.group(1)}> tag")
        if name == "script" and not THEME_SCRIPT.fullmatch(tag.group()):
            problems.append(f"{tag.group()} in the text")
        for attribute in ATTRIBUTE.finditer(tag.group(2)):
            attr = attribute.group(1).lower()
            value = unescape(next((v for v in attribute.groups()[1:] if v is not None), ""))
            if attr.startswith("on"):
                problems.append(f"{attr}= on <{name}>")
            if name == "link" and attr == "href" and value == "data:,":
                continue  # the 404 page's empty icon: a theme constant that holds nothing
            if attr in URL_ATTRIBUTES and BAD_SCHEMES.match(re.sub(r"[\x00-\x20\x7f]+", "", value).lower()):
                problems.append(f'{attr}="{value}" on <{name}>')
    return problems


def test_unsafe_markup_sees_what_it_should() -> None:
    assert unsafe_markup('<p><a href="https://x.org/" title="a onerror=x &quot;>">ok</a> &lt;script&gt;</p>') == []
    assert unsafe_markup('<a href=" JaVa&#x09;script:alert(1)">x</a>') == ['href=" JaVa\tscript:alert(1)" on <a>']
    assert unsafe_markup('<a title="x" onmouseover="alert(1)">') == ["onmouseover= on <a>"]
    assert unsafe_markup("<img src=x onerror=alert(1)>") == ["onerror= on <img>"]
    assert unsafe_markup("<p><SCRIPT>") == ["<SCRIPT> tag", "<SCRIPT> in the text"]
    assert unsafe_markup("<a href='data:text/html,x'>x</a>") == ["href=\"data:text/html,x\" on <a>"]
    assert unsafe_markup('<script src="../assets/briefgen.js" defer>', PAGE_TAGS) == []


@functools.cache
def renderer(autolink: str) -> BodyRenderer:
    return BodyRenderer(INDEX, autolink)


@EXAMPLES
@given(body=markdown, autolink=st.sampled_from(["first", "all", "off"]),
       root=st.sampled_from(["", "../../"]), self_id=st.sampled_from(["", "aliyev"]))
def test_markdown_never_emits_script(body: str, autolink: str, root: str, self_id: str) -> None:
    body = body.replace("\r\n", "\n").replace("\r", "\n")  # as sources.decode leaves every body
    result = renderer(autolink).render(body, "content/articles/x.md", 5, root, self_id)
    assert result.html is not None
    assert unsafe_markup(result.html) == []
    assert "<script" not in result.html.lower()
    check_problems(list(result.problems), "content/articles/x.md", 5 + body.count("\n") + 1)


# ---------------------------------------------------------------- 3. a whole build on disk

@st.composite
def mostly(draw: st.DrawFn, valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]) -> Any:
    """Invalid input one time in ten: it stops the build before anything is rendered."""
    return draw(valid) if draw(st.sampled_from([True] * 9 + [False])) else draw(invalid)


hostile = st.one_of(
    st.sampled_from(ATTACKS),
    words,
    st.lists(st.one_of(st.sampled_from(ATTACKS), words), min_size=1, max_size=4).map("".join),
).map(lambda s: (s if s.strip() else f"{s}x").replace("[[", "[ ["))  # required, and [[links]] come below
brief_markdown = st.lists(st.tuples(
    st.one_of(st.sampled_from([  # the renderer's attacks, with [[links]] to what this brief holds
        fragment.replace("aliyev", "a").replace("event:tovuz", "event:e").replace("article:cargo", "article:x")
        for fragment in MARKDOWN_ATTACKS if fragment not in ("[[javascript:alert(1)]]", "[[<script>]]", "[[Putin]]")
    ]), words),
    st.sampled_from(["", " ", "\n", "\n\n"])), max_size=8).map(lambda parts: "".join(a + b for a, b in parts))
urls = st.sampled_from(["https://example.org/", "https://example.org/a?b=\"c\"&d=<e>", "https://x.org/'><script>",
                        "https://x.org/\" onmouseover=\"alert(1)"])
tags = mostly(hostile.map(lambda s: f"{s} t"), st.sampled_from(PATHS))

base_urls = mostly(st.sampled_from(["", "https://example.org/b/", "https://example.org/\"><script>alert(1)</script>/"]),
                   st.sampled_from(["javascript:alert(1)//", "data:text/html,x", "/relative/"]))


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False)


def front_matter(data: dict[str, Any], body: str = "") -> str:
    return f"---\n{dump(data)}---\n{body}"


@st.composite
def hostile_briefs(draw: st.DrawFn) -> dict[str, str]:
    """A fixed small brief whose every free-text field is drawn from hostile strings."""
    name_a, name_b = draw(hostile), draw(hostile)
    aliases = [f"{alias} A{i}" for i, alias in enumerate(draw(st.lists(hostile, max_size=3)))]
    refs = draw(mostly(st.lists(st.sampled_from(["a", "b"]), max_size=2), st.lists(st.sampled_from(PATHS), min_size=1)))
    return {
        "briefgen.yaml": dump({"title": draw(hostile), "description": draw(hostile), "base_url": draw(base_urls)}),
        "content/index.md": front_matter({"title": draw(hostile)}, draw(brief_markdown)),
        "content/actors/a.md": front_matter({"name": name_a, "kind": "person", "aliases": aliases,
                                             "role": draw(hostile), "affiliation": "b"}, draw(brief_markdown)),
        "content/actors/b.md": front_matter({"name": f"{name_b} B", "kind": "state"}),
        "content/events/e.md": front_matter({"title": draw(hostile), "date": "2020-08", "end": "2020-09-01",
                                             "place": draw(hostile),
                                             "actors": ["a", {"id": "b", "role": draw(hostile)}],
                                             "sources": ["x", draw(urls)]},
                                            f"{name_a} and {name_b} B met."),
        "content/articles/x.md": front_matter({
            "title": draw(hostile), "date": "2020-09-15", "summary": draw(hostile),
            "authors": draw(st.lists(hostile, max_size=2)), "tags": draw(st.lists(tags, max_size=2)),
            "actors": refs, "events": ["e"],
            "source": {"publication": draw(hostile), "title": draw(hostile),
                       "url": draw(mostly(urls, st.sampled_from(["javascript:alert(1)", "data:,x", "//x.org"])))},
        }, f"{name_a} spoke; {aliases[0] if aliases else name_b} too. [[a]] [[event:e]]\n\n" + draw(brief_markdown)),
    }


def files_below(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def failed(problems: list[BriefError]) -> None:
    event("build failed: " + next(p for p in problems if p.is_error).message[:30])
    for problem in problems:
        assert isinstance(problem, BriefError) and problem.format()


@BUILDS
@given(files=hostile_briefs())
def test_hostile_front_matter_stays_text_and_inside_build(
    files: dict[str, str], shared_theme: None, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    base = tmp_path_factory.getbasetemp() / "hostile"
    shutil.rmtree(base, ignore_errors=True)
    brief = write_files(base / "brief", files)
    before = files_below(base)
    output = brief / "build"
    try:
        build(BuildOptions(source=brief, jobs=1, cache=False))
    except BuildFailed as failure:
        failed(failure.problems)
        assert files_below(base) == before, "a failed build wrote something"
        return
    event("built")
    written = files_below(base) - before
    assert all(path.is_relative_to(output) and not path.is_symlink() for path in written)
    assert {p.name for p in base.iterdir()} == {"brief"}
    for page in sorted(output.rglob("*")):
        if page.suffix in (".html", ".xml"):
            problems = unsafe_markup(page.read_text("utf-8"), PAGE_TAGS)
            assert problems == [], (page.relative_to(output).as_posix(), problems)
