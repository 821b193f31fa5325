"""Dates as analysts write them, in the Extended Date/Time Format (EDTF, ISO 8601-2).

A day, a month or a year, each perhaps approximate (``2020-08~``) or uncertain
(``2020-08-25?``), or an interval between two of them whose ends may be open
(``2020-03/..``) or unknown (``2020-03/``). A partial or doubtful date must
never read as a day the brief knows, so each value has a display form ("c.
August 2020"), kept apart from its sort key and from the machine form used
in ``<time datetime>``.

briefgen reads EDTF levels 0 and 1 without seasons and unspecified digits,
and refuses the rest with a hint. The ``edtf`` package reads all of EDTF, but
through a pyparsing grammar far slower than a brief's thousands of dates
allow, and with invented bounds for open ends; the subset is a few regular
expressions, and the tests check it against that package.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ACCEPTED_FORMS = "YYYY-MM-DD, YYYY-MM or YYYY"
EVENT_FORMS = (f"{ACCEPTED_FORMS}; 2020-08~ is about August 2020, 2020-08-25? perhaps the 25th, "
               "2020-08-25/2020-08-29 an interval, 2020-03/.. since March 2020")
"""What an event's ``date`` accepts, with an example of each form, for hints."""
MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")
"""English month names, independent of the machine's locale."""
PRECISIONS = ("year", "month", "day")
"""Coarsest first."""
QUALIFIERS = ("?", "~", "%")
"""EDTF's uncertain, approximate, and both."""
OPEN = ".."
ONGOING = "ongoing"
"""Accepted in ``end:`` for an open end, as the word analysts use."""
EARLIEST_DAY, LATEST_DAY = 0, 99999999
"""Day numbers (YYYYMMDD) beyond every date: the bounds of an open end."""

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%]?)$")


class DateError(ValueError):
    """A value that is not a date briefgen accepts; ``hint`` says what to write."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True, order=True)
class FuzzyDate:
    """A date known to the year, the month or the day, perhaps approximate or uncertain."""

    year: int
    month: int = 0
    """1-12, or 0 when only the year is known."""
    day: int = 0
    """1-31, or 0 when only the month (or year) is known."""
    qualifier: str = ""
    """"" when the sources are sure; "?" uncertain, "~" approximate, "%" both."""

    def __reduce__(self) -> tuple[type[FuzzyDate], tuple[int, int, int, str]]:
        # Pickled as a call with its fields: much faster than dataclass state for the document cache.
        return (FuzzyDate, (self.year, self.month, self.day, self.qualifier))

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
    def edtf(self) -> str:
        return self.iso + self.qualifier

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Partial dates sort before the days they contain (articles, whose dates are days)."""
        return (self.year, self.month, self.day)

    @property
    def first_day(self) -> int:
        """The first day this date may stand for, as the number YYYYMMDD."""
        return self.year * 10000 + max(self.month, 1) * 100 + max(self.day, 1)

    @property
    def last_day(self) -> int:
        """The last day this date may stand for, as the number YYYYMMDD."""
        month = self.month or 12
        return self.year * 10000 + month * 100 + (self.day or _days_in_month(self.year, month))

    def display(self) -> str:
        """"25 August 2020", "c. August 2020", "2020?"."""
        return ("c. " if self.approximate else "") + self.plain() + ("?" if self.uncertain else "")

    def plain(self) -> str:
        """The date without its qualifier."""
        if self.day:
            return f"{self.day} {MONTH_NAMES[self.month]} {self.year}"
        if self.month:
            return f"{MONTH_NAMES[self.month]} {self.year}"
        return str(self.year)


@dataclass(frozen=True, slots=True)
class EventDate:
    """When an event happened: one date, or an interval whose ends may be open or unknown."""

    start: FuzzyDate | None
    """None when the interval's start is open (``..``) or unknown (empty)."""
    end: FuzzyDate | None = None
    """The end of an interval; None for a single date, or an open or unknown end."""
    interval: bool = False
    open_start: bool = False
    """``../2020-03``: for as long as anyone can tell, until March 2020."""
    open_end: bool = False
    """``2020-03/..``: still going on."""

    def __reduce__(self) -> tuple[type[EventDate], tuple[FuzzyDate | None, FuzzyDate | None, bool, bool, bool]]:
        return (EventDate, (self.start, self.end, self.interval, self.open_start, self.open_end))

    @property
    def edtf(self) -> str:
        """The value in EDTF, as briefgen reads it."""
        if not self.interval:
            return self.start.edtf if self.start else ""
        left = self.start.edtf if self.start else OPEN if self.open_start else ""
        right = self.end.edtf if self.end else OPEN if self.open_end else ""
        return f"{left}/{right}"

    @property
    def known(self) -> FuzzyDate:
        """The first bound the brief knows: the start, or the end of an interval with no start."""
        known = self.start or self.end
        if known is None:
            raise ValueError("an interval needs a start or an end")  # parse_event_date never makes one
        return known

    @property
    def precision(self) -> str:
        """The coarsest precision of the bounds the brief knows."""
        return min((d.precision for d in (self.start, self.end) if d), key=PRECISIONS.index)

    @property
    def approximate(self) -> bool:
        return any(d.approximate for d in (self.start, self.end) if d)

    @property
    def uncertain(self) -> bool:
        return any(d.uncertain for d in (self.start, self.end) if d)

    @property
    def earliest(self) -> int:
        """The first day the event may have begun (YYYYMMDD; ``EARLIEST_DAY`` if the start is open or unknown)."""
        return self.start.first_day if self.start else EARLIEST_DAY

    @property
    def latest(self) -> int:
        """The last day the event may have lasted to (``LATEST_DAY`` if the end is open or unknown)."""
        if not self.interval:
            return self.known.last_day
        return self.end.last_day if self.end else LATEST_DAY

    @property
    def latest_start(self) -> int:
        """The last day the event may have begun: where the timeline places it."""
        if self.start is None:
            return self.known.last_day
        return min(self.start.last_day, self.end.last_day) if self.end else self.start.last_day

    @property
    def placed_by(self) -> str:
        """The precision of the bound that gives ``latest_start``."""
        start, end = self.start, self.end
        if start is None:
            return self.known.precision
        if end is not None and end.last_day < start.last_day:
            return end.precision
        return start.precision

    def sort_key(self) -> tuple[int, int, int]:
        """Events sort by the last day they may have begun, so a month-only or year-only event
        follows the days it may be any of; on a tie a day comes before a month, a month before a
        year, and a shorter event before a longer one."""
        return (self.latest_start, -PRECISIONS.index(self.placed_by), self.latest)

    def ends_before_start(self) -> bool:
        return self.start is not None and self.end is not None and self.end.last_day < self.start.first_day

    def display(self) -> str:
        """"25–29 August 2020", "c. August 2020", "since March 2020", "until 1994"."""
        start, end = self.start, self.end
        if not self.interval:
            return self.known.display()
        if start and end:
            if start.qualifier or end.qualifier:
                return f"{start.display()} – {end.display()}"
            return display_range(start, end)
        if start:
            return f"since {start.display()}" if self.open_end else f"from {start.display()}, end unknown"
        return f"until {self.known.display()}" if self.open_start else f"until {self.known.display()}, start unknown"

    def with_end(self, end: FuzzyDate | None) -> EventDate:
        """This single date as the start of an interval to ``end`` (None: an open end)."""
        if end == self.start:
            return self
        return EventDate(self.start, end, interval=True, open_end=end is None)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_date(value: object) -> FuzzyDate:
    """Read one date (``2020-08-25``, ``2020-08~``...); raise ``DateError`` with a readable reason."""
    text = _text(value)
    if isinstance(text, FuzzyDate):
        return text
    if "/" in text:
        raise DateError(f"'{text}' is an interval; give one date here", f"write one date: {ACCEPTED_FORMS}")
    return _single(text)


def parse_event_date(value: object) -> EventDate:
    """Read an event's ``date``: one date or an interval (``2020-08-25/2020-08-29``, ``2020-03/..``)."""
    text = _text(value)
    if isinstance(text, FuzzyDate):
        return EventDate(text)
    if "/" not in text:
        return EventDate(_single(text))
    left, _, right = text.partition("/")
    if "/" in right:
        raise DateError(f"'{text}' has more than one '/'", "an interval is START/END: 2020-08-25/2020-08-29")
    if left in ("", OPEN) and right in ("", OPEN):
        raise DateError(f"'{text}' gives neither a start nor an end", "write at least one: 2020-03/..")
    start = _single(left) if left not in ("", OPEN) else None
    end = _single(right) if right not in ("", OPEN) else None
    if start is not None and start == end:
        return EventDate(start)
    return EventDate(start, end, interval=True, open_start=left == OPEN, open_end=right == OPEN)


def parse_end(value: object) -> FuzzyDate | None:
    """Read an event's ``end``: one date, or ``..`` (or ``ongoing``) for an open end, given as None."""
    if isinstance(value, str) and value.strip() in (OPEN, ONGOING):
        return None
    text = _text(value)
    if isinstance(text, str) and "/" in text:
        raise DateError(f"'{text}' is an interval; 'end' takes one date",
                        "write the interval in 'date' alone, or the last date in 'end'")
    return parse_date(value)


def _text(value: object) -> FuzzyDate | str:
    """A day YAML already read as a date, or the value's text."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return FuzzyDate(value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateError(f"expected a date ({ACCEPTED_FORMS}), got {type(value).__name__}")
    return str(value).strip()


def _single(text: str) -> FuzzyDate:
    match = _DATE_RE.match(text)
    if not match:
        raise _not_accepted(text)
    year, month, day = (int(g) if g else 0 for g in match.groups()[:3])
    if match.group(2) and 21 <= month <= 41:
        first, last = _NORTHERN_SEASONS.get(month, ("03", "05"))
        example = f"{year}-{first}/{year + (last < first)}-{last}"
        raise DateError(f"'{text}' is an EDTF season, which briefgen does not accept",
                        f"write the months it covers, e.g. {example} (seasons differ between hemispheres)")
    if match.group(2) and not 1 <= month <= 12:
        raise DateError(f"'{text}' has no month {month}", "months run from 01 to 12")
    if match.group(3):
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateError(f"'{text}' is not a day of the calendar",
                            f"{MONTH_NAMES[month]} {year} has {_days_in_month(year, month)} days") from None
    return FuzzyDate(year, month, day, match.group(4))


_NORTHERN_SEASONS = {21: ("03", "05"), 22: ("06", "08"), 23: ("09", "11"), 24: ("12", "02")}
_RANGE_RE = re.compile(r"^(\S+?)\s*(?:\.\.|–|—|\s-\s|\s+to\s+)\s*(\S+)$")
_QUALIFIED_PART_RE = re.compile(r"^[?~%]?\d{4}[?~%]?(?:-[?~%]?\d{2}[?~%]?(?:-[?~%]?\d{2}[?~%]?)?)?$")


def _not_accepted(text: str) -> DateError:
    """Why ``text`` is not a date, in the terms of what the analyst probably meant."""
    plain = f"'{text}' is not a date ({ACCEPTED_FORMS})"
    if text in (ONGOING, OPEN):
        return DateError(plain, "an open end belongs in an interval: 2020-03/.. reads 'since March 2020'")
    if range_match := _RANGE_RE.match(text):
        start, end = range_match.groups()
        return DateError(plain, f"write an interval with '/': {start}/{end}")
    if re.search(r"\d[Xx]|[Xx]{2}", text) and re.fullmatch(r"[\dXx?~%-]+", text):
        return DateError(f"'{text}' has unspecified digits (X), which briefgen does not accept",
                         "write what is known: 2020 for 2020-XX, or an interval: 2010/2019 for 201X")
    if _QUALIFIED_PART_RE.match(text):
        return DateError(f"'{text}' qualifies part of a date, which briefgen does not accept",
                         "put one '?', '~' or '%' at the end, for the whole date: 2020-08~")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d.*", text):
        return DateError(f"'{text}' gives a time of day, which briefgen does not accept",
                         f"give the day: {text[:10]}")
    if text[:1] in "[{" or text.startswith(("Y", "-")):
        return DateError(f"'{text}' is an EDTF form briefgen does not accept", f"write {EVENT_FORMS}")
    return DateError(plain)


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
