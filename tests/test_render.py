"""The render stage's own pieces: the fragment cache tag, and attribute lookup on page contexts."""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from briefgen import render

from briefgen.pages import plan_pages, site_context
from briefgen.render import make_environment


def environment(tmp_path: Path, templates: dict[str, str]) -> jinja2.Environment:
    for name, text in templates.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return make_environment([tmp_path])


def test_a_fragment_is_rendered_once_per_key(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": (
        "{% for item in items %}{% cache 'item', item.id %}[{{ item.name }}:{{ count() }}]{% endcache %}"
        "{% endfor %}")})
    calls = []

    def count() -> int:
        calls.append(1)
        return len(calls)

    html = env.get_template("page.html").render(items=[
        {"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "a", "name": "A"}], count=count)
    assert html == "[A:1][B:2][A:1]"
    assert len(calls) == 2
    again = env.get_template("page.html").render(items=[{"id": "b", "name": "B"}], count=count)
    assert again == "[B:2]", "the cache lasts as long as the environment: one build"


def test_every_part_of_the_key_counts(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": (
        "{% for x, y in pairs %}{% cache x, y %}{{ x }}{{ y }};{% endcache %}{% endfor %}")})
    assert env.get_template("page.html").render(pairs=[(1, "a"), (1, "b"), (2, "a"), (1, "a")]) == "1a;1b;2a;1a;"


def test_cached_fragments_stay_escaped_markup(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": "{% cache 'k' %}<b>{{ text }}</b>{% endcache %}|{% cache 'k' %}x{% endcache %}"})
    assert env.get_template("page.html").render(text="<i>") == "<b>&lt;i&gt;</b>|<b>&lt;i&gt;</b>"


def test_a_fresh_environment_has_an_empty_cache(tmp_path: Path) -> None:
    templates = {"page.html": "{% cache 'k' %}{{ v }}{% endcache %}"}
    assert environment(tmp_path, templates).get_template("page.html").render(v=1) == "1"
    assert environment(tmp_path, templates).get_template("page.html").render(v=2) == "2"


def test_an_unhashable_key_is_a_template_error(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": "{% cache [1] %}x{% endcache %}"})
    with pytest.raises(TypeError):
        env.get_template("page.html").render()


def test_a_dict_key_is_looked_up_before_its_methods(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": "{{ a.name }}|{{ a.items()|list|length }}|{{ a.missing is undefined }}"
                                              "|{{ b.upper() }}|{{ c.name }}"})

    class Named:
        name = "object"

    html = env.get_template("page.html").render(a={"name": "<A>"}, b="text", c=Named())
    assert html == "&lt;A&gt;|1|True|TEXT|object"


def test_no_page_context_has_a_key_named_like_a_dict_method() -> None:
    """Keys come first (``PageEnvironment``): a key named ``items`` would hide ``.items()``."""
    from test_quick import linked

    brief, _, _ = linked(Path(__file__).resolve().parents[1])
    methods = set(dir(dict))
    seen = 0

    def walk(value: object) -> None:
        nonlocal seen
        if isinstance(value, dict):
            seen += 1
            assert methods.isdisjoint(value), sorted(methods & set(value))
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for spec in plan_pages(brief):
        walk(spec.context)
    walk(site_context(brief))
    assert seen > 1000


def test_nested_fragments_on_one_line_keep_their_own_keys(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": (
        "{% for x in xs %}{% cache 'outer', x %}<{{ x }}{% cache 'inner' %}[{{ x }}]{% endcache %}>"
        "{% endcache %}{% endfor %}")})
    assert env.get_template("page.html").render(xs=[1, 2, 1]) == "<1[1]><2[1]><1[1]>"


def test_a_fragment_in_a_macro_sees_the_macros_arguments(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": (
        "{% macro item(a, note='') %}{% cache 'item', a.id, note %}{{ a.name }}{{ note }};{% endcache %}{% endmacro %}"
        "{% for a in xs %}{{ item(a) }}{{ item(a, '!') }}{% endfor %}")})
    html = env.get_template("page.html").render(xs=[{"id": 1, "name": "<A>"}, {"id": 1, "name": "other"}])
    assert html == "&lt;A&gt;;&lt;A&gt;!;&lt;A&gt;;&lt;A&gt;!;"


def test_pages_escape_as_markupsafe_does(tmp_path: Path) -> None:
    class Html:
        def __html__(self) -> str:
            return "<b>safe</b>"

    class Text(str):
        pass

    values: list[object] = ["", "plain", "<a href=\"x\">'&'</a>", "Əliyev & Putin", Markup("<i>ok</i>"),
                            Text("<sub>"), 42, 1.5, None, True, Html(), ["<x>"]]
    for value in values:
        assert render._escape(value) == markupsafe.escape(value)
        assert type(render._escape(value)) is Markup
    env = environment(tmp_path, {"page.html": "{{ a }}|{{ b }}|{{ c }}"})
    template = env.get_template("page.html")
    assert template.root_render_func.__globals__["escape"] is render._escape  # type: ignore[attr-defined]
    assert template.render(a="<&>", b=Markup("<i>"), c=Html()) == "&lt;&amp;&gt;|<i>|<b>safe</b>"


def test_attribute_lookups_compile_to_key_lookups_that_nest(tmp_path: Path) -> None:
    env = environment(tmp_path, {"page.html": (
        "{% macro show(x) %}{{ x.a.b }}{% endmacro %}"
        "{% for i in xs if i.ok %}{{ show(i) }}{{ i.a.get('b') }}{{ i.a.missing is undefined }};{% endfor %}"
        "{{ (xs|first).a.b }}")})
    source = env.compile("{{ x.a.b }}", raw=True)
    assert "_briefgen_item['b']" in source and "_briefgen_item['a']" in source
    xs = [{"ok": True, "a": {"b": "<1>"}}, {"ok": False, "a": {"b": 2}}, {"ok": 1, "a": {"b": 3}}]
    assert env.get_template("page.html").render(xs=xs) == "&lt;1&gt;&lt;1&gt;True;33True;&lt;1&gt;"
