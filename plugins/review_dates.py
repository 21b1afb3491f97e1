"""Review dates on the page: what the theme shows of an article's review.

Gives each article `reviewed`, `next_review` (aware datetimes) and
`review_overdue`, which the theme shows (components/review_dates.html). The
rule on review dates, the status and its messages are rules/reviews.py's.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pelican import signals

from rules.clock import today
from rules.dates import parse_date
from rules.reviews import review_overdue


def attach_review_dates(content) -> None:
    """Give an article aware `reviewed`/`next_review` datetimes and `review_overdue`."""
    settings = content.settings
    zone = ZoneInfo(settings["TIMEZONE"])
    for key in ("reviewed", "next_review"):
        value = content.metadata.get(key)
        if isinstance(value, str):
            parsed = parse_date(value)
            setattr(content, key, parsed.replace(tzinfo=zone) if parsed else None)
    next_review = getattr(content, "next_review", None)
    content.review_overdue = bool(next_review) and review_overdue(
        next_review.date(), today(settings)
    )


def register() -> None:
    signals.content_object_init.connect(attach_review_dates)
