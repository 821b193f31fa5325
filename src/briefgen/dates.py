"""Dates as analysts write them: a day, a month or a year, alone or as a range.

A partial date must never read as a day the brief does not know, so the
display form ("July 2020") is kept apart from the sort key and from the
machine form used in ``<time datetime>``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ACCEPTED_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"
MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")
"""English month names, independent of the machine's locale."""
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class FuzzyDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int = 0
    """1-12, or 0 when only the year is known."""
    day: int = 0
    """1-31, or 0 when only the month (or year) is known."""

    def __reduce__(self) -> tuple[type[FuzzyDate], tuple[int, int, int]]:
        # Pickled as a call with three ints: much faster than dataclass state for the document cache.
        return (FuzzyDate, (self.year, self.month, self.day))

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        """The form for ``<time datetime>``: as precise as the date and no more."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Partial dates sort before the days they contain."""
        return (self.year, self.month, self.day)

    @property
    def last_key(self) -> tuple[int, int, int]:
        """The sort key of the last day this date may stand for."""
        month = self.month or 12
        day = self.day or _days_in_month(self.year, month)
        return (self.year, month, day)

    def display(self) -> str:
        if self.day:
            return f"{self.day} {MONTH_NAMES[self.month]} {self.year}"
        if self.month:
            return f"{MONTH_NAMES[self.month]} {self.year}"
        return str(self.year)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_date(value: object) -> FuzzyDate:
    """Read a front-matter date; raise ``ValueError`` with a readable reason."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return FuzzyDate(value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"expected a date ({ACCEPTED_FORMS}), got {type(value).__name__}")
    text = str(value).strip()
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date ({ACCEPTED_FORMS})")
    year, month, day = (int(g) if g else 0 for g in match.groups())
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(f"'{text}' has no month {month}")
    if match.group(3):
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"'{text}' is not a day of the calendar") from None
    return FuzzyDate(year, month, day)


def display_range(start: FuzzyDate, end: FuzzyDate | None) -> str:
    """"17–20 July 2020", "28 July – 2 August 2020", "July–August 2020"."""
    if end is None or end == start:
        return start.display()
    months = MONTH_NAMES
    if start.precision == end.precision == "day" and start.year == end.year:
        if start.month == end.month:
            return f"{start.day}–{end.day} {months[start.month]} {start.year}"
        return f"{start.day} {months[start.month]} – {end.day} {months[end.month]} {end.year}"
    if start.precision == end.precision == "month" and start.year == end.year:
        return f"{months[start.month]}–{months[end.month]} {start.year}"
    if start.precision == end.precision == "year":
        return f"{start.year}–{end.year}"
    return f"{start.display()} – {end.display()}"
