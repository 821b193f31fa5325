"""Shared helpers: write a small brief into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path

import jinja2
import pytest

import briefgen.render

SMALL_SITE = Path(__file__).parent / "sites" / "small" / "brief"

SMALL_BRIEF: dict[str, str | bytes] = {
    p.relative_to(SMALL_SITE).as_posix(): p.read_text("utf-8")
    for p in sorted(SMALL_SITE.rglob("*")) if p.is_file()
}
"""The small brief of the golden test, as path -> text, for tests to copy and change."""


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (path -> text, dedented, or bytes) below ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def small_brief(tmp_path: Path) -> Path:
    return write_files(tmp_path / "brief", SMALL_BRIEF)


@pytest.fixture(scope="module")
def shared_theme() -> Iterator[None]:
    """One Jinja environment and one theme digest per template search path, for a module's many builds.

    Compiling and hashing the theme takes most of a small build. Both depend
    only on the template files, and no test edits a theme it has built with,
    so sharing them changes no output.
    """
    make_environment, theme_digest = briefgen.render.make_environment, briefgen.render.theme_digest
    environments: dict[tuple[str, ...], jinja2.Environment] = {}
    digests: dict[tuple[str, ...], str] = {}

    def shared_environment(dirs: Sequence[Path]) -> jinja2.Environment:
        key = tuple(map(str, dirs))
        if key not in environments:
            environments[key] = make_environment(dirs)
        return environments[key]

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
