"""rules/dates.py: a date that is not a date, named for what is really wrong with it.

Month 13, 30 February, day 0, hour 25, a date written day first or in quotes:
each case writes the test's own article into a copy of a built site and the
build names each date once (tests/rule_cases.py, `assert_named_once`);
29 February of a leap year builds (test_editor_mistakes.py).
"""

from __future__ import annotations

import pytest
from rule_cases import MINE, Mistake, article, assert_named_once

CASES: dict[str, Mistake] = {
    "dates that do not exist": (
        article(
            date="Date: 2026-11-20=>Date: 2026-13-01",
            modified="Modified: 2026-11-20=>Modified: 2026-11-20 25:00",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2026-02-30\nNext_review: 2027-11-00",
        ),
        {},
        [
            f"{MINE}:2: Date '2026-13-01' is not a valid date: there is no month 13 (months run "
            "from 01 to 12); if 13 is the day, write 2026-01-13 (the month comes second).",
            f"{MINE}:3: Modified '2026-11-20 25:00' is not a valid date: there is no hour 25 "
            "(a time runs from 00:00 to 23:59).",
            f"{MINE}:8: Reviewed '2026-02-30' is not a valid date: February 2026 has 28 days "
            "(2026 is not a leap year), so there is no day 30.",
            f"{MINE}:9: Next_review '2027-11-00' is not a valid date: there is no day 0 (days run "
            "from 01 to 30 in November 2027).",
        ],
        4,
    ),
    "a date written day first, or in quotes": (
        article(
            date="Date: 2026-11-20=>Date: 20/11/2026",
            modified='Modified: 2026-11-20=>Modified: "2026-11-20"',
        ),
        {},
        [
            f"{MINE}:2: Date '20/11/2026' is not a valid date; write it as YYYY-MM-DD, year first: "
            "2026-11-20.",
            f"{MINE}:3: Modified '\"2026-11-20\"' is not a valid date; write it without the quotes: "
            "2026-11-20.",
        ],
        2,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    assert_named_once(built_copy, CASES[case])
