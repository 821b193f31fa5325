"""Splitting a file into YAML front matter and body, keeping the line of every key.

PyYAML's ``safe_load`` silently keeps the last of two equal keys and forgets
where anything came from, so we compose the node tree ourselves (with the C
loader when present), check it, and only then construct plain data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

import yaml

from briefgen.errors import BriefError, error

try:
    _Loader: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_DEPTH = 32
FENCE = "---"
SAFE_TO_COMPOSE = 256
"""Nesting that both composers take safely: libyaml recurses in C and refuses more than
1,000 levels with a message of its own; PyYAML's Python composer, used where PyYAML has
no libyaml, recurses two frames a level into Python's recursion limit. Text that could
nest deeper is measured first, on the event stream, which neither makes recursively."""
_TOO_DEEP_HINT = ("keys hold text, dates, lists and mappings a few levels deep: is a '[' or '{' "
                  "never closed, or each line indented more than the last?")

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_YAML_BREAKS = re.compile("[\n\x85\u2028\u2029]")
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")
_UNREADABLE = (ValueError, LookupError, TypeError, AttributeError, OverflowError)
"""What PyYAML's constructors raise for values like ``!!int abc`` or ``!!bool maybe``."""


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
    to_line = _line_numbers(text, first_line)
    deep = _too_deep(text)
    if deep is not None:
        return {}, {}, [_too_deep_error(src_path, to_line(deep))]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG):  # "" or a lone "---"
            return {}, {}, []
        if not isinstance(node, yaml.MappingNode):
            line = to_line(node.start_mark.line)
            kind = {yaml.SequenceNode: "a list"}.get(type(node), "a single value")
            return {}, {}, [error(
                src_path, line, f"front matter must be a mapping of keys to values, not {kind}",
                "write one 'key: value' per line",
            )]
        key_lines: dict[str, int] = {}
        problems: list[BriefError] = []
        _check_node(node, "", src_path, to_line, key_lines, problems, set(), 0)
        if not problems:
            data, problems = _construct(node, src_path, to_line)
        if problems:
            return {}, key_lines, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        last = text.rstrip().count("\n") + first_line
        if exc.context_mark and mark and to_line(mark.line) > last:
            mark = exc.context_mark  # found at the very end: where the unclosed thing began says more
        line = min(to_line(mark.line), last) if mark else first_line
        reason = exc.problem or exc.context or "malformed YAML"
        if exc.problem and exc.context:
            reason += f" ({exc.context})"
        hint = _yaml_hint(reason)
        if _YAML_ONLY_BREAKS.search(text):
            hint = "an invisible line separator (U+2028, U+2029 or U+0085) ends a line for YAML; delete it"
        return {}, {}, [error(src_path, line, f"malformed YAML: {reason}", hint)]
    except yaml.reader.ReaderError as exc:  # libyaml counts its position in bytes: find the character
        line = text.count("\n", 0, max(text.find(chr(exc.character)), 0)) + first_line
        return {}, {}, [error(src_path, line, f"character U+{exc.character:04X} is not allowed in YAML",
                              "delete it; most editors do not show it")]
    except yaml.YAMLError as exc:
        return {}, {}, [error(src_path, first_line, f"malformed YAML: {exc}")]
    finally:
        loader.dispose()
    return data, key_lines, []


LineNumbers = Callable[[int], int]


def _line_numbers(text: str, first_line: int) -> LineNumbers:
    """Turn libyaml's 0-based line into the file's: YAML also breaks lines at U+0085, U+2028 and
    U+2029, which editors show within a line."""
    if not _YAML_ONLY_BREAKS.search(text):
        return lambda line: line + first_line
    starts = list(accumulate((b == "\n" for b in _YAML_BREAKS.findall(text)), initial=0))
    return lambda line: starts[min(line, len(starts) - 1)] + first_line


def _too_deep(text: str) -> int | None:
    """libyaml's line where ``text`` nests deeper than ``MAX_DEPTH``, or ``None``.

    Each level of nesting needs one of ``[{-?:``, so only text with more than
    ``SAFE_TO_COMPOSE`` of them is measured. Levels are counted as ``_check_node``
    counts them, so the two report the same line.
    """
    if sum(map(text.count, "[{-?:")) <= SAFE_TO_COMPOSE:
        return None
    loader = _Loader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(event.start_mark.line) if event.start_mark else 0
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if exc.problem and "maximum nesting depth" in exc.problem:
            # libyaml 0.2.6 (PyYAML 6.0.4's wheels) has a limit of its own, met while scanning ahead
            mark = exc.problem_mark or exc.context_mark
            return int(mark.line) if mark else 0
        return None  # the parse proper reports it, having nested no deeper than this
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _construct(node: yaml.Node, src_path: str, to_line: LineNumbers) -> tuple[Any, list[BriefError]]:
    """Plain data from a checked node tree; a value PyYAML cannot read is an error on its line.

    A value that only looks like a date ("2020-02-30") is kept as text, so that
    documents can say what is wrong with it in the words it uses for every date.
    """
    try:
        return _plain_value(node, yaml.constructor.SafeConstructor()), []
    except (_Unusual, yaml.YAMLError, *_UNREADABLE):
        pass  # PyYAML's own construction below says what is wrong, as it always did
    try:
        return yaml.constructor.SafeConstructor().construct_document(node), []
    except _UNREADABLE:
        pass
    problems: list[BriefError] = []
    for scalar in _scalars(node):
        try:
            yaml.constructor.SafeConstructor().construct_object(scalar)
        except _UNREADABLE:
            if scalar.tag == _TIMESTAMP_TAG:
                scalar.tag = _STR_TAG
                continue
            value = scalar.value if len(scalar.value) <= 40 else scalar.value[:40] + "…"
            kind = {"int": "a number", "float": "a number", "bool": "true or false"}.get(
                scalar.tag.rpartition(":")[2], scalar.tag)
            problems.append(error(src_path, to_line(scalar.start_mark.line),
                                  f"malformed YAML: cannot read '{value}' as {kind}",
                                  "quote the value (and drop any '!!' tag) to keep it as text"))
    if problems:
        return {}, problems
    return yaml.constructor.SafeConstructor().construct_document(node), []


class _Unusual(Exception):
    """A node that ``_plain_value`` leaves to PyYAML's construction (an explicit ``!!set``, ...)."""


def _plain_value(node: yaml.Node, constructor: yaml.constructor.SafeConstructor) -> Any:
    """What ``construct_document`` makes of a checked tree (no anchors, merge or duplicate keys),
    built here: text, lists and mappings directly, other scalars by PyYAML. Front matter is mostly
    text, and PyYAML's bookkeeping for each node was a third of parsing it."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR_TAG else constructor.construct_object(node)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
        return [_plain_value(item, constructor) for item in node.value]
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
        return {_plain_value(key, constructor): _plain_value(value, constructor) for key, value in node.value}
    raise _Unusual(node.tag)


def _scalars(node: yaml.Node) -> list[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        return [node]
    children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value
    return [scalar for child in children for scalar in _scalars(child)]


def _too_deep_error(src_path: str, line: int) -> BriefError:
    return error(src_path, line, f"front matter is nested more than {MAX_DEPTH} levels deep", _TOO_DEEP_HINT)


def _yaml_hint(reason: str) -> str:
    if "mapping values are not allowed" in reason:
        return "a value that contains ': ' must be quoted"
    if "found character '\\t'" in reason:
        return "YAML indents with spaces, not tabs"
    if "could not find expected ':'" in reason:
        return "each line needs 'key: value'; quote values that span several lines"
    if "while parsing a flow" in reason:
        return "a '[' or '{' is not closed, or a value inside it needs quotes"
    if "could not determine a constructor" in reason:
        return "front matter holds plain text, numbers, dates, lists and mappings; remove the '!' tag"
    return ""


def _check_node(
    node: yaml.Node,
    path: str,
    src_path: str,
    to_line: LineNumbers,
    key_lines: dict[str, int],
    problems: list[BriefError],
    seen: set[int],
    depth: int,
) -> None:
    """Record key lines; refuse duplicate keys, aliases and absurd nesting."""
    line = to_line(node.start_mark.line)
    if id(node) in seen:
        message = "YAML anchors and aliases ('&', '*') are not supported in front matter"
        if not any(p.message == message for p in problems):  # once per file, however many aliases
            problems.append(error(src_path, line, message, "write the value out in full"))
        return
    seen.add(id(node))
    if depth >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):  # the top mapping is at depth 0
        problems.append(_too_deep_error(src_path, line))
        return
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = to_line(key_node.start_mark.line)
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(error(src_path, key_line, "a key must be a plain name, not a list or a mapping"))
                continue
            key = str(key_node.value)
            if key == "<<":
                problems.append(error(src_path, key_line, "YAML merge keys ('<<') are not supported in front matter"))
                continue
            key_node.tag = _STR_TAG  # "1:", "true:" and "~:" are names like any other
            if key in first_seen:
                problems.append(error(
                    src_path, key_line, f"duplicate key '{key}'",
                    f"'{key}' is already set on line {first_seen[key]}; keep one",
                ))
                continue
            first_seen[key] = key_line
            key_path = f"{path}.{key}" if path else key
            key_lines[key_path] = key_line
            _check_node(value_node, key_path, src_path, to_line, key_lines, problems, seen, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = f"{path}.{index}" if path else str(index)
            key_lines[item_path] = to_line(item.start_mark.line)
            _check_node(item, item_path, src_path, to_line, key_lines, problems, seen, depth + 1)
