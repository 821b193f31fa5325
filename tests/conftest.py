"""Fixtures shared by the tests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import jinja2
import pytest

import briefgen.render
from helpers import SMALL_BRIEF, write_files

@pytest.fixture
def small_brief(tmp_path: Path) -> Path:
    return write_files(tmp_path / "brief", SMALL_BRIEF)


@pytest.fixture(scope="module")
def shared_theme() -> Iterator[None]:
    """One Jinja environment and one theme digest per template search path, for a module's many builds.

    Compiling and hashing the theme takes most of a small build. Both depend
    only on the template files, and no test edits a theme it has built with,
    so sharing them changes no output. The fragment cache of ``{% cache %}``
    holds content, so each build still gets an empty one, as it would.
    """
    make_environment, theme_digest = briefgen.render.make_environment, briefgen.render.theme_digest
    environments: dict[tuple[str, ...], jinja2.Environment] = {}
    digests: dict[tuple[str, ...], str] = {}

    def shared_environment(dirs: Sequence[Path]) -> jinja2.Environment:
        key = tuple(map(str, dirs))
        if key not in environments:
            environments[key] = make_environment(dirs)
        environment = environments[key]
        environment.fragment_cache = {}  # type: ignore[attr-defined]  # fragments hold content: one build's only
        return environment

    def shared_digest(dirs: Sequence[Path]) -> str:
        key = tuple(map(str, dirs))
        if key not in digests:
            digests[key] = theme_digest(dirs)
        return digests[key]

    briefgen.render.make_environment = shared_environment  # type: ignore[assignment]
    briefgen.render.theme_digest = shared_digest  # type: ignore[assignment]
    yield
    briefgen.render.make_environment = make_environment  # type: ignore[assignment]
    briefgen.render.theme_digest = theme_digest  # type: ignore[assignment]
