"""events.ics: the brief's events as a calendar to subscribe to, one all-day VEVENT each.

A calendar knows days, not "sometime in July", and the brief must never
seem to know a day it does not. So an event known to the month is shown as
the whole month, with "(month only)" in its title and its date as the brief
writes it in the description; an event known only to the year is left out,
since a year-long bar would sit on every week of the calendar and tell
nothing, and the calendar's description says how many were left out.

The input is the plain event entries the pages show (``pages.Items.event``),
so the calendar says what the timeline says. Nothing depends on the clock:
DTSTAMP is the first moment (UTC) of the event's first day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import icalendar

SPANNED = {"day": "", "month": "month only"}
"""Precisions a calendar can show as a span of days, with the mark each adds to the title."""


@dataclass(frozen=True, slots=True)
class DaySpan:
    """The days a calendar shows for an event: ``first`` up to ``end``, which iCalendar
    wants exclusive (the day after the last), and the mark of a date not known to the day."""

    first: dt.date
    end: dt.date
    mark: str


def day_span(event: Mapping[str, Any]) -> DaySpan | None:
    """The span of an event entry, from its dates' ``iso`` forms and precisions; None when
    a date is known only to the year (or some precision a calendar cannot show).

    The one place that reads dates here: keep it in step with ``dates``.
    """
    start_precision = event["start_precision"]
    end_precision = event["end_precision"] or start_precision
    if start_precision not in SPANNED or end_precision not in SPANNED:
        return None
    first = _first_day(event["date_iso"])
    last_iso = event["end_iso"] or event["date_iso"]
    last = _first_day(last_iso)
    if end_precision == "month":
        end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    else:
        end = last + dt.timedelta(days=1)
    mark = SPANNED["month"] if "month" in (start_precision, end_precision) else ""
    return DaySpan(first, max(end, first + dt.timedelta(days=1)), mark)


def _first_day(iso: str) -> dt.date:
    """The first day a ``YYYY-MM-DD`` or ``YYYY-MM`` form may stand for."""
    return dt.date(int(iso[0:4]), int(iso[5:7]), int(iso[8:10]) if len(iso) >= 10 else 1)


def event_uid(event_id: str, base_url: str) -> str:
    """Stable across builds and unique across briefs published at different addresses."""
    if not base_url:
        return f"{event_id}@briefgen"
    parts = urlsplit(base_url)
    return f"{event_id}@{parts.netloc}{parts.path.rstrip('/')}"


def calendar_text(events: Sequence[Mapping[str, Any]], site: Mapping[str, Any]) -> str:
    """The calendar of ``events`` (``pages.Items.event`` entries, in timeline order) as iCalendar text.

    ``site`` is ``pages.site_context``: title, description, base_url, generator.
    """
    import icalendar  # only the process that writes the calendar pays for importing it

    base = site["base_url"]
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//briefgen//{site['generator']}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # icalendar escapes only the properties it knows as text: NAME and the X- ones it must be told.
    calendar.add("name", icalendar.vText(site["title"]))
    calendar.add("x-wr-calname", icalendar.vText(site["title"]))
    if base:
        calendar.add("url", f"{base}timeline/")
    left_out = 0
    for event in events:
        span = day_span(event)
        if span is None:
            left_out += 1
            continue
        calendar.add_component(_vevent(event, span, base))
    about = _about(site["title"], site["description"], left_out)
    calendar.add("description", about)
    calendar.add("x-wr-caldesc", icalendar.vText(about))
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")


def _vevent(event: Mapping[str, Any], span: DaySpan, base: str) -> icalendar.Event:
    import icalendar

    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event["id"], base))
    vevent.add("dtstamp", dt.datetime(span.first.year, span.first.month, span.first.day, tzinfo=dt.timezone.utc))
    vevent.add("dtstart", span.first)
    vevent.add("dtend", span.end)
    vevent.add("summary", f"{event['title']} ({span.mark})" if span.mark else event["title"])
    if event["place"]:
        vevent.add("location", event["place"])
    vevent.add("description", _description(event, span, base))
    if base:
        vevent.add("url", f"{base}{event['url']}")
    return vevent


def _description(event: Mapping[str, Any], span: DaySpan, base: str) -> str:
    lines = [event["date"] + (f" · {event['place']}" if event["place"] else "")]
    if span.mark:
        lines.append("Month only: the day is not known, so the calendar shows the whole month.")
    if event["actors"]:
        lines.append("Actors: " + ", ".join(
            f"{a['name']} ({a['event_role']})" if a["event_role"] else a["name"] for a in event["actors"]))
    if event["articles"]:
        lines.append("Discussed in: " + "; ".join(a["title"] for a in event["articles"]))
    if base:
        lines.append(f"{base}{event['url']}")
    return "\n".join(lines)


def _about(title: str, description: str, left_out: int) -> str:
    about = [description or f"Events of {title}."]
    about.append("An event known only to the month spans the whole month and is marked (month only).")
    if left_out:
        about.append(f"{left_out} event{'s' if left_out != 1 else ''} known only to the year "
                     f"{'are' if left_out != 1 else 'is'} left out: see the timeline.")
    return " ".join(about)
