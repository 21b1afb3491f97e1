"""plugins/references.py: footnotes become an accessible "References" section.

A footnote referenced but never defined, or defined but never referenced, stops
the build (the content rules) before the section is made.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import FIXTURE_ARTICLE_PAGE as ARTICLE_PAGE
from conftest import assert_edit_refused, edit, order_of, run_build


def test_footnotes_render_as_an_accessible_references_section(site_copy):
    edit(
        site_copy / ARTICLE,
        "the third most common illness in the world.",
        "the third most common illness in the world.[^burden]",
    )
    edit(
        site_copy / ARTICLE,
        "or fatigue.\n",
        "or fatigue.\n\n[^burden]: A study of the global burden of disease.\n",
    )
    edit(
        site_copy / ARTICLE,
        "About: Migraine",
        "Reviewer: Dr Ana Ruiz, MD, neurologist\nAbout: Migraine",
    )
    result = run_build(site_copy, "--production")
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((site_copy / "output" / ARTICLE_PAGE).read_text(), "html.parser")
    section = soup.find("section", class_="app-references")
    assert soup.find(id=section["aria-labelledby"]).get_text() == "References"
    item = section.ol.find("li")
    assert "A study of the global burden of disease." in item.get_text()
    back = item.find("a", class_="footnote-backref")
    assert back["aria-label"] == "Back to reference 1 in the text"
    assert soup.find(id=back["href"].lstrip("#")).name == "sup"
    citation = soup.find("a", class_="footnote-ref")
    assert citation.get_text() == "Reference 1"
    assert citation.find(class_="app-visually-hidden")
    contents = [a.get_text() for a in soup.find("nav", class_="app-contents-list").find_all("a")]
    assert contents[-1] == "References"
    # After the text: review dates (with the reviewer), References, then the disclaimer.
    review = soup.find(class_="app-review-dates")
    assert "Reviewed by Dr Ana Ruiz, MD, neurologist" in " ".join(review.get_text(" ").split())
    disclaimer = soup.find("div", class_="app-inset-text")
    last_text = soup.select(".app-prose > p")[-1]
    positions = order_of(soup, last_text, review, section, disclaimer)
    assert positions == sorted(positions), positions


FOOTNOTE_PROBLEMS = {
    "undefined footnote": (
        ("can be.\n", "can be.[^who]\n"),
        "content/ketamine-for-migraine.md:20: footnote [^who] is referenced but never defined",
    ),
    "unreferenced footnote": (
        ("or fatigue.\n", "or fatigue.\n\n[^spare]: A source nobody cites.\n"),
        "content/ketamine-for-migraine.md:38: footnote [^spare] is defined but never referenced",
    ),
}


@pytest.mark.parametrize("case", FOOTNOTE_PROBLEMS, ids=list(FOOTNOTE_PROBLEMS))
def test_footnote_problems_fail_naming_file_and_line(built_production_copy, case):
    (old, new), message = FOOTNOTE_PROBLEMS[case]
    assert_edit_refused(built_production_copy, ARTICLE, old, new, message)
