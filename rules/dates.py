"""Dates as editors write them: read them, and say what is wrong with one that is not a date.

`Date: 2026-13-01` is written as YYYY-MM-DD, so "write it as YYYY-MM-DD" sends
the editor looking for a mistake they did not make. `date_problem` names the
real one: there is no month 13, February 2026 has 28 days, there is no day 0,
there is no hour 25. Every message about a date the site reads (the metadata
dates, `SITE_TODAY`) says it with these words.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")
EXAMPLE = "2026-11-25"
# Written in the right shape, whatever the numbers: each part is then checked on its own.
SHAPED = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{1,2}))?$"
)
QUOTES = "\"'“”‘’"
# Day and month first, as most of the world writes a date: 25/11/2026, 25.11.2026.
DAY_FIRST = re.compile(r"^(?P<first>\d{1,2})[/.-](?P<second>\d{1,2})[/.-](?P<year>\d{4})$")


# Every build reads the same few hundred dates; a datetime cannot be changed.
@functools.lru_cache(maxsize=8192)
def parse_date(value: str) -> dt.datetime | None:
    """The date (and time) an editor wrote, or None if it is not one."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    return None


def date_problem(value: str) -> str | None:
    """What is wrong with `value` as a date, in the words of the mistake, or None.

    The answer follows "… is not a valid date", e.g. `: there is no month 13 …`."""
    if parse_date(value) is not None:
        return None
    text = value.strip()
    if len(text) > 1 and text[0] in QUOTES and text[-1] in QUOTES:
        unquoted = text[1:-1].strip()
        if parse_date(unquoted) is not None:
            return f"; write it without the quotes: {unquoted}."
    shaped = SHAPED.match(text)
    if shaped is None:
        return _reordered(text) or f"; write it as YYYY-MM-DD, for example {EXAMPLE}."
    year, month, day = (int(shaped.group(name)) for name in ("year", "month", "day"))
    if not 1 <= month <= 12:
        swapped = ""
        if 1 <= day <= 12 and _real(year, day, month):
            swapped = f"; if {month} is the day, write {year:04}-{day:02}-{month:02} (the month comes second)"
        return f": there is no month {month} (months run from 01 to 12){swapped}."
    if year < 1:
        return f": there is no year {shaped.group('year')}; check the year."
    days = calendar.monthrange(year, month)[1]
    month_name = f"{calendar.month_name[month]} {year}"
    if day == 0:
        return f": there is no day 0 (days run from 01 to {days} in {month_name})."
    if day > days:
        leap = ""
        if month == 2:
            leap = " (a leap year)" if calendar.isleap(year) else f" ({year} is not a leap year)"
        return f": {month_name} has {days} days{leap}, so there is no day {day}."
    hour, minute = int(shaped.group("hour")), int(shaped.group("minute"))
    if hour > 23:
        return f": there is no hour {hour} (a time runs from 00:00 to 23:59)."
    if minute > 59:
        return f": there is no minute {minute} (a time runs from 00:00 to 23:59)."
    return f"; write it as YYYY-MM-DD, for example {EXAMPLE}."


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _reordered(text: str) -> str | None:
    """`25/11/2026` (day first) or `11/25/2026` (month first), when only one reading is a
    date: the same date written as YYYY-MM-DD."""
    found = DAY_FIRST.match(text)
    if found is None:
        return None
    first, second, year = (int(found.group(name)) for name in ("first", "second", "year"))
    readings = {(m, d) for m, d in ((second, first), (first, second)) if _real(year, m, d)}
    if len(readings) != 1:
        return None  # 03/04/2026 is March or April: only the editor knows
    month, day = readings.pop()
    return f"; write it as YYYY-MM-DD, year first: {year:04}-{month:02}-{day:02}."
