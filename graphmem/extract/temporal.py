"""Dates and relative time expressions, normalised against the episode time.

A fact's validity is event time ("I moved to Lisbon last month" -> valid from 1 February when the
turn was said on 15 March), so every relative expression is resolved against the episode's
``occurred_at``, never against the wall clock at ingestion. The rules are small and explicit rather
than a general date parser: a chat turn says "yesterday" or "in 2019", and a wrong guess is worse than
no date (the write path then uses the episode time).

Conventions (all times 00:00 UTC at the start of the period):
- "last week" is the Monday of the previous week, "last month" the 1st of the previous month,
  "last year" 1 January of the previous year, seasons start on 1 Mar / 1 Jun / 1 Sep / 1 Dec.
- "N days/weeks/months/years ago" subtracts from the episode date.
- A month or weekday without a year ("in March", "on Friday") is the latest one on or before the
  episode date, or the next one on or after it when ``future=True`` (plans, "until June").

>>> from datetime import datetime, UTC
>>> at = datetime(2024, 3, 15, 10, tzinfo=UTC)
>>> parse_time("last month", at).start.date().isoformat()
'2024-02-01'
>>> parse_time("two weeks ago", at).start.date().isoformat()
'2024-03-01'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from dateutil.relativedelta import relativedelta

__all__ = ["TimePoint", "parse_number", "parse_range", "parse_time", "representative"]

Granularity = Literal["day", "week", "month", "season", "year", "decade"]

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_SEASONS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_ONE: dict[str, relativedelta] = {
    "day": relativedelta(days=1),
    "week": relativedelta(weeks=1),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
    "decade": relativedelta(years=10),
}
"""One of each unit ("N months ago" is ``N * _ONE["month"]``: a calendar offset, not 30*N days)."""
_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a": 1,
    "an": 1,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
}

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_RE = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"((?:19|20)\d{2})"
_NUM_RE = r"(\d+|" + "|".join(
    sorted((k for k in _NUMBER_WORDS if k not in ("a", "an")), key=len, reverse=True)
)
_NUM_RE += r"|an?)(?:[\s-]+(one|two|three|four|five|six|seven|eight|nine))?"

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = re.compile(rf"\b{_DAY_RE}\s+(?:of\s+)?({_MONTH_RE})\.?(?:,?\s+{_YEAR_RE})?\b")
_MDY = re.compile(rf"\b({_MONTH_RE})\.?\s+{_DAY_RE}\b(?:,?\s+{_YEAR_RE})?")
_MY = re.compile(rf"\b({_MONTH_RE})\.?,?\s+(?:of\s+)?{_YEAR_RE}\b")
_SEASON_YEAR = re.compile(rf"\b(spring|summer|fall|autumn|winter)\s+(?:of\s+)?{_YEAR_RE}\b")
_YEAR = re.compile(rf"\b{_YEAR_RE}\b")
_DECADE = re.compile(r"\b(?:the\s+)?((?:19|20)\d0|'?\d0)'?s\b")
_AGO = re.compile(rf"\b{_NUM_RE}\s+(day|week|month|year|decade)s?\s+ago\b")
_IN_N = re.compile(rf"\bin\s+{_NUM_RE}\s+(day|week|month|year)s?\b")
_REL = re.compile(
    r"\b(last|next|this|past|previous|coming|earlier this|later this)\s+"
    rf"(week|month|year|weekend|{'|'.join(_SEASONS)}|{'|'.join(_WEEKDAYS)}|{_MONTH_RE})\b"
)
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b")
_MONTH = re.compile(rf"\b({_MONTH_RE})\b")
_DAYWORD = re.compile(
    r"\b(the day before yesterday|the day after tomorrow|yesterday|today|tonight|tomorrow|"
    r"this morning|this afternoon|this evening|earlier today|last night)\b"
)
_RANGE = re.compile(
    r"\b(?:from|between)\s+(?P<a>.+?)\s+(?:to|until|till|and|through)\s+(?P<b>.+)$|^(?P<c>.+?)\s*(?:-|–|to)\s*(?P<d>.+)$"
)


@dataclass(frozen=True, slots=True)
class TimePoint:
    """A resolved time: the start of the period, its granularity and its (exclusive) end."""

    start: datetime
    granularity: Granularity
    end: datetime


def _dt(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _point(day: date, granularity: Granularity) -> TimePoint:
    span = {
        "day": relativedelta(days=1),
        "week": relativedelta(weeks=1),
        "month": relativedelta(months=1),
        "season": relativedelta(months=3),
        "year": relativedelta(years=1),
        "decade": relativedelta(years=10),
    }[granularity]
    return TimePoint(_dt(day), granularity, _dt(day + span))


def representative(point: TimePoint) -> datetime:
    """One instant standing for a period, for as-of questions ("where did she live in 2022?").

    A named calendar period stands for its middle: noon of a day, the 15th of a month, 1 July of a
    year (the value in force half-way through it); a span counted back from the anchor ("4 years
    ago", "3 months ago") stands for the date it lands on; weeks, seasons and decades for their middle.
    """
    start = point.start
    if point.granularity == "day":
        return start + timedelta(hours=12)
    if point.granularity == "month" and start.day == 1:
        return start.replace(day=15)
    if point.granularity == "year" and (start.month, start.day) == (1, 1):
        return start.replace(month=7)
    if point.granularity in ("month", "year"):
        return start
    return start + (point.end - start) / 2


def parse_number(text: str) -> int | None:
    """An integer written in digits or English words ("34", "twenty-five", "a couple of").

    >>> parse_number("twenty-five")
    25
    """
    clean = text.strip().lower().replace("-", " ")
    if clean.isdigit():
        return int(clean)
    if clean in _NUMBER_WORDS:
        return _NUMBER_WORDS[clean]
    total = 0
    for word in clean.split():
        if word not in _NUMBER_WORDS or word in ("a", "an"):
            return None
        total += _NUMBER_WORDS[word]
    return total or None


def _month_day(month: int, day: int | None, year: int | None, anchor: date, future: bool) -> TimePoint | None:
    if year is None:
        year = anchor.year
        probe = date(year, month, min(day or 1, 28))
        if future and (probe < anchor.replace(day=1) if day is None else probe < anchor):
            year += 1
        elif not future and (probe > anchor):
            year -= 1
    try:
        return _point(date(year, month, day), "day") if day else _point(date(year, month, 1), "month")
    except ValueError:
        return None


def _season(name: str, year: int) -> TimePoint:
    return _point(date(year, _SEASONS[name], 1), "season")


def _relative(which: str, unit: str, anchor: date) -> TimePoint | None:
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return _point(monday + timedelta(weeks=step), "week")
    if unit == "weekend":
        saturday = anchor - timedelta(days=anchor.weekday()) + timedelta(days=5)
        return _point(saturday + timedelta(weeks=step), "day")
    if unit == "month":
        return _point(anchor.replace(day=1) + relativedelta(months=step), "month")
    if unit == "year":
        return _point(date(anchor.year + step, 1, 1), "year")
    if unit in _SEASONS:
        start_month = _SEASONS[unit]
        this = date(anchor.year, start_month, 1)
        if step < 0:
            # the most recent season of that name that has started and is not the current one
            year = anchor.year if this + relativedelta(months=3) <= anchor else anchor.year - 1
            return _season(unit, year)
        if step > 0:
            return _season(unit, anchor.year if this > anchor else anchor.year + 1)
        return _season(unit, anchor.year if this <= anchor + relativedelta(months=9) else anchor.year - 1)
    if unit in _WEEKDAYS:
        delta = (anchor.weekday() - _WEEKDAYS[unit]) % 7
        if step < 0:
            return _point(anchor - timedelta(days=delta or 7), "day")
        ahead = (_WEEKDAYS[unit] - anchor.weekday()) % 7
        if step > 0:
            return _point(anchor + timedelta(days=ahead or 7), "day")
        return _point(anchor + timedelta(days=ahead), "day")
    if unit in _MONTHS:
        month = _MONTHS[unit]
        if step < 0:
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif step > 0:
            year = anchor.year if month > anchor.month else anchor.year + 1
        else:
            year = anchor.year
        return _point(date(year, month, 1), "month")
    return None


def _count(match: re.Match[str]) -> int | None:
    value = parse_number(match.group(1))
    if value is None:
        return None
    if match.group(2):
        value += _NUMBER_WORDS[match.group(2)]
    return value


def parse_time(text: str, anchor: datetime, *, future: bool = False) -> TimePoint | None:
    """The first time expression in ``text`` resolved against ``anchor``; None when there is none.

    ``future`` picks the next month/weekday instead of the last one when no year is given.
    """
    s = " ".join(text.lower().replace("’", "'").split())
    day = anchor.astimezone(UTC).date()
    if m := _ISO.search(s):
        try:
            return _point(date(int(m[1]), int(m[2]), int(m[3])), "day")
        except ValueError:
            return None
    if m := _DMY.search(s):
        return _month_day(_MONTHS[m[2]], int(m[1]), int(m[3]) if m[3] else None, day, future)
    if m := _MDY.search(s):
        return _month_day(_MONTHS[m[1]], int(m[2]), int(m[3]) if m[3] else None, day, future)
    if m := _MY.search(s):
        return _point(date(int(m[2]), _MONTHS[m[1]], 1), "month")
    if m := _SEASON_YEAR.search(s):
        return _season(m[1], int(m[2]))
    if m := _DAYWORD.search(s):
        offset = {
            "the day before yesterday": -2,
            "yesterday": -1,
            "last night": -1,
            "tomorrow": 1,
            "the day after tomorrow": 2,
        }.get(m[1], 0)
        return _point(day + timedelta(days=offset), "day")
    if m := _AGO.search(s):
        n = _count(m)
        if n is None:
            return None
        unit = m[3]
        delta = n * _ONE[unit]
        return _point(
            day - delta, "day" if unit in ("day", "week") else "month" if unit == "month" else "year"
        )
    if m := _IN_N.search(s):
        n = _count(m)
        if n is None:
            return None
        return _point(day + n * _ONE[m[3]], "day")
    if m := _REL.search(s):
        which = m[1].split()[0] if m[1].startswith(("earlier", "later")) else m[1]
        return _relative("this" if which in ("earlier", "later") else which, m[2], day)
    if m := _YEAR.search(s):
        return _point(date(int(m[1]), 1, 1), "year")
    if m := _DECADE.search(s):
        digits = m[1].lstrip("'")
        year = int(digits) if len(digits) == 4 else (1900 if int(digits) >= 30 else 2000) + int(digits)
        return _point(date(year, 1, 1), "decade")
    if m := re.search(r"\b(spring|summer|fall|autumn|winter)\b", s):
        return _relative("next" if future else "last", m[1], day)
    if m := _WEEKDAY.search(s):
        return _relative("next" if future else "last", m[1], day)
    if m := _MONTH.search(s):
        if m[1] == "may" and not re.search(
            r"\b(in|since|until|till|of|by|from|during|early|late)\s+may\b", s
        ):
            return None  # the modal verb, not the month
        return _month_day(_MONTHS[m[1]], None, None, day, future)
    return None


def parse_range(text: str, anchor: datetime, *, future: bool = False) -> tuple[TimePoint, TimePoint] | None:
    """ "from 2010 to 2015", "between May and July", "2010-2015" -> (start point, end point)."""
    s = " ".join(text.lower().split())
    m = _RANGE.search(s)
    if not m:
        return None
    left, right = (m["a"], m["b"]) if m["a"] else (m["c"], m["d"])
    right_year = _YEAR.search(right)
    if right_year and not _YEAR.search(left) and _MONTH.search(left):
        left = f"{left} {right_year[1]}"  # "between May and July 2020": May of 2020
    end = parse_time(right, anchor, future=future)
    start = parse_time(left, anchor, future=future)
    if start is None or end is None:
        return None
    if start.start > end.start and start.granularity == "month" and not _YEAR.search(left):
        start = TimePoint(
            start.start - relativedelta(years=1), start.granularity, start.end - relativedelta(years=1)
        )
    return start, end
