"""Publishing over time: scheduled articles, honest review status, and the rules across files.

The site's clock is fixed with SITE_TODAY (rules/clock.py), so every case here
is independent of the day the suite runs. Each build is the real command on a
private copy of the site.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SITEURL, run_build, run_invoke, snapshot

SCHEDULED = "content/next-month.md"
SCHEDULED_TEXT = """\
Title: Planning Ahead for Migraine Days
Date: 2027-01-15
Slug: next-month
Summary: A test article that waits for its day.
Category: Migraine
Tags: migraine
Reviewed: 2026-11-20
Next_review: 2027-11-20

A short paragraph that a scheduled article publishes on its day.
"""
THE_DAY_BEFORE = {"SITE_TODAY": "2027-01-14"}
ON_THE_DAY = {"SITE_TODAY": "2027-01-15"}


def schedule(site: Path) -> None:
    (site / SCHEDULED).write_text(SCHEDULED_TEXT, encoding="utf-8")


def every_text_file(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.suffix in {".html", ".xml", ".txt"}
    }


def built(site: Path, *args: str, env: dict[str, str]) -> Path:
    result = run_build(site, *args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "output"


# --- Scheduled articles -------------------------------------------------------


def test_a_scheduled_article_is_not_published_before_its_day_and_nothing_links_to_it(site_copy):
    schedule(site_copy)
    output = built(site_copy, "--production", env=THE_DAY_BEFORE)
    assert not (output / "next-month").exists()
    assert not (output / "drafts").exists()
    mentions = [name for name, text in every_text_file(output).items() if "next-month" in text]
    assert mentions == [], f"pages that link to the scheduled article: {mentions}"


def test_a_scheduled_article_is_published_on_its_day_everywhere_it_belongs(site_copy):
    schedule(site_copy)
    output = built(site_copy, "--production", env=ON_THE_DAY)
    page = (output / "next-month" / "index.html").read_text(encoding="utf-8")
    assert "Scheduled for" not in page
    url = f"{SITEURL}/next-month/"
    for listing in ("index.html", "archives/index.html", "category/migraine/index.html"):
        assert url in (output / listing).read_text(encoding="utf-8"), listing
    assert f"<loc>{url}</loc>" in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert url in (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")


def test_the_preview_shows_a_scheduled_article_at_its_address_with_a_notice(site_copy):
    schedule(site_copy)
    output = built(site_copy, env=THE_DAY_BEFORE)
    page = (output / "next-month" / "index.html").read_text(encoding="utf-8")
    assert "Scheduled for January 15, 2027" in page
    mentions = [
        name
        for name, text in every_text_file(output).items()
        if "next-month" in text and name != "next-month/index.html"
    ]
    assert mentions == [], f"preview pages that link to the scheduled article: {mentions}"


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


# --- Review status --------------------------------------------------------------


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


def test_an_overdue_article_is_published_by_the_daily_build_with_its_notice(site_copy):
    output = built(site_copy, "--production", env={"SITE_TODAY": "2027-11-26"})
    page = (output / "ketamine-for-migraine" / "index.html").read_text(encoding="utf-8")
    assert "This page is due for review." in page


def test_a_clock_that_is_not_a_date_stops_the_build_saying_how_to_set_it(built_copy):
    site, before = built_copy
    result = run_build(site, env={"SITE_TODAY": "next tuesday"})
    assert result.returncode == 1
    assert "SITE_TODAY='next tuesday' is not a date; write it as YYYY-MM-DD" in result.stderr
    assert snapshot(site / "output") == before
