"""events.ics: spans of days for dates of every precision, stable UIDs, valid iCalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest

from briefgen.ical import DaySpan, calendar_text, day_span, event_uid

SITE = {"title": "Test brief", "description": "", "base_url": "", "generator": "briefgen 0.0"}


def entry(event_id: str, date: str, end: str = "", **values: Any) -> dict[str, Any]:
    """An event entry as ``pages.Items.event`` makes it."""
    precision = {4: "year", 7: "month", 10: "day"}
    return {"id": event_id, "title": values.get("title", event_id.title()), "url": f"events/{event_id}/",
            "date": values.get("display", date), "date_iso": date, "end_iso": end,
            "start_precision": precision[len(date)], "end_precision": precision[len(end)] if end else "",
            "place": values.get("place", ""), "actors": values.get("actors", []),
            "articles": values.get("articles", [])}


@pytest.mark.parametrize(("date", "end", "first", "after_last", "mark"), [
    ("2020-08-12", "", "2020-08-12", "2020-08-13", ""),
    ("2020-07-17", "2020-07-20", "2020-07-17", "2020-07-21", ""),
    ("2020-12-31", "2021-01-02", "2020-12-31", "2021-01-03", ""),
    ("2020-07", "", "2020-07-01", "2020-08-01", "month only"),
    ("2020-12", "", "2020-12-01", "2021-01-01", "month only"),
    ("2020-02", "2020-03", "2020-02-01", "2020-04-01", "month only"),
    ("2020-07", "2020-08-05", "2020-07-01", "2020-08-06", "month only"),
    ("2020-07-28", "2020-08", "2020-07-28", "2020-09-01", "month only"),
], ids=["day", "days", "days across a year", "month", "december", "months", "month to day", "day to month"])
def test_a_span_covers_every_day_the_dates_may_stand_for(date: str, end: str, first: str, after_last: str,
                                                         mark: str) -> None:
    assert day_span(entry("e", date, end)) == DaySpan(dt.date.fromisoformat(first),
                                                      dt.date.fromisoformat(after_last), mark)


@pytest.mark.parametrize(("date", "end"), [("2020", ""), ("2019", "2020"), ("2020-07", "2021"), ("2019", "2020-03-01")])
def test_a_date_known_only_to_the_year_has_no_span(date: str, end: str) -> None:
    assert day_span(entry("e", date, end)) is None


def test_uids_are_stable_and_name_the_brief() -> None:
    assert event_uid("phone-call", "") == "phone-call@briefgen"
    assert event_uid("phone-call", "https://example.org/") == "phone-call@example.org"
    assert event_uid("phone-call", "https://example.org/brief/") == "phone-call@example.org/brief"


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def test_each_event_is_an_all_day_vevent_with_its_precision_kept() -> None:
    events = [
        entry("clashes", "2020-07", display="July 2020", title="Border clashes", place="Tovuz",
              actors=[{"name": "Azerbaijan", "event_role": ""}, {"name": "Russia", "event_role": "observer"}],
              articles=[{"title": "A summer of strain"}]),
        entry("drills", "2020-07-17", "2020-07-20", display="17–20 July 2020", title="Snap drills"),
        entry("founding", "2019", display="2019", title="Founded"),
    ]
    text = calendar_text(events, SITE)
    calendar = parse(text)
    vevents = calendar.walk("VEVENT")
    assert [str(v["uid"]) for v in vevents] == ["clashes@briefgen", "drills@briefgen"]
    clashes, drills = vevents
    assert clashes.decoded("dtstart") == dt.date(2020, 7, 1) and clashes.decoded("dtend") == dt.date(2020, 8, 1)
    assert str(clashes["summary"]) == "Border clashes (month only)"
    assert str(clashes["location"]) == "Tovuz"
    assert str(clashes["description"]).splitlines() == [
        "July 2020 · Tovuz",
        "Month only: the day is not known, so the calendar shows the whole month.",
        "Actors: Azerbaijan, Russia (observer)",
        "Discussed in: A summer of strain",
    ]
    assert "url" not in clashes, "without base_url there is no absolute address to give"
    assert drills.decoded("dtstart") == dt.date(2020, 7, 17) and drills.decoded("dtend") == dt.date(2020, 7, 21)
    assert str(drills["summary"]) == "Snap drills"
    assert "DTSTART;VALUE=DATE:20200717\r\n" in text, "all-day: a DATE, not a date-time"
    assert drills.decoded("dtstamp") == dt.datetime(2020, 7, 17, tzinfo=dt.timezone.utc)
    assert "1 event known only to the year is left out" in str(calendar["x-wr-caldesc"])
    assert str(calendar["x-wr-calname"]) == "Test brief"


def test_with_base_url_events_link_to_their_pages() -> None:
    site = {**SITE, "base_url": "https://example.org/brief/"}
    (vevent,) = parse(calendar_text([entry("call", "2020-08-12")], site)).walk("VEVENT")
    assert str(vevent["url"]) == "https://example.org/brief/events/call/"
    assert str(vevent["uid"]) == "call@example.org/brief"
    assert str(vevent["description"]).splitlines()[-1] == "https://example.org/brief/events/call/"


def test_the_text_is_folded_crlf_and_the_same_every_time() -> None:
    events = [entry("call", "2020-08-12", title="Сергей Лавров и Джейхун Байрамов говорят по телефону; долго, " * 3)]
    text = calendar_text(events, SITE)
    assert text == calendar_text(events, SITE)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert str(parse(text).walk("VEVENT")[0]["summary"]) == events[0]["title"]


def test_an_empty_brief_is_an_empty_calendar() -> None:
    calendar = parse(calendar_text([], SITE))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"


def test_text_with_line_breaks_and_separators_is_escaped_everywhere() -> None:
    hostile = "A;B,C\\D\nE\r\nF"
    site = {**SITE, "title": hostile, "description": hostile}
    events = [entry("call", "2020-08-12", title=hostile, place=hostile, display=hostile,
                    actors=[{"name": hostile, "event_role": hostile}], articles=[{"title": hostile}])]
    text = calendar_text(events, site)
    calendar = parse(text)
    escaped = "A\\;B\\,C\\\\D\\nE\\nF"  # icalendar reads back only the properties it knows, unescaped
    assert f"\r\nNAME:{escaped}\r\n" in text and f"\r\nX-WR-CALNAME:{escaped}\r\n" in text
    assert f"\r\nX-WR-CALDESC:{escaped} " in text
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["summary"]) == str(vevent["location"]) == "A;B,C\\D\nE\nF"
    assert all(line.startswith((" ", "BEGIN:", "END:")) or ":" in line for line in text.split("\r\n") if line)
