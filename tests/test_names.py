"""rules/names.py: file names and slugs in lower case with hyphens, and the name meant.

A picture's or an article's file name and a slug with spaces and capitals, and
a link that finds no file but one near it (other capitals, a misspelt folder,
no `.md`): each case writes the test's own article into a copy of a built site
and the build names each mistake once with the name to use
(tests/rule_cases.py, `assert_named_once`).
"""

from __future__ import annotations

import pytest
from rule_cases import CHART, MINE, OTHER, Mistake, also, article, assert_named_once, picture, write

CASES: dict[str, Mistake] = {
    "a picture's name with spaces and capitals": (
        also(
            picture("content/images/Sleep Chart.PNG"),
            article("![A chart of hours slept]({static}/images/Sleep Chart.PNG)"),
        ),
        {},
        [
            "content/images/Sleep Chart.PNG: the file name 'Sleep Chart.PNG' has spaces and "
            "capitals; file names become web addresses, so use lower case and hyphens: rename "
            "it to sleep-chart.png.",
            f"{MINE}:9: the picture address '{{static}}/images/Sleep Chart.PNG' has a space in it, "
            "so Markdown shows the picture as plain text; file names cannot have spaces: rename "
            "the file to sleep-chart.png and write {static}/images/sleep-chart.png.",
        ],
        2,
    ),
    "an article's file name with spaces and capitals": (
        article(name="content/Sleep and Migraine.md"),
        {},
        [
            "content/Sleep and Migraine.md:4: the file name 'Sleep and Migraine.md' has spaces "
            "and capitals; rename the file to sleep-and-migraine.md, to match its Slug"
        ],
        1,
    ),
    "a slug with spaces and capitals": (
        article(
            name="content/Sleep and Migraine.md",
            slug="Slug: sleep-and-migraine=>Slug: Sleep and Migraine",
        ),
        {},
        [
            "content/Sleep and Migraine.md:4: Slug 'Sleep and Migraine' has spaces and capitals; "
            "the slug is the page's web address, so use lower case and hyphens: write "
            "`Slug: sleep-and-migraine` and rename the file to sleep-and-migraine.md."
        ],
        1,
    ),
    "a link in other capitals than the file": (
        also(CHART, article("![A chart of hours slept]({static}/images/Sleep-Chart.png)")),
        {},
        [
            f"{MINE}:9: '{{static}}/images/Sleep-Chart.png' points at a file that does not exist "
            "(looked for content/images/Sleep-Chart.png); the file is named 'sleep-chart.png', "
            "and capitals count on the live site: write '{static}/images/sleep-chart.png'."
        ],
        1,
    ),
    "a folder misspelt": (
        also(CHART, article("![A chart of hours slept]({static}/image/sleep-chart.png)")),
        {},
        [
            f"{MINE}:9: '{{static}}/image/sleep-chart.png' points at a file that does not exist "
            "(looked for content/image/sleep-chart.png); did you mean "
            "'{static}/images/sleep-chart.png'?"
        ],
        1,
    ),
    "a link without .md": (
        also(
            write("content/sleep-diary.md", OTHER.format(extra="")),
            article("Keep [a diary]({filename}sleep-diary)."),
        ),
        {},
        [
            f"{MINE}:9: '{{filename}}sleep-diary' points at a file that does not exist (looked for "
            "content/sleep-diary); did you mean '{filename}sleep-diary.md'?"
        ],
        1,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    assert_named_once(built_copy, CASES[case])
