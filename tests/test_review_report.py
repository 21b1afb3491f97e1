"""commands/review_report.py: `invoke review-report`, as text and as Markdown.

The site's clock is fixed with SITE_TODAY (rules/clock.py), so every case here
is independent of the day the suite runs.
"""

from __future__ import annotations

import shutil

from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import SCHEDULED, THE_DAY_BEFORE, run_invoke, schedule
from conftest import TRANSLATIONS_FIXTURE as FIXTURE


def test_review_report_lists_overdue_articles_first(site_copy):
    second = site_copy / "content" / "migraine-triggers.md"
    second.write_text(
        (site_copy / ARTICLE)
        .read_text(encoding="utf-8")
        .replace("Slug: ketamine-for-migraine", "Slug: migraine-triggers")
        .replace("Title: Ketamine for Migraine Treatment", "Title: Migraine Triggers")
        .replace("Next_review: 2027-11-25", "Next_review: 2026-02-01")
        .replace("Reviewed: 2026-11-25", "Reviewed: 2025-02-01"),
        encoding="utf-8",
    )
    result = run_invoke(site_copy, "review-report")
    assert result.returncode == 0, result.stderr
    report = result.stdout.splitlines()
    assert report[1].startswith("overdue") and "content/migraine-triggers.md" in report[1]
    # "current", or "due soon" in its last month: either way after the overdue one.
    assert report[2].startswith(("current", "due soon"))
    assert "content/ketamine-for-migraine.md" in report[2]


def test_review_report_lists_scheduled_articles_with_their_dates(site_copy):
    schedule(site_copy)
    report = run_invoke(site_copy, "review-report", env=THE_DAY_BEFORE)
    assert report.returncode == 0, report.stderr
    line = next(line for line in report.stdout.splitlines() if SCHEDULED in line)
    assert line.startswith("scheduled 2027-01-15") and "publishes on this date" in line
    markdown = run_invoke(site_copy, "review-report", "--markdown", env=THE_DAY_BEFORE)
    assert "### Scheduled (1)" in markdown.stdout
    assert f"- **Planning Ahead for Migraine Days** (`{SCHEDULED}`): publishes 2027-01-15" in (
        markdown.stdout
    )


def test_review_report_in_markdown_lists_what_is_coming_due_and_what_is_overdue(site_copy):
    # The article's next review is 2027-11-25: due soon from 2027-10-26 (30 days).
    soon = run_invoke(site_copy, "review-report", "--markdown", env={"SITE_TODAY": "2027-11-01"})
    assert soon.returncode == 0, soon.stderr
    assert soon.stdout.startswith("## Review status on 2027-11-01\n")
    assert "### Due for review soon (1)" in soon.stdout
    assert "next review 2027-11-25" in soon.stdout
    late = run_invoke(
        site_copy, "review-report", "--markdown", "--fail-overdue", env={"SITE_TODAY": "2027-11-26"}
    )
    assert late.returncode == 1
    assert "### Overdue for review (1)" in late.stdout  # the summary is written before failing
    assert "1 article is overdue for review: content/ketamine-for-migraine.md" in late.stderr
    current = run_invoke(
        site_copy, "review-report", "--fail-overdue", env={"SITE_TODAY": "2027-01-01"}
    )
    assert current.returncode == 0, current.stderr


def test_review_report_lists_a_translation_reviewed_before_its_original_changed(site_copy):
    shutil.copytree(FIXTURE / "es", site_copy / "content" / "es")
    result = run_invoke(site_copy, "review-report")
    assert result.returncode == 0, result.stderr
    assert "Translations to update: 1" in result.stdout
    assert (
        "content/es/ketamine-for-migraine.md: reviewed 2026-11-20, but "
        "content/ketamine-for-migraine.md changed on 2026-11-25"
    ) in result.stdout
