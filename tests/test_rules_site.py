"""The build refuses what the output checks would find: the rules across files (rules/site.py).

Each case breaks a private copy of a built site, runs `invoke build` as an
editor would, and checks the exit code, the `file:line: what to do` message,
and that output/ is untouched. tests/test_rule_coverage.py maps every output
check to the rule that prevents it.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import (
    SCHEDULED,
    SCHEDULED_TEXT,
    THE_DAY_BEFORE,
    assert_refused,
    built,
    edit,
    run_build,
    schedule,
)
from rule_cases import Case, add_to_article, assert_case_refused, write

A = ARTICLE
OTHER = "content/migraine-diary.md"
OTHER_TEXT = SCHEDULED_TEXT.replace("Date: 2027-01-15", "Date: 2026-11-20").replace(
    "Slug: next-month", "Slug: migraine-diary"
)

CASES = {
    "two articles with one title": (
        lambda site: (site / OTHER).write_text(
            OTHER_TEXT.replace(
                "Title: Planning Ahead for Migraine Days", "Title: ketamine for migraine  treatment"
            ),
            encoding="utf-8",
        ),
        {},
        [
            f"{OTHER}:1: the title 'ketamine for migraine  treatment' is also the title of {A}; "
            "readers tell pages apart by their titles"
        ],
    ),
    "a page with an article's title": (
        lambda site: (site / "content/pages/again.md").write_text(
            "Title: Ketamine for Migraine Treatment\nSlug: again\nSummary: A page.\n\nText.\n",
            encoding="utf-8",
        ),
        {},
        ["content/pages/again.md:1: the title 'Ketamine for Migraine Treatment' is also the title"],
    ),
    "a link to a scheduled article": (
        lambda site: (
            schedule(site),
            edit(
                site / A,
                "At Mind Balance,",
                "See [what is next]({filename}next-month.md).\n\nAt Mind Balance,",
            ),
        ),
        THE_DAY_BEFORE,
        [
            f"{A}:20: links to {SCHEDULED}, which is scheduled for 2027-01-15, so the published "
            "page would link nowhere; add the link on or after that day"
        ],
    ),
    "a link to a missing heading on the same page": (
        lambda site: edit(
            site / A, "At Mind Balance,", "Read [the signs](#warning-signs).\n\nAt Mind Balance,"
        ),
        {},
        [f"{A}:20: the link to #warning-signs finds no such place on this page; use the id"],
    ),
    "a link to a missing heading on another page": (
        lambda site: (site / OTHER).write_text(
            OTHER_TEXT + "\nSee [nausea]({filename}ketamine-for-migraine.md#nausea).\n",
            encoding="utf-8",
        ),
        {},
        [f"{OTHER}:12: the link to #nausea finds no such place on {A}"],
    ),
    "a heading that skips a level": (
        lambda site: edit(site / A, "At Mind Balance,", "#### Doses\n\nAt Mind Balance,"),
        {},
        [f"{A}:20: heading level jumps from h2 to h4; use `###`"],
    ),
    "a second h1": (
        lambda site: edit(site / A, "At Mind Balance,", "# Doses\n\nAt Mind Balance,"),
        {},
        [f"{A}:20: a `#` heading makes a second h1"],
    ),
    "a raw heading": (
        lambda site: edit(site / A, "At Mind Balance,", "<h4>Doses</h4>\n\nAt Mind Balance,"),
        {},
        [
            f"{A}:20: a raw <h4> heading escapes the outline checks; write it in Markdown (`#### Heading`)."
        ],
    ),
    "a raw landmark": (
        lambda site: edit(site / A, "At Mind Balance,", "<nav>Contents</nav>\n\nAt Mind Balance,"),
        {},
        [f"{A}:20: a raw <nav> would give the page a second nav region"],
    ),
    "an inline style": (
        lambda site: edit(
            site / A, "At Mind Balance,", '<span style="color: red">Note</span>\n\nAt Mind Balance,'
        ),
        {},
        [f"{A}:20: a style= attribute is blocked by the site's security policy"],
    ),
    "a link without text": (
        lambda site: edit(
            site / A, "At Mind Balance,", "See [](https://example.org/).\n\nAt Mind Balance,"
        ),
        {},
        [f"{A}:20: the link to 'https://example.org/' has no text"],
    ),
    "a typed address the site does not have": (
        lambda site: edit(
            site / A, "At Mind Balance,", "See [more](/treatments/).\n\nAt Mind Balance,"
        ),
        {},
        [f"{A}:20: the link to '/treatments/' is a typed address the build cannot check"],
    ),
    "Modified in the future": (
        lambda site: edit(site / A, "Modified: 2026-11-25", "Modified: 2027-03-01"),
        {"SITE_TODAY": "2027-01-01"},
        [f"{A}:3: Modified 2027-03-01 is in the future; use the date of the last change"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_refuses_it_with_file_and_line_and_keeps_the_output(built_copy, case):
    site, before = built_copy
    breaking, env, messages = CASES[case]
    breaking(site)
    assert_refused(run_build(site, env=env), site, before, *messages)


def test_links_to_headings_and_lists_that_exist_pass(site_copy):
    edit(
        site_copy / A,
        "At Mind Balance,",
        "Read [the signs](#warning-signs-aura) and [how it helps](#how-ketamine-helps-migraines)"
        ", or browse [every article](/archives/) and [the topic](/category/migraine/)."
        "\n\nAt Mind Balance,",
    )
    (site_copy / OTHER).write_text(
        OTHER_TEXT + "\nSee [nausea]({filename}ketamine-for-migraine.md#migraine-and-nausea).\n",
        encoding="utf-8",
    )
    output = built(site_copy, env={})
    page = (output / "ketamine-for-migraine" / "index.html").read_text(encoding="utf-8")
    assert 'href="#warning-signs-aura"' in page and 'id="warning-signs-aura"' in page


# Cases written as the content-rule cases are (tests/rule_cases.py).
FILE_CASES: dict[str, Case] = {
    "a published article links to a draft": (
        lambda site: (
            write(
                "content/next-steps.md",
                "Title: Next steps\nDate: 2026-11-20\nSlug: next-steps\nSummary: Soon.\n"
                "Category: Migraine\nStatus: draft\n\nNot ready.\n",
            )(site),
            add_to_article("See [what comes next]({filename}next-steps.md).")(site),
        ),
        [
            f"{A}:20: links to content/next-steps.md, which is a draft, so the published "
            "page would link nowhere; publish that article first, or remove the link for now."
        ],
    ),
}


@pytest.mark.parametrize("case", FILE_CASES, ids=list(FILE_CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, FILE_CASES[case])
