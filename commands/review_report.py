"""`invoke review-report`: every article's review status and readability, for people and for CI.

As text for an editor's terminal, or as Markdown for the summary of a CI run
(`$GITHUB_STEP_SUMMARY`). The daily CI run's review job uses the Markdown and
fails when an article is overdue, so maintainers are told by GitHub while the
deploy job still publishes (the page itself says it is due for review).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from commands.readability import Readability, readability_rows
from rules.clock import today
from rules.dates import parse_date
from rules.pictures import image_notes
from rules.reviews import ReviewRow, review_rows
from rules.sources import iter_markdown_sources
from rules.translations import translation_pairs


def _when(row: ReviewRow) -> str:
    if row.status == "scheduled":
        return f"publishes {row.date}"
    return f"next review {row.next_review}" if row.next_review else "no review dates"


def text_report(rows: Iterable[ReviewRow], grades: list[Readability], target: int) -> str:
    """The report for a terminal: one line per article, then the readability grades."""
    lines = [f"{'status':<9} {'next review':<11} {'reviewed':<10} article"]
    for row in rows:
        lines.append(
            f"{row.status:<9} {row.due or '-'!s:<11} {row.reviewed or '-'!s:<10} {row.path} ({row.title})"
            + (" (publishes on this date)" if row.status == "scheduled" else "")
        )
    lines += [
        "",
        f"Readability (Flesch–Kincaid grade; target {target} or lower, a reading age of {target + 5}):",
        f"{'grade':>5} {'words':>6}  article",
    ]
    lines += [f"{g.grade:>5.1f} {g.words:>6}  {g.path} ({g.title})" for g in grades]
    return "\n".join(lines)


def markdown_report(rows: list[ReviewRow], on: object) -> str:
    """The report as Markdown: what needs a person's attention first, then the rest."""
    groups = [
        (
            "overdue",
            "Overdue for review",
            "still published, with a notice that the page is due for review",
        ),
        ("missing", "Without review dates", "health articles fail the build without them"),
        ("due soon", "Due for review soon", "have them reviewed before the date"),
        ("scheduled", "Scheduled", "published by the daily build on their date"),
    ]
    lines = [f"## Review status on {on}", ""]
    for status, heading, meaning in groups:
        chosen = [row for row in rows if row.status == status]
        if not chosen:
            continue
        lines += [f"### {heading} ({len(chosen)}): {meaning}", ""]
        lines += [f"- **{row.title}** (`{row.path}`): {_when(row)}" for row in chosen]
        lines.append("")
    current = sum(row.status == "current" for row in rows)
    lines.append(f"{current} of {len(rows)} articles are current.")
    return "\n".join(lines) + "\n"


def translations_to_update(content: Path, settings: dict) -> list[str]:
    """Translations whose original changed after the translation's own review, one line each."""
    lines = []
    for translation, original in translation_pairs(iter_markdown_sources(content), settings):
        reviewed = translation.meta.get("reviewed")
        changed = original.meta.get("modified") or original.meta.get("date")
        reviewed_on = parse_date(reviewed[1]) if reviewed else None
        changed_on = parse_date(changed[1]) if changed else None
        if reviewed_on and changed_on and changed_on.date() > reviewed_on.date():
            lines.append(
                f"{translation.rel}: reviewed {reviewed_on.date()}, but {original.rel} changed "
                f"on {changed_on.date()}; update the translation and its Reviewed date"
            )
    return lines


def review_report(
    content: Path, settings: dict, *, markdown: bool
) -> tuple[str, list[ReviewRow], list[Readability]]:
    """The report's text, its rows and the articles above the readability target
    (the caller decides what an overdue or a hard article means for it)."""
    on = today(settings)
    rows = review_rows(content, settings, on=on)
    if markdown:
        return markdown_report(rows, on), rows, []
    target = settings["READABILITY_MAX_GRADE"]
    grades = readability_rows(content, settings)
    hard = [grade for grade in grades if grade.over_target]
    notes = image_notes(list(iter_markdown_sources(content)), content)
    pictures = [f"\nPictures that look soft on sharp screens: {len(notes) or 'none'}"]
    pictures += [f"note: {note}" for note in notes]
    stale = translations_to_update(content, settings)
    behind = [f"\nTranslations to update: {len(stale) or 'none'}", *stale]
    return "\n".join([text_report(rows, grades, target), *behind, *pictures]), rows, hard
