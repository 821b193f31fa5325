from __future__ import annotations

import datetime as dt

import pytest

from briefgen.dates import FuzzyDate, display_range, parse_date


@pytest.mark.parametrize(("value", "expected", "shown"), [
    (dt.date(2020, 8, 12), FuzzyDate(2020, 8, 12), "12 August 2020"),
    ("2020-07", FuzzyDate(2020, 7), "July 2020"),
    ("2020", FuzzyDate(2020), "2020"),
    (2020, FuzzyDate(2020), "2020"),
])
def test_parse_and_display(value: object, expected: FuzzyDate, shown: str) -> None:
    assert parse_date(value) == expected
    assert expected.display() == shown


@pytest.mark.parametrize("value", ["2020-13", "2020-02-30", "12 August", "2020/08/12", True, [2020]])
def test_bad_dates(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_partial_dates_sort_before_their_days() -> None:
    dates = [FuzzyDate(2020, 7, 17), FuzzyDate(2020, 7), FuzzyDate(2020), FuzzyDate(2020, 6, 30)]
    assert sorted(dates, key=lambda d: d.sort_key) == [
        FuzzyDate(2020), FuzzyDate(2020, 6, 30), FuzzyDate(2020, 7), FuzzyDate(2020, 7, 17)]


@pytest.mark.parametrize(("start", "end", "shown"), [
    (FuzzyDate(2020, 7, 17), FuzzyDate(2020, 7, 20), "17–20 July 2020"),
    (FuzzyDate(2020, 7, 28), FuzzyDate(2020, 8, 2), "28 July – 2 August 2020"),
    (FuzzyDate(2020, 8), FuzzyDate(2020, 9), "August–September 2020"),
    (FuzzyDate(2020, 8, 25), None, "25 August 2020"),
    (FuzzyDate(2019, 12), FuzzyDate(2020, 1, 5), "December 2019 – 5 January 2020"),
])
def test_ranges(start: FuzzyDate, end: FuzzyDate | None, shown: str) -> None:
    assert display_range(start, end) == shown


def test_iso_is_no_more_precise_than_the_date() -> None:
    assert FuzzyDate(2020, 7).iso == "2020-07"
    assert FuzzyDate(2020).iso == "2020"
    assert FuzzyDate(2020, 7, 1).iso == "2020-07-01"
