"""Mistakes a new editor makes that no one rule module owns, each caught in its own words, once.

A year typed wrong, review dates swapped or in the wrong order, a misspelt or
doubled topic, tags separated by `;`, a misspelt Status or key, a title in
quotes, an `Also_called` name taken, a picture saved outside content/images/:
what rules/site.py, rules/reviews.py, rules/metadata.py and rules/files.py say
when an editor writes a whole article of their own. The mistakes one module
owns are in that module's test (tests/test_addresses.py, test_alt_text.py,
test_names.py, test_dates.py, test_clock.py, test_sources.py,
test_rules_pictures.py), all with the runner of tests/rule_cases.py: exit 1,
each `file:line: what to do` message, nothing else (the count of problems is
exact), output/ as it was. The last test builds what must pass: a real link to
another site, alt text that only mentions a photo, 29 February in a leap year.
"""

from __future__ import annotations

import pytest
from conftest import run_build
from rule_cases import (
    MINE,
    OTHER,
    PAGE,
    Mistake,
    also,
    article,
    assert_named_once,
    lines,
    picture,
    write,
)

CASES: dict[str, Mistake] = {
    "a picture saved outside content/images/": (
        also(
            picture("content/Sleep Chart.png"),
            article("![A chart of hours slept]({static}/Sleep%20Chart.png)"),
        ),
        {},
        [
            "content/Sleep Chart.png: pictures go in content/images/, and only there are they "
            "published; move it there and show it with {static}/images/sleep-chart.png."
        ],
        1,
    ),
    "a Date with a slip of the year": (
        also(
            article(date="Date: 2026-11-20=>Date: 2062-11-20"),
            write(
                "content/sleep-diary.md",
                OTHER.format(extra="") + "\nSee [sleep]({filename}sleep-and-migraine.md).\n",
            ),
        ),
        {"SITE_TODAY": "2026-12-01"},
        [
            f"{MINE}:2: Date 2062-11-20 is 36 years from today, so the article would not be "
            "published until then; check the year (Date is the day it goes live)."
        ],
        1,
    ),
    "a Reviewed date with a slip of the year": (
        article(
            category="Category: Clinic news=>Category: Migraine",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2062-11-20\nNext_review: 2027-11-20",
        ),
        {"SITE_TODAY": "2026-12-01"},
        [f"{MINE}:8: Reviewed 2062-11-20 is in the future; use the date the review happened."],
        1,
    ),
    "Next_review before Reviewed, not also overdue": (
        article(
            category="Category: Clinic news=>Category: Migraine",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2026-11-30\nNext_review: 2026-11-20",
        ),
        {"SITE_TODAY": "2026-12-01"},
        [
            f"{MINE}:9: Next_review 2026-11-20 is not after Reviewed 2026-11-30; set the next "
            "review date in the future of the last review."
        ],
        1,
    ),
    "review dates swapped": (
        article(
            category="Category: Clinic news=>Category: Migraine",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2027-11-20\nNext_review: 2026-11-20",
        ),
        {"SITE_TODAY": "2026-12-01"},
        [
            f"{MINE}:8: Reviewed 2027-11-20 is in the future and Next_review 2026-11-20 in the "
            "past: the two dates look swapped. Reviewed is the day of the last review, "
            "Next_review the day the next one is due."
        ],
        1,
    ),
    "a misspelt health topic": (
        article(
            category="Category: Clinic news=>Category: Migrane",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2026-11-20\nNext_review: 2027-11-20",
        ),
        {},
        [
            f"{MINE}:6: Category 'Migrane' is not a topic of this site; did you mean Migraine? "
            "Another spelling makes a second topic, and only Migraine carries review dates and "
            "the disclaimer."
        ],
        1,
    ),
    "a topic spelt two ways": (
        also(
            write("content/sleep-diary.md", OTHER.format(extra="")),
            article(category="Category: Clinic news=>Category: Clinic New"),
        ),
        {},
        [
            f"{MINE}:6: Category 'Clinic New' is not a topic of this site; did you mean Clinic "
            "news (the topic of content/sleep-diary.md)? Another spelling makes a second topic."
        ],
        1,
    ),
    "two topics in Category": (
        article(category="Category: Clinic news=>Category: Clinic news, Sleep"),
        {},
        [
            f"{MINE}:6: Category 'Clinic news, Sleep' has a comma, but an article has one topic; "
            "keep one (`Category: Clinic news`) and put the others in Tags."
        ],
        1,
    ),
    "tags separated by semicolons": (
        article(tags="Tags: sleep=>Tags: sleep; rest;"),
        {},
        [
            f"{MINE}:7: Tags has ';' between its names; separate them with commas: `Tags: sleep, rest`."
        ],
        1,
    ),
    "a misspelt Status": (
        article(
            summary="Summary: How sleep affects migraine, and small changes that may help.=>"
            "Summary: One or two plain sentences, at most 160 characters, shown in search results.",
            tags="Tags: sleep=>Tags: sleep\nStatus: drafts",
        ),
        {},
        [f"{MINE}:8: unknown Status 'drafts'; use one of: draft, hidden, published."],
        1,
    ),
    "an Also_called name that is another page's title or name": (
        also(
            write("content/sleep-diary.md", OTHER.format(extra="Also_called: Sleep log\n")),
            write("content/pages/about-us.md", PAGE),
            article(tags="Tags: sleep=>Tags: sleep\nAlso_called: sleep diary, About us, Sleep Log"),
        ),
        {},
        [
            f"{MINE}:8: Also_called 'sleep diary' is the title of another article, "
            "content/sleep-diary.md; the A to Z would list 'sleep diary' twice, leading to two "
            "pages. Remove it here: readers find that page under its title.",
            f"{MINE}:8: Also_called 'About us' is the title of another page, "
            "content/pages/about-us.md",
            "content/sleep-diary.md:6: Also_called 'Sleep log' is also an Also_called name of "
            f"{MINE}; the A to Z would list 'Sleep log' twice, leading to two articles. Keep it "
            "on one of them.",
        ],
        3,
    ),
    "a misspelt key": (
        article(title="Title: Sleep=>Tilte: Sleep"),
        {},
        [f"{MINE}:1: unknown metadata key 'tilte'. Did you mean Title?"],
        1,
    ),
    "a title in quotes": (
        article(title='Title: Sleep and Migraine=>Title: "Sleep and Migraine"'),
        {},
        [
            f"{MINE}:1: Title is in quotes, and the quotes would show on the page; remove them: "
            "`Title: Sleep and Migraine`."
        ],
        1,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    assert_named_once(built_copy, CASES[case])


def test_real_links_descriptions_and_leap_days_pass(site_copy):
    picture("content/images/quiet-room.png")(site_copy)
    article(
        lines(
            "Read [the NHS page on migraine](https://www.nhs.uk/conditions/migraine/), "
            "<https://www.nhs.uk/>, [write to us](mailto:reception@example.org) or "
            "[call us](tel:555-0100).",
            "![A photo of the clinic's quiet room, with two armchairs]({static}/images/quiet-room.png)",
            "![Image of a sleep diary: a week of bedtimes]({static}/images/quiet-room.png)",
            "Keep [a diary]({filename}/sleep-diary.md) and read [our story]({filename}/pages/about-us.md).",
            "## Image of a good night",
        ),
        date="Date: 2026-11-20=>Date: 2026-11-20 09:30",
        title='Title: Sleep and Migraine=>Title: Sleep and "Aura": What Helps',
        tags="Tags: sleep=>Tags: sleep, night,\nReviewed: 2026-11-20\nNext_review: 2028-02-29"
        "\nAlso_called: Sleep hygiene",
    )(site_copy)
    write("content/sleep-diary.md", OTHER.format(extra="Also_called: Sleep log\n"))(site_copy)
    write("content/pages/about-us.md", PAGE)(site_copy)
    result = run_build(site_copy, env={"SITE_TODAY": "2026-12-01"})
    assert result.returncode == 0, result.stderr
    page = (site_copy / "output/sleep-and-migraine/index.html").read_text(encoding="utf-8")
    assert 'href="https://www.nhs.uk/conditions/migraine/"' in page
    assert "February 29, 2028" in page
