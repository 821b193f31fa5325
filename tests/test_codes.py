"""Problem codes: every message briefgen can make has one, and the guide explains each."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import briefgen
from briefgen.codes import CODES, OTHER, problem_code, templates

PACKAGE = Path(briefgen.__file__).parent
GUIDE = Path(__file__).parent.parent / "docs" / "guide.md"
MESSAGE_ARGUMENT = {"error": 2, "warning": 2, "fail": 1}
"""The calls that make a problem, and where their message is."""


def _template(node: ast.expr, function: ast.FunctionDef | None, where: str) -> str | None:
    """The message of a call as a template (each ``{...}`` as ``{}``); None when it is passed through."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    if isinstance(node, ast.Name) and function is not None:
        if node.id in {arg.arg for arg in function.args.args}:
            return None  # a helper handing on its caller's message: the callers are checked
        for statement in ast.walk(function):
            if isinstance(statement, ast.Assign) and any(
                    isinstance(target, ast.Name) and target.id == node.id for target in statement.targets):
                return _template(statement.value, function, where)
    raise AssertionError(f"{where}: cannot see the message of this call; write it as a string where it is made")


def call_site_templates() -> Iterator[tuple[str, str]]:
    """(``module.py:line``, template) of every problem the package can make."""
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            index = MESSAGE_ARGUMENT.get(name or "")
            if index is None or len(call.args) <= index:
                continue
            inside = [f for f in functions if f.lineno <= call.lineno <= (f.end_lineno or f.lineno)]
            function = max(inside, key=lambda f: f.lineno) if inside else None
            where = f"{path.name}:{call.lineno}"
            template = _template(call.args[index], function, where)
            if template is not None:
                yield where, template


def test_every_message_has_a_code_and_every_code_a_message() -> None:
    made = dict(call_site_templates())
    listed = {template for _, template in templates()}
    unlisted = sorted(f"{where}: {template}" for where, template in made.items() if template not in listed)
    assert unlisted == [], "add these message templates to briefgen/codes.py"
    assert sorted(listed - set(made.values())) == [], "no code makes these templates any more"
    assert len(made) > 50


@pytest.mark.parametrize(("message", "code"), [
    ("unknown actor 'putn' in 'actors'", "unknown-reference"),
    ("unknown event 'x' in [[event:x]]", "unknown-reference"),
    ("unknown key 'colour' in 'actors' entry", "unknown-key"),
    ("unknown key 'source.colour'", "unknown-key"),
    ("unknown kind 'persn'", "unknown-kind"),
    ("'date': 'someday' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", "bad-date"),
    ("'date' must be a full date (YYYY-MM-DD), not '2020-09'", "partial-date"),
    ("'date': '2020-21' is an EDTF season, which briefgen does not accept", "bad-date"),
    ("'a' (September 2020) cannot come after 'b' (2 October 2020), by way of 'c'", "order-against-dates"),
    ("events ordered in a circle: 'b' after 'a', 'a' after 'b'", "order-cycle"),
    ("'autolink' must be one of first, all, off, not 'sometimes'", "bad-value"),
    ("'front_page_events' must be a whole number, not text", "wrong-type"),
    ("'source.url' must be an http(s) URL, not 'caucasuswatch.de'", "bad-url"),
    ("malformed YAML: cannot read 'minister' as a number", "yaml-unreadable-value"),
    ("malformed YAML: mapping values are not allowed in this context", "yaml-malformed"),
    ("alias 'President Aliyev' is already used by actor 'aliyev-press-service'", "name-taken"),
    ("id 'x' is already used by content/actors/x.md", "duplicate-id"),
    ("template error: 'dict object' has no attribute 'subtitle'", "template-error"),
    ("something briefgen never says", OTHER),
])
def test_the_most_specific_template_decides(message: str, code: str) -> None:
    assert problem_code(message) == code


def test_codes_are_short_names() -> None:
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) for code in CODES)
    assert OTHER not in CODES


def test_the_guide_explains_every_code() -> None:
    guide = GUIDE.read_text("utf-8")
    missing = [code for code in CODES if f"`{code}`" not in guide]
    assert missing == []
