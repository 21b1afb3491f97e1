"""The build refuses review dates written wrong, or overdue where production
must not publish them (rules/reviews.py): each through the real build on a
copy, `file:line` with what to do, output/ untouched."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import assert_refused, edit, run_build, snapshot
from rule_cases import Case, assert_case_refused, write

CASES: dict[str, Case] = {
    "a review date without its pair, outside the health topics": (
        write(
            "content/opening-hours.md",
            "Title: Opening hours\nDate: 2026-11-20\nSlug: opening-hours\n"
            "Summary: When we are open.\nCategory: Clinic news\nReviewed: 2026-11-20\n\n"
            "We are open on weekdays.\n",
        ),
        [
            "content/opening-hours.md:6: Reviewed is given without Next_review; the page "
            "shows both dates together. Add `Next_review: YYYY-MM-DD`, or remove Reviewed."
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, CASES[case])


def test_an_overdue_review_fails_the_production_build_only_with_the_strict_setting(
    built_production_copy,
):
    site, before = built_production_copy
    edit(site / ARTICLE, "Next_review: 2027-11-25", "Next_review: 2026-01-15")
    edit(site / ARTICLE, "Reviewed: 2026-11-25", "Reviewed: 2025-01-15")
    (site / "pelicanconf.py").write_text(
        (site / "pelicanconf.py")
        .read_text()
        .replace("REVIEW_OVERDUE_FAILS_BUILD = False", "REVIEW_OVERDUE_FAILS_BUILD = True")
    )
    result = run_build(site, "--production")
    assert result.returncode == 1
    assert "content/ketamine-for-migraine.md:10: the review was due on 2026-01-15" in result.stderr
    assert snapshot(site / "output") == before


REVIEW_PROBLEMS = {
    "missing Reviewed": (
        ("Reviewed: 2026-11-25\n", ""),
        "content/ketamine-for-migraine.md:1: Reviewed is missing",
    ),
    "missing Next_review": (
        ("Next_review: 2027-11-25\n", ""),
        "content/ketamine-for-migraine.md:1: Next_review is missing",
    ),
    "next review not after the last": (
        ("Next_review: 2027-11-25", "Next_review: 2026-11-25"),
        "content/ketamine-for-migraine.md:10: Next_review 2026-11-25 is not after Reviewed",
    ),
}


@pytest.mark.parametrize("case", REVIEW_PROBLEMS, ids=list(REVIEW_PROBLEMS))
def test_review_problems_fail_naming_file_and_line(built_production_copy, case):
    site, before = built_production_copy
    (old, new), message = REVIEW_PROBLEMS[case]
    edit(site / ARTICLE, old, new)
    assert_refused(run_build(site, "--production"), site, before, message)
