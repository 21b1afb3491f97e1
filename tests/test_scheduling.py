"""plugins/scheduling.py: an article whose Date is after today waits for its day.

The site's clock is fixed with SITE_TODAY (rules/clock.py, whose own tests are
tests/test_clock.py), so every case here is independent of the day the suite
runs. Each build is the real command on a private copy of the site.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SITEURL, THE_DAY_BEFORE, built, schedule

ON_THE_DAY = {"SITE_TODAY": "2027-01-15"}


def every_text_file(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.suffix in {".html", ".xml", ".txt"}
    }


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
