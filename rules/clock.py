"""The site's clock: what "today" is, in the site's time zone.

Review dates and publication dates are the clinic's dates, so "today" is the
date in `TIMEZONE`, not on the machine that builds. Setting `SITE_TODAY` to a
date (`SITE_TODAY=2027-01-31`) fixes the clock: tests use it to be independent
of the real date, and an editor can use it to preview the site as it will be
on a later day (`SITE_TODAY=2027-01-31 make serve`).
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from rules.dates import date_problem

TODAY_VARIABLE = "SITE_TODAY"


class ClockNotSet(ValueError):
    """SITE_TODAY holds something that is not a date."""


def today(settings: dict) -> dt.date:
    """Today in the site's time zone, or the date SITE_TODAY fixes."""
    fixed = os.environ.get(TODAY_VARIABLE, "").strip()
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            wrong = date_problem(fixed) or "; write it as YYYY-MM-DD."
            raise ClockNotSet(
                f"{TODAY_VARIABLE}={fixed!r} is not a date{wrong} "
                f"Or unset {TODAY_VARIABLE} to use today's date."
            ) from None
    return dt.datetime.now(ZoneInfo(settings["TIMEZONE"])).date()
