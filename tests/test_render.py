"""The render stage's own pieces: the fragment cache tag."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

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
