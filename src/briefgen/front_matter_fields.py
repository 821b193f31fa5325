"""Typed values out of one file's front matter, each key checked, each problem with its line.

``documents`` builds its dataclasses with a ``Reader``; kept apart so that the schema of each
kind of document reads on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from briefgen.dates import (ACCEPTED_FORMS, EVENT_FORMS, DateError, EventDate, FuzzyDate, parse_date, parse_end,
                            parse_event_date)
from briefgen.errors import BriefError, did_you_mean, error, warning
from briefgen.frontmatter import FrontMatter


class Record:
    """Base of the document dataclasses: pickled as a call with the fields in order,
    several times faster than dataclass state (the document cache holds 100,000s)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        names: tuple[str, ...] = self.__slots__  # the fields, in order, on every dataclass below
        return (type(self), tuple(getattr(self, name) for name in names))


@dataclass(frozen=True, slots=True)
class Ref(Record):
    """A reference to another document by id, name or alias, with its line."""

    target: str
    line: int
    role: str = ""
    """The part an actor played in an event ("supplier"), when given."""


@dataclass
class Reader:
    """Reads typed values out of one file's front matter, collecting problems."""

    src_path: str
    fm: FrontMatter
    problems: list[BriefError] = field(default_factory=list)
    prefix: str = ""
    """Key path of the mapping being read ("source."), "" for the top level."""

    @property
    def data(self) -> dict[str, Any]:
        if not self.prefix:
            return self.fm.data
        value = self.fm.data.get(self.prefix.rstrip("."))
        return value if isinstance(value, dict) else {}

    def nested(self, key: str) -> Reader:
        return Reader(self.src_path, self.fm, self.problems, f"{self.prefix}{key}.")

    def line(self, key: str) -> int:
        return self.fm.line_of(self.prefix + key)

    def fail(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(error(self.src_path, self.line(key), message, hint))

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(key, f"'{self.prefix}{key}' must be text, not {type_name(value)}")
            return ""
        if required and not value.strip():
            self.fail(key, f"'{self.prefix}{key}' must not be empty")
        return value.strip()

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"'{self.prefix}{key}' must be true or false, not {type_name(value)}")
            return default
        return value

    def date(self, key: str, required: bool = False, day_only: bool = False) -> FuzzyDate | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self._missing(key)
            return None
        try:
            parsed = parse_date(value)
        except DateError as exc:
            self.fail(key, f"'{self.prefix}{key}': {exc}", exc.hint or f"write dates as {ACCEPTED_FORMS}")
            return None
        if day_only and (parsed.precision != "day" or parsed.qualifier):
            hint = f"the day it was published is known: leave out the '{parsed.qualifier}'" if parsed.qualifier else ""
            self.fail(key, f"'{self.prefix}{key}' must be a full date (YYYY-MM-DD), not '{parsed.edtf}'", hint)
            return None
        return parsed

    def event_date(self) -> EventDate | None:
        """An event's ``date`` and ``end`` as one value: an interval in ``date``, or a date and its ``end``."""
        key, end_key = "date", "end"
        value, end_value = self.data.get(key), self.data.get(end_key)
        when: EventDate | None = None
        if value is None:
            self._missing(key)
        else:
            try:
                when = parse_event_date(value)
            except DateError as exc:
                self.fail(key, f"'{self.prefix}{key}': {exc}", exc.hint or f"write {EVENT_FORMS}")
        if when is not None and when.start is not None and when.end is not None and when.ends_before_start():
            self.fail(key, f"event ends ({when.end.edtf}) before it starts ({when.start.edtf})")
            when = None
        if end_value is None:
            return when
        try:
            end = parse_end(end_value)
        except DateError as exc:
            self.fail(end_key, f"'{self.prefix}{end_key}': {exc}",
                      exc.hint or f"write one date ({ACCEPTED_FORMS}), or .. for an open end")
            return when
        if when is None or when.start is None:
            return when
        if when.interval:
            self.fail(end_key, "'end' cannot be given with an interval in 'date'",
                      f"give the end once: 'date: {when.edtf}' alone, or a single date in 'date' and its 'end'")
            return when
        if end is not None and when.with_end(end).ends_before_start():
            self.fail(end_key, f"event ends ({end.edtf}) before it starts ({when.start.edtf})")
            return when
        return when.with_end(end)

    def _list(self, key: str, of: str) -> list[Any]:
        """The list under ``key`` (empty when absent); anything else is reported."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"'{self.prefix}{key}' must be a list{' of ' + of + 's' if of != 'item' else ''}, "
                           f"not {type_name(value)}", f"write {key}: [{plain(value)}] or one '- {of}' per line")
            return []
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self._list(key, "item")
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{key}.{index}", f"'{self.prefix}{key}' item {index + 1} must be non-empty text")
                continue
            items.append(item.strip())
        return tuple(items)

    def refs(self, key: str, allow_roles: bool = False) -> tuple[Ref, ...]:
        value = self._list(key, "id")
        refs = []
        for index, item in enumerate(value):
            item_key = f"{key}.{index}"
            line = self.line(item_key)
            if allow_roles and isinstance(item, dict):
                target, role = item.get("id"), item.get("role", "")
                extra = sorted(set(map(str, item)) - {"id", "role"})
                if extra:
                    self.problems.append(warning(self.src_path, line, f"unknown key '{extra[0]}' in '{key}' entry",
                                                 "an entry takes 'id' and 'role'"))
                if not isinstance(target, str) or not isinstance(role, str):
                    self.fail(item_key, f"'{self.prefix}{key}' item {index + 1} needs 'id' (text) and optional 'role' (text)")
                    continue
                refs.append(Ref(target.strip(), line, role.strip()))
            elif isinstance(item, str) and item.strip():
                refs.append(Ref(item.strip(), line))
            else:
                self.fail(item_key, f"'{self.prefix}{key}' item {index + 1} must be an id, not {type_name(item)}")
        return tuple(refs)

    def unknown_keys(self, known: tuple[str, ...], hints: dict[str, str] | None = None) -> None:
        for key in self.data:
            if key not in known:
                name = str(key)
                self.problems.append(warning(
                    self.src_path, self.line(name), f"unknown key '{self.prefix}{name}'",
                    (hints or {}).get(name) or did_you_mean(name, known, "known keys: " + ", ".join(known)),
                ))

    def _missing(self, key: str) -> None:
        hint = "" if self.fm.has_front_matter else "did you forget the '---' block at the top of the file?"
        self.problems.append(error(self.src_path, self.line(key), f"missing required key '{key}'", hint))


def type_name(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", bool: "true/false", str: "text", int: "a number",
             float: "a number", dt.date: "a date", dt.datetime: "a date and time", bytes: "binary data"}
    return names.get(type(value), type(value).__name__)


def plain(value: Any) -> str:
    return value if isinstance(value, str) else "..."
