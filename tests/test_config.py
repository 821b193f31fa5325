"""Settings from briefgen.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.config import Config, parse_config
from helpers import SMALL_BRIEF, write_files
from test_cli import NOT_IN_GIT, run


@pytest.mark.parametrize(("written", "mode"), [
    ("off", "off"), ("'off'", "off"), ("false", "off"), ("no", "off"),
    ("first", "first"), ("true", "first"), ("on", "first"), ("all", "all"),
])
def test_autolink_takes_the_yaml_booleans(written: str, mode: str) -> None:
    """``autolink: off`` as the README writes it is a YAML false: it means off, and true the default."""
    assert parse_config(f"autolink: {written}\n") == (Config(autolink=mode), [])  # type: ignore[arg-type]


def test_autolink_refuses_other_values_with_a_hint() -> None:
    _, problems = parse_config("autolink: sometimes\n")
    assert [p.format() for p in problems] == [
        "briefgen.yaml:1: error: 'autolink' must be one of first, all, off, not 'sometimes'\n"
        "  hint: true means first, false means off"]


def test_autolink_off_builds_without_mention_links(tmp_path: Path) -> None:
    brief = write_files(tmp_path, {**SMALL_BRIEF, "briefgen.yaml": "title: Brief\nautolink: off\n"})
    result = run("build", "--source", str(brief))
    assert (result.returncode, result.stderr.removesuffix(NOT_IN_GIT)) == (0, "")
    html = (brief / "build/articles/summer-of-strain/index.html").read_text("utf-8")
    assert 'class="mention' not in html


@pytest.mark.parametrize("written", ['"https://example.org/a\\nb/"', '"https://example.org/a b/"'])
def test_base_url_with_a_space_or_line_break_is_refused(written: str) -> None:
    """It goes into events.ics and the feeds whole, where a line break would break the file."""
    config, problems = parse_config(f"base_url: {written}\n")
    assert config.base_url == ""
    assert [p.format() for p in problems] == [
        "briefgen.yaml:1: error: 'base_url' must not contain spaces or line breaks\n"
        "  hint: write spaces in an address as %20"]
