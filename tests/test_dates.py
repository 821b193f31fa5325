"""Dates: every accepted EDTF form read, shown and placed; the refused forms with their reasons.

The tables are the specification: one row per form an analyst may write. The
accepted forms are checked against the reference EDTF parser (the ``edtf``
package), so that what briefgen reads is EDTF and means what EDTF says.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest

from briefgen.chronology import Precedence, order_events
from briefgen.dates import (EARLIEST_DAY, LATEST_DAY, DateError, EventDate, FuzzyDate, display_range, parse_date,
                            parse_end, parse_event_date)


class Form(NamedTuple):
    written: object
    edtf: str
    shown: str
    precision: str
    earliest: int
    latest: int
    placed: int
    """The day the timeline places the event at (before any ``after:``)."""


FORMS = [
    # EDTF level 0: the forms briefgen always took
    Form("2020", "2020", "2020", "year", 20200101, 20201231, 20201231),
    Form(2020, "2020", "2020", "year", 20200101, 20201231, 20201231),
    Form("2020-08", "2020-08", "August 2020", "month", 20200801, 20200831, 20200831),
    Form("2020-02", "2020-02", "February 2020", "month", 20200201, 20200229, 20200229),
    Form("2020-08-25", "2020-08-25", "25 August 2020", "day", 20200825, 20200825, 20200825),
    Form(dt.date(2020, 8, 25), "2020-08-25", "25 August 2020", "day", 20200825, 20200825, 20200825),
    Form("2020-08-25/2020-08-29", "2020-08-25/2020-08-29", "25–29 August 2020", "day", 20200825, 20200829, 20200825),
    Form("2020-07-28/2020-08-02", "2020-07-28/2020-08-02", "28 July – 2 August 2020", "day",
         20200728, 20200802, 20200728),
    Form("2020-08/2020-09", "2020-08/2020-09", "August–September 2020", "month", 20200801, 20200930, 20200831),
    Form("2019-12/2020-01-05", "2019-12/2020-01-05", "December 2019 – 5 January 2020", "month",
         20191201, 20200105, 20191231),
    Form("2019/2020", "2019/2020", "2019–2020", "year", 20190101, 20201231, 20191231),
    Form("2020-08-25/2020-08-25", "2020-08-25", "25 August 2020", "day", 20200825, 20200825, 20200825),
    # EDTF level 1: approximate (~), uncertain (?), both (%)
    Form("2020-08~", "2020-08~", "c. August 2020", "month", 20200801, 20200831, 20200831),
    Form("2020~", "2020~", "c. 2020", "year", 20200101, 20201231, 20201231),
    Form("2020-08-25?", "2020-08-25?", "25 August 2020?", "day", 20200825, 20200825, 20200825),
    Form("2020-08-25%", "2020-08-25%", "c. 25 August 2020?", "day", 20200825, 20200825, 20200825),
    Form("2004-06~/2004-08?", "2004-06~/2004-08?", "c. June 2004 – August 2004?", "month",
         20040601, 20040831, 20040630),
    # EDTF level 1: open (..) and unknown (empty) ends
    Form("2020-03/..", "2020-03/..", "since March 2020", "month", 20200301, LATEST_DAY, 20200331),
    Form("2020-08-25/..", "2020-08-25/..", "since 25 August 2020", "day", 20200825, LATEST_DAY, 20200825),
    Form("../2020-03", "../2020-03", "until March 2020", "month", EARLIEST_DAY, 20200331, 20200331),
    Form("2020-03/", "2020-03/", "from March 2020, end unknown", "month", 20200301, LATEST_DAY, 20200331),
    Form("/2020-03-04", "/2020-03-04", "until 4 March 2020, start unknown", "day", EARLIEST_DAY, 20200304, 20200304),
    # "Late August": the bounds as written; briefgen does not paraphrase them
    Form("2020-08-21/2020-08-31", "2020-08-21/2020-08-31", "21–31 August 2020", "day", 20200821, 20200831, 20200821),
    # A start known only to the year, an end to the month: placed at the end's month
    Form("2020/2020-03", "2020/2020-03", "2020 – March 2020", "year", 20200101, 20200331, 20200331),
]


@pytest.mark.parametrize("form", FORMS, ids=[str(f.written) for f in FORMS])
def test_accepted_forms(form: Form) -> None:
    when = parse_event_date(form.written)
    assert (when.edtf, when.display(), when.precision) == (form.edtf, form.shown, form.precision)
    assert (when.earliest, when.latest, when.latest_start) == (form.earliest, form.latest, form.placed)
    assert parse_event_date(when.edtf) == when, "the EDTF form reads back as the same value"


def test_accepted_forms_are_edtf_with_the_same_bounds() -> None:
    edtf = pytest.importorskip("edtf")
    for form in FORMS:
        if isinstance(form.written, str) and form.written != form.edtf:
            continue  # written in a form briefgen normalises
        parsed = edtf.parse_edtf(form.edtf)
        if form.earliest != EARLIEST_DAY and form.latest != LATEST_DAY:  # it invents bounds for open ends
            lower, upper = (f"{t.tm_year:04d}{t.tm_mon:02d}{t.tm_mday:02d}"
                            for t in (parsed.lower_strict(), parsed.upper_strict()))
            assert (int(lower), int(upper)) == (form.earliest, form.latest), form.edtf


class Refused(NamedTuple):
    written: object
    message: str
    hint: str
    valid_edtf: bool
    """Whether EDTF allows it: a form briefgen leaves out, not a mistake."""


REFUSED = [
    Refused("12 August 2020", "'12 August 2020' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", "", False),
    Refused("2020-13", "'2020-13' has no month 13", "months run from 01 to 12", False),
    Refused("2020-02-30", "'2020-02-30' is not a day of the calendar", "February 2020 has 29 days", False),
    Refused("2021-02-29/2021-03-02", "'2021-02-29' is not a day of the calendar", "February 2021 has 28 days", False),
    Refused("2020-08-25..2020-08-29", "'2020-08-25..2020-08-29' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
            "write an interval with '/': 2020-08-25/2020-08-29", False),
    Refused("2020-08-25 to 2020-08-29", "'2020-08-25 to 2020-08-29' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
            "write an interval with '/': 2020-08-25/2020-08-29", False),
    Refused("ongoing", "'ongoing' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
            "an open end belongs in an interval: 2020-03/.. reads 'since March 2020'", False),
    Refused("../..", "'../..' gives neither a start nor an end", "write at least one: 2020-03/..", True),
    Refused("2020/2021/2022", "'2020/2021/2022' has more than one '/'",
            "an interval is START/END: 2020-08-25/2020-08-29", False),
    Refused("2020-21", "'2020-21' is an EDTF season, which briefgen does not accept",
            "write the months it covers, e.g. 2020-03/2020-05 (seasons differ between hemispheres)", True),
    Refused("2020-24", "'2020-24' is an EDTF season, which briefgen does not accept",
            "write the months it covers, e.g. 2020-12/2021-02 (seasons differ between hemispheres)", True),
    Refused("20XX", "'20XX' has unspecified digits (X), which briefgen does not accept",
            "write what is known: 2020 for 2020-XX, or an interval: 2010/2019 for 201X", True),
    Refused("2020-08-XX", "'2020-08-XX' has unspecified digits (X), which briefgen does not accept",
            "write what is known: 2020 for 2020-XX, or an interval: 2010/2019 for 201X", True),
    Refused("2020?-08-25", "'2020?-08-25' qualifies part of a date, which briefgen does not accept",
            "put one '?', '~' or '%' at the end, for the whole date: 2020-08~", True),
    Refused("~2020-08", "'~2020-08' qualifies part of a date, which briefgen does not accept",
            "put one '?', '~' or '%' at the end, for the whole date: 2020-08~", True),
    Refused("2020-08-25T10:00:00", "'2020-08-25T10:00:00' gives a time of day, which briefgen does not accept",
            "give the day: 2020-08-25", True),
    Refused("[2020,2021]", "'[2020,2021]' is an EDTF form briefgen does not accept",
            "write YYYY-MM-DD, YYYY-MM or YYYY; 2020-08~ is about August 2020, 2020-08-25? perhaps the 25th, "
            "2020-08-25/2020-08-29 an interval, 2020-03/.. since March 2020", True),
    Refused("Y170000002", "'Y170000002' is an EDTF form briefgen does not accept",
            "write YYYY-MM-DD, YYYY-MM or YYYY; 2020-08~ is about August 2020, 2020-08-25? perhaps the 25th, "
            "2020-08-25/2020-08-29 an interval, 2020-03/.. since March 2020", True),
    Refused(True, "expected a date (YYYY-MM-DD, YYYY-MM or YYYY), got bool", "", False),
    Refused([2020], "expected a date (YYYY-MM-DD, YYYY-MM or YYYY), got list", "", False),
]


@pytest.mark.parametrize("refused", REFUSED, ids=[str(r.written) for r in REFUSED])
def test_refused_forms_say_why(refused: Refused) -> None:
    with pytest.raises(DateError) as caught:
        parse_event_date(refused.written)
    assert (str(caught.value), caught.value.hint) == (refused.message, refused.hint)


REFERENCE_IS_WRONG = {"2021-02-29/2021-03-02"}
"""The edtf package takes 29 February in any year."""


def test_refused_forms_are_mistakes_or_edtf_left_out_on_purpose() -> None:
    edtf = pytest.importorskip("edtf")
    for refused in REFUSED:
        if isinstance(refused.written, str) and refused.written not in REFERENCE_IS_WRONG:
            valid = edtf.parse_edtf(refused.written, fail_silently=True) is not None
            assert valid == refused.valid_edtf, refused.written


@pytest.mark.parametrize(("value", "expected"), [
    ("2020-08-25", FuzzyDate(2020, 8, 25)),
    ("2020-08~", FuzzyDate(2020, 8, 0, "~")),
    ("..", None),
    ("ongoing", None),
])
def test_end_is_one_date_or_open(value: str, expected: FuzzyDate | None) -> None:
    assert parse_end(value) == expected


def test_end_and_single_dates_refuse_intervals() -> None:
    with pytest.raises(DateError, match="'end' takes one date"):
        parse_end("2020-08-25/2020-08-29")
    with pytest.raises(DateError, match="is an interval; give one date here"):
        parse_date("2020-08-25/2020-08-29")


def test_a_date_with_an_end_is_the_interval() -> None:
    assert parse_event_date("2020-08-25").with_end(FuzzyDate(2020, 8, 29)) == parse_event_date("2020-08-25/2020-08-29")
    assert parse_event_date("2020-03").with_end(None) == parse_event_date("2020-03/..")
    assert parse_event_date("2020-08-25/2020-08-20").ends_before_start()
    assert not parse_event_date("2020-08-25/2020-08").ends_before_start()


def test_article_dates_keep_their_day_forms() -> None:
    assert FuzzyDate(2020, 7).iso == "2020-07" and FuzzyDate(2020).iso == "2020"
    assert FuzzyDate(2020, 7, 1, "~").iso == "2020-07-01", "<time datetime> takes the date without its qualifier"
    assert display_range(FuzzyDate(2020, 7, 17), FuzzyDate(2020, 7, 20)) == "17–20 July 2020"
    assert [d.sort_key for d in sorted([FuzzyDate(2020, 7, 17), FuzzyDate(2020, 6, 30)], key=lambda d: d.sort_key)] \
        == [(2020, 6, 30), (2020, 7, 17)]


# ---------------------------------------------------------------- order

class Row(NamedTuple):
    id: str
    date: str
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


def timeline(rows: list[Row]) -> tuple[list[str], list[str], list[str]]:
    """The order, the (year-month) heading of each event in it, and the problems, as text."""
    dates = {row.id: parse_event_date(row.date) for row in rows}
    precedences = [Precedence(other, row.id, f"content/events/{row.id}.md", 5, "after") for row in rows
                   for other in row.after]
    precedences += [Precedence(row.id, other, f"content/events/{row.id}.md", 6, "before") for row in rows
                    for other in row.before]
    chronology, problems = order_events(dates, precedences)
    headings = [f"{y}-{m:02d}" if m else f"{y}-unknown" for y, m in map(chronology.months.__getitem__, chronology.order)]
    return list(chronology.order), headings, [p.format() for p in sorted(problems)]


ORDERS = {
    "a month-only event follows the days of its month; a year-only one ends its year": (
        [Row("exercise", "2020"), Row("denounces", "2020-09"), Row("report", "2020-09-01"),
         Row("clashes", "2020-07-12"), Row("talks", "2020-09-30")],
        ["clashes", "report", "talks", "denounces", "exercise"],
        ["2020-07", "2020-09", "2020-09", "2020-09", "2020-unknown"], []),
    "after: keeps a month-only answer after what it answers": (
        [Row("denounces", "2020-09", after=("report",)), Row("report", "2020-09-01")],
        ["report", "denounces"], ["2020-09", "2020-09"], []),
    "before: moves a month-only event up to the day it preceded": (
        [Row("warning", "2020-09", before=("strike",)), Row("strike", "2020-09-10"), Row("call", "2020-09-05"),
         Row("visit", "2020-09-20")],
        ["call", "warning", "strike", "visit"], ["2020-09"] * 4, []),
    "after: orders two events of the same day": (
        [Row("b-reply", "2020-08-12", after=("z-call",)), Row("z-call", "2020-08-12")],
        ["z-call", "b-reply"], ["2020-08", "2020-08"], []),
    "a year-only event placed among months goes under their heading": (
        [Row("drills", "2020", before=("clashes",)), Row("clashes", "2020-07-12"), Row("call", "2020-07-01"),
         Row("visit", "2020-09-01")],
        ["call", "drills", "clashes", "visit"], ["2020-07", "2020-07", "2020-07", "2020-09"], []),
    "approximate and uncertain dates are placed as written": (
        [Row("b", "2020-08~"), Row("a", "2020-08-25?"), Row("c", "2020-08-31")],
        ["a", "c", "b"], ["2020-08"] * 3, []),
    "intervals by start, the shorter first; open ends last among equals": (
        [Row("games", "2020-08/2020-09"), Row("drills", "2020-08-25/2020-08-29"), Row("visit", "2020-08-25"),
         Row("ongoing", "2020-08-25/.."), Row("until", "../2020-08")],
        ["visit", "drills", "ongoing", "until", "games"], ["2020-08"] * 5, []),
    "a circle of after: is an error naming its events": (
        [Row("a", "2020-09", after=("c",)), Row("b", "2020-09", after=("a",)), Row("c", "2020-09", after=("b",)),
         Row("d", "2020-09-01")],
        ["d", "a", "b", "c"], ["2020-09"] * 4,
        ["content/events/a.md:5: error: events ordered in a circle: 'b' after 'a', 'c' after 'b', 'a' after 'c'\n"
         "  hint: remove one of these 'after' or 'before' entries"]),
    "after: against the dates is an error naming both": (
        [Row("denounces", "2020-09", after=("summit",)), Row("summit", "2020-10-02")],
        ["denounces", "summit"], ["2020-09", "2020-10"],
        ["content/events/denounces.md:5: error: 'denounces' (September 2020) cannot come after "
         "'summit' (2 October 2020)\n"
         "  hint: its dates say 'denounces' began before 'summit' could have; "
         "correct a date, or the 'after' or 'before' entry"]),
    "entries that contradict the dates together are an error naming the chain": (
        [Row("a", "2020-09", after=("b",), before=("c",)), Row("b", "2020-09-20"), Row("c", "2020-09-10")],
        ["c", "b", "a"], ["2020-09"] * 3,
        ["content/events/a.md:6: error: 'c' (10 September 2020) cannot come after 'b' (20 September 2020), "
         "by way of 'a'\n"
         "  hint: its dates say 'c' began before 'b' could have; correct a date, or the 'after' or 'before' entry"]),
    "an event after itself": (
        [Row("a", "2020-09", after=("a",))], ["a"], ["2020-09"],
        ["content/events/a.md:5: error: an event cannot come after itself\n  hint: remove 'a' from 'after'"]),
}


@pytest.mark.parametrize("case", list(ORDERS))
def test_timeline_order(case: str) -> None:
    rows, order, headings, problems = ORDERS[case]
    assert timeline(rows) == (order, headings, problems)


def test_order_does_not_depend_on_the_order_of_entries() -> None:
    rows, order, _, _ = ORDERS["before: moves a month-only event up to the day it preceded"]
    assert timeline(rows[::-1])[0] == order


def test_event_date_pickles_as_itself() -> None:
    import pickle

    when = EventDate(FuzzyDate(2020, 8, 0, "~"), None, interval=True, open_end=True)
    assert pickle.loads(pickle.dumps(when)) == when
