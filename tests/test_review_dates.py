"""plugins/review_dates.py: when a health article was last reviewed and when it is next due.

The dates on the page and an overdue article still published with its notice
(the rules for the dates themselves: test_reviews.py).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import built, edit, run_build


def test_article_shows_when_it_was_reviewed_and_is_next_due(fixture_site):
    review = fixture_site.soup(ARTICLE_PAGE).find(class_="app-review-dates")
    text = " ".join(review.get_text(" ").split())
    assert "Page last reviewed: November 25, 2026" in text
    assert "Next review due: November 25, 2027" in text
    times = [t["datetime"] for t in review.find_all("time")]
    assert times == ["2026-11-25T00:00:00-05:00", "2027-11-25T00:00:00-05:00"]
    assert "due for review" not in text
    assert "Reviewed by" not in text  # no reviewer is named in the metadata


# --- Builds that must fail, or warn ----------------------------------------


@pytest.mark.parametrize("production", [False, True], ids=["development", "production"])
def test_an_overdue_review_is_published_with_a_notice_and_a_warning(site_copy, production):
    edit(site_copy / ARTICLE, "Next_review: 2027-11-25", "Next_review: 2026-01-15")
    edit(site_copy / ARTICLE, "Reviewed: 2026-11-25", "Reviewed: 2025-01-15")
    result = run_build(site_copy, *(["--production"] if production else []))
    assert result.returncode == 0, result.stderr
    assert "warning: content/ketamine-for-migraine.md:10: the review was due on 2026-01-15" in (
        result.stderr
    )
    page = BeautifulSoup((site_copy / "output" / ARTICLE_PAGE).read_text(), "html.parser")
    assert "This page is due for review." in page.find(class_="app-review-dates").get_text()


def test_an_overdue_article_is_published_by_the_daily_build_with_its_notice(site_copy):
    output = built(site_copy, "--production", env={"SITE_TODAY": "2027-11-26"})
    page = (output / "ketamine-for-migraine" / "index.html").read_text(encoding="utf-8")
    assert "This page is due for review." in page
