"""Review dates: when a health article was last reviewed, and when it is due.

Health information is judged first on how current it is, so every article in a
health category (pelicanconf.HEALTH_CATEGORIES, or a language's name for one:
a translation of a health article) must say when it was last
reviewed and when the next review is due (NHS: "Page last reviewed / Next
review due").

- `check_reviews()`: the rule, run with the other content rules
  (rules/folder.py, `folder_reviews`). A missing or inconsistent date is
  always an error. A passed Next_review date is a notice (printed, not
  fatal): the page stays published and says it is due for review, and CI's
  review job (`invoke review-report --fail-overdue`) fails so maintainers
  hear of it. With REVIEW_OVERDUE_FAILS_BUILD it is an error in production
  builds instead.
- `review_overdue()`: the one test of overdue, which the rule, the report and
  what the theme shows (plugins/review_dates.py) share.
- `review_rows()`: every article's review status, the data behind
  `invoke review-report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rules.clock import today
from rules.dates import parse_date
from rules.sources import Problem, Source, is_draft, iter_markdown_sources


@dataclass(frozen=True)
class ReviewRow:
    """One article's review status, for the report."""

    path: str
    title: str
    reviewed: dt.date | None
    next_review: dt.date | None
    status: str  # "overdue", "missing", "due soon", "scheduled", "current"
    date: dt.date | None = None  # when it is (or was) published

    @property
    def due(self) -> dt.date | None:
        """The date that matters next: publication if scheduled, else the next review."""
        return self.date if self.status == "scheduled" else self.next_review


def a_year_after(day: dt.date) -> dt.date:
    """The usual next review: the same day a year later (28 February after a 29th)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def review_overdue(next_review: dt.date | None, on: dt.date) -> bool:
    """Whether the review due on `next_review` is overdue on the day `on`."""
    return next_review is not None and next_review < on


def health_categories(settings: dict) -> set[str]:
    """The health topics, lower case, in every language: HEALTH_CATEGORIES and each
    language's names for them (`LANGUAGES[lang]["categories"]`), so a translation of
    a health article is one too."""
    health = settings.get("HEALTH_CATEGORIES", [])
    names = {name.lower() for name in health}
    for language in settings.get("LANGUAGES", {}).values():
        given = language.get("categories", {})
        names |= {given[name].lower() for name in health if name in given}
    return names


def _is_health_article(source: Source, health: set[str]) -> bool:
    """An article in one of the `health` categories (lower case), not a draft:
    a draft is not published yet, so it has not been reviewed yet either."""
    category = source.meta.get("category", (0, ""))[1]
    return source.kind == "article" and category.lower() in health and not is_draft(source)


def _dates(source: Source) -> tuple[dt.date | None, dt.date | None]:
    found = []
    for key in ("reviewed", "next_review"):
        value = parse_date(source.meta[key][1]) if key in source.meta else None
        found.append(value.date() if value else None)
    return found[0], found[1]


def check_reviews(
    sources: Iterable[Source], settings: dict, on: dt.date | None = None
) -> tuple[list[Problem], list[Problem]]:
    """(errors, notices) about review dates for every health article in `sources`."""
    on = on or today(settings)
    health = health_categories(settings)
    errors: list[Problem] = []
    notices: list[Problem] = []
    for source in sources:
        if not _is_health_article(source, health):
            errors.extend(_unpaired(source))
            continue
        # A translation's missing dates are told by rules/translations.py, in its words.
        translated = source.meta.get("lang", (0, settings["DEFAULT_LANG"]))[1].strip()
        for key, name in (("reviewed", "Reviewed"), ("next_review", "Next_review")):
            if key not in source.meta and translated == settings["DEFAULT_LANG"]:
                errors.append(
                    Problem(
                        source.rel,
                        1,
                        f"{name} is missing; health articles say when they were last "
                        f"reviewed and when the next review is due. Add `{name}: YYYY-MM-DD`.",
                    )
                )
        reviewed, next_review = _dates(source)
        order = _review_order(source, reviewed, next_review, on)
        errors.extend(order)
        # Dates in the wrong order are the one mistake: they are not also said to be overdue.
        if review_overdue(next_review, on) and not order:
            overdue = Problem(
                source.rel,
                source.meta["next_review"][0],
                f"the review was due on {next_review}; review the article with a "
                "clinician, then update Reviewed and Next_review.",
            )
            strict = settings.get("PRODUCTION") and settings.get("REVIEW_OVERDUE_FAILS_BUILD")
            (errors if strict else notices).append(overdue)
    return errors, notices


def _review_order(
    source: Source, reviewed: dt.date | None, next_review: dt.date | None, on: dt.date
) -> list[Problem]:
    """Reviewed is a day past, Next_review a day after it; one message for one mistake."""
    if reviewed is None or (reviewed <= on and (next_review is None or next_review > reviewed)):
        return []
    if reviewed <= on:
        line, message = (
            source.meta["next_review"][0],
            f"Next_review {next_review} is not after Reviewed {reviewed}; "
            "set the next review date in the future of the last review.",
        )
    elif next_review and next_review <= on:
        line, message = (
            source.meta["reviewed"][0],
            f"Reviewed {reviewed} is in the future and Next_review {next_review} in the past: "
            "the two dates look swapped. Reviewed is the day of the last review, "
            "Next_review the day the next one is due.",
        )
    else:  # a Reviewed date in the future is the one mistake, whatever Next_review says
        line, message = (
            source.meta["reviewed"][0],
            f"Reviewed {reviewed} is in the future; use the date the review happened.",
        )
    return [Problem(source.rel, line, message)]


def _unpaired(source: Source) -> list[Problem]:
    """Outside the health rules (drafts, other topics) the two dates still come as a pair."""
    given = [key for key in ("reviewed", "next_review") if key in source.meta]
    if len(given) != 1:
        return []
    present, absent = (
        ("Reviewed", "Next_review") if given == ["reviewed"] else ("Next_review", "Reviewed")
    )
    return [
        Problem(
            source.rel,
            source.meta[given[0]][0],
            f"{present} is given without {absent}; the page shows both dates together. "
            f"Add `{absent}: YYYY-MM-DD`, or remove {present}.",
        )
    ]


def review_rows(content: Path, settings: dict, on: dt.date | None = None) -> list[ReviewRow]:
    """Every article that is or will be published, with its review status:
    overdue first, then missing dates, due soon, scheduled, current; each by date."""
    on = on or today(settings)
    warning = dt.timedelta(days=settings["REVIEW_WARNING_DAYS"])
    rows = []
    for source in iter_markdown_sources(content):
        if source.kind != "article" or is_draft(source):
            continue
        reviewed, next_review = _dates(source)
        published = parse_date(source.meta["date"][1]) if "date" in source.meta else None
        published = published.date() if published else None
        if published and published > on:
            status = "scheduled"
        elif next_review is None:
            status = "missing"
        elif review_overdue(next_review, on):
            status = "overdue"
        elif next_review - on <= warning:
            status = "due soon"
        else:
            status = "current"
        title = source.meta.get("title", (0, source.rel))[1]
        rows.append(ReviewRow(source.rel, title, reviewed, next_review, status, published))
    order = {"overdue": 0, "missing": 1, "due soon": 2, "scheduled": 3, "current": 4}

    return sorted(rows, key=lambda r: (order[r.status], r.due or dt.date.min, r.path))
