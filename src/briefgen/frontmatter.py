"""Splitting a file into YAML front matter and body, keeping the line of every key.

PyYAML's ``safe_load`` silently keeps the last of two equal keys and forgets
where anything came from, so we compose the node tree ourselves (with the C
loader when present), check it, and only then construct plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from briefgen.errors import BriefError, error

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 32
FENCE = "---"


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """A file's metadata and body, with the line each key stands on."""

    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each key path: ``"title"``, ``"source.url"``, ``"actors.2"``."""
    body: str = ""
    body_line: int = 1
    """File line on which the body starts."""
    has_front_matter: bool = True

    def line_of(self, key_path: str) -> int:
        """The line of a key path, falling back to its parents, then to line 1."""
        path = key_path
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return 1


def split_front_matter(text: str, src_path: str) -> tuple[FrontMatter, list[BriefError]]:
    """Separate the ``---`` block from the body and parse it."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return FrontMatter(data={}, body=text, body_line=1, has_front_matter=False), []
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            break
    else:
        problem = error(
            src_path, 1, "front matter has no closing '---'",
            "end the metadata block with a line that holds only '---'",
        )
        return FrontMatter(data={}, body="", has_front_matter=True), [problem]
    yaml_text = "\n".join(lines[1:index])
    body = "\n".join(lines[index + 1:])
    data, key_lines, problems = parse_yaml_mapping(yaml_text, src_path, first_line=2)
    return FrontMatter(data=data, lines=key_lines, body=body, body_line=index + 2), problems


def parse_yaml_mapping(
    text: str, src_path: str, first_line: int = 1
) -> tuple[dict[str, Any], dict[str, int], list[BriefError]]:
    """Parse YAML that must be a mapping; return data, key lines and problems."""
    offset = first_line - 1
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, []
        if not isinstance(node, yaml.MappingNode):
            line = node.start_mark.line + 1 + offset
            kind = {yaml.SequenceNode: "a list"}.get(type(node), "a single value")
            return {}, {}, [error(
                src_path, line, f"front matter must be a mapping of keys to values, not {kind}",
                "write one 'key: value' per line",
            )]
        key_lines: dict[str, int] = {}
        problems: list[BriefError] = []
        _check_node(node, "", src_path, offset, key_lines, problems, set(), 0)
        if problems:
            return {}, key_lines, problems
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else first_line
        reason = exc.problem or exc.context or "malformed YAML"
        return {}, {}, [error(src_path, line, f"malformed YAML: {reason}", _yaml_hint(reason))]
    except yaml.YAMLError as exc:
        return {}, {}, [error(src_path, first_line, f"malformed YAML: {exc}")]
    finally:
        loader.dispose()
    return data, key_lines, []


def _yaml_hint(reason: str) -> str:
    if "mapping values are not allowed" in reason:
        return "a value that contains ': ' must be quoted"
    if "found character '\\t'" in reason:
        return "YAML indents with spaces, not tabs"
    if "could not find expected ':'" in reason:
        return "each line needs 'key: value'; quote values that span several lines"
    return ""


def _check_node(
    node: yaml.Node,
    path: str,
    src_path: str,
    offset: int,
    key_lines: dict[str, int],
    problems: list[BriefError],
    seen: set[int],
    depth: int,
) -> None:
    """Record key lines; refuse duplicate keys, aliases and absurd nesting."""
    line = node.start_mark.line + 1 + offset
    if id(node) in seen:
        problems.append(error(
            src_path, line, "YAML anchors and aliases ('&', '*') are not supported in front matter",
            "write the value out in full",
        ))
        return
    seen.add(id(node))
    if depth > MAX_DEPTH:
        problems.append(error(src_path, line, f"front matter is nested more than {MAX_DEPTH} levels deep"))
        return
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
            if key == "<<":
                problems.append(error(src_path, key_line, "YAML merge keys ('<<') are not supported in front matter"))
                continue
            if key in first_seen:
                problems.append(error(
                    src_path, key_line, f"duplicate key '{key}'",
                    f"'{key}' is already set on line {first_seen[key]}; keep one",
                ))
                continue
            first_seen[key] = key_line
            key_path = f"{path}.{key}" if path else key
            key_lines[key_path] = key_line
            _check_node(value_node, key_path, src_path, offset, key_lines, problems, seen, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = f"{path}.{index}" if path else str(index)
            key_lines[item_path] = item.start_mark.line + 1 + offset
            _check_node(item, item_path, src_path, offset, key_lines, problems, seen, depth + 1)
