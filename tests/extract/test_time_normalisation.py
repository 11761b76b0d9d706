"""Relative and absolute time expressions, resolved against the episode time (hand-computed dates)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graphmem.extract.temporal import parse_number, parse_range, parse_time

AT = datetime(2024, 3, 15, 10, 0, tzinfo=UTC)  # Friday 15 March 2024


@pytest.mark.parametrize(
    ("text", "day", "granularity"),
    [
        ("yesterday", "2024-03-14", "day"),
        ("today", "2024-03-15", "day"),
        ("the day before yesterday", "2024-03-13", "day"),
        ("last month", "2024-02-01", "month"),
        ("last year", "2023-01-01", "year"),
        ("last week", "2024-03-04", "week"),
        ("last Friday", "2024-03-08", "day"),
        ("last weekend", "2024-03-09", "day"),
        ("last summer", "2023-06-01", "season"),
        ("in 2019", "2019-01-01", "year"),
        ("since March", "2024-03-01", "month"),
        ("in January", "2024-01-01", "month"),
        ("in June", "2023-06-01", "month"),  # the last June on or before the episode
        ("two weeks ago", "2024-03-01", "day"),
        ("three days ago", "2024-03-12", "day"),
        ("a month ago", "2024-02-15", "month"),
        ("Two years ago", "2022-03-15", "year"),
        ("on 3 May 2022", "2022-05-03", "day"),
        ("May 3rd, 2021", "2021-05-03", "day"),
        ("the 3rd of May 2021", "2021-05-03", "day"),
        ("1:56 pm on 8 May, 2023", "2023-05-08", "day"),
        ("in June 2012", "2012-06-01", "month"),
        ("the summer of 2019", "2019-06-01", "season"),
        ("2021-11-30", "2021-11-30", "day"),
        ("in the 90s", "1990-01-01", "decade"),
    ],
)
def test_past_expressions(text, day, granularity) -> None:
    point = parse_time(text, AT)
    assert point is not None
    assert point.start.date().isoformat() == day and point.granularity == granularity
    assert point.start.tzinfo is UTC and point.end > point.start


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("until June", "2024-06-01"),
        ("next month", "2024-04-01"),
        ("next year", "2025-01-01"),
        ("in April", "2024-04-01"),
        ("this summer", "2024-06-01"),
        ("tomorrow", "2024-03-16"),
        ("in two weeks", "2024-03-29"),
        ("next Friday", "2024-03-22"),
        ("in January", "2025-01-01"),
    ],
)
def test_future_expressions(text, day) -> None:
    point = parse_time(text, AT, future=True)
    assert point is not None and point.start.date().isoformat() == day


@pytest.mark.parametrize(
    "text", ["someday", "recently", "may", "I may go", "every day", "", "soon", "31 February"]
)
def test_no_date_means_none(text) -> None:
    assert parse_time(text, AT) is None


def test_anchor_in_another_timezone_is_converted_to_utc() -> None:
    from datetime import timedelta, timezone

    late_evening_new_york = datetime(
        2024, 3, 14, 22, 0, tzinfo=timezone(timedelta(hours=-4))
    )  # 02:00 UTC 15th
    assert parse_time("yesterday", late_evening_new_york).start.date().isoformat() == "2024-03-14"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("from 2010 to 2015", "2010-01-01", "2015-01-01"),
        ("2010-2015", "2010-01-01", "2015-01-01"),
        ("between May and July 2020", "2020-05-01", "2020-07-01"),
        ("from November to February", "2023-11-01", "2024-02-01"),
    ],
)
def test_ranges(text, start, end) -> None:
    result = parse_range(text, AT)
    assert result is not None
    assert (result[0].start.date().isoformat(), result[1].start.date().isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("34", 34),
        ("twenty-five", 25),
        ("forty two", 42),
        ("a couple of", 2),
        ("seven", 7),
        ("many", None),
        ("", None),
    ],
)
def test_numbers(text, value) -> None:
    assert parse_number(text) == value
