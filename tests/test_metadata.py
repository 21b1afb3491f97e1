"""The build refuses bad metadata (rules/metadata.py): missing and empty keys,
unknown keys, dates, Status and Also_called.

Each case goes through the real build on a copy (tests/rule_cases.py): exit 1,
`file:line` with what to do, output/ untouched.
"""

from __future__ import annotations

import pytest
from rule_cases import GOOD_PAGE, SUMMARY_LINE, A, Case, assert_case_refused, meta, write

CASES: dict[str, Case] = {
    "missing Title": (
        meta("Title: Ketamine for Migraine Treatment\n", ""),
        [f"{A}:1: Title is missing; add a `Title:` line"],
    ),
    "empty Title": (
        meta("Title: Ketamine for Migraine Treatment", "Title:"),
        [f"{A}:1: Title is empty; give it a value or remove the line."],
    ),
    "missing Date": (
        meta("Date: 2026-11-25\n", ""),
        [f"{A}:1: Date is missing; add a `Date:` line"],
    ),
    "empty Date": (meta("Date: 2026-11-25", "Date: "), [f"{A}:2: Date is empty"]),
    "missing Summary": (meta(SUMMARY_LINE + "\n", ""), [f"{A}:1: Summary is missing"]),
    "empty Summary": (meta(SUMMARY_LINE, "Summary:"), [f"{A}:5: Summary is empty"]),
    "Also_called repeats the title": (
        meta(
            "Mentions: Ketamine\n",
            "Mentions: Ketamine\nAlso_called: Ketamine for migraine treatment\n",
        ),
        [f"{A}:13: Also_called 'Ketamine for migraine treatment' is the title itself"],
    ),
    "Also_called names one name twice": (
        meta("Mentions: Ketamine\n", "Mentions: Ketamine\nAlso_called: Brand X, brand x\n"),
        [f"{A}:13: Also_called lists 'brand x' twice; keep one."],
    ),
    "Also_called on a page": (
        write("content/pages/about.md", GOOD_PAGE.format(slug="about", extra="Also_called: Us\n")),
        ["content/pages/about.md:4: Also_called only works on articles"],
    ),
    "invalid date": (
        meta("Date: 2026-11-25", "Date: 2026-02-30"),
        [f"{A}:2: Date '2026-02-30' is not a valid date: February 2026 has 28 days"],
    ),
    "date in another format": (
        meta("Date: 2026-11-25", "Date: 25/11/2026"),
        [f"{A}:2: Date '25/11/2026' is not a valid date"],
    ),
    "unknown metadata key": (
        meta("Category: Migraine", "Categroy: Migraine"),
        [f"{A}:7: unknown metadata key 'categroy'. Did you mean Category?"],
    ),
    "unknown Status": (
        meta("Tags:", "Status: live\nTags:"),
        [f"{A}:8: unknown Status 'live'; use one of: draft, hidden, published."],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, CASES[case])
