"""rules/clock.py: the site's clock, and a SITE_TODAY that is not a date.

SITE_TODAY fixes what "today" is (tests/test_scheduling.py and others use it);
one that is not a date stops the build saying how to set it, in the words
rules/dates.py has for a date that does not exist. Each build is the real
command on a private copy of a built site, whose output/ stays as it was.
"""

from __future__ import annotations

import pytest
from conftest import run_build, snapshot
from rule_cases import Mistake, article, assert_named_once

CASES: dict[str, Mistake] = {
    "the site's clock on a day that does not exist": (
        article(),
        {"SITE_TODAY": "2027-02-29"},
        [
            "SITE_TODAY='2027-02-29' is not a date: February 2027 has 28 days (2027 is not a "
            "leap year), so there is no day 29. Or unset SITE_TODAY to use today's date."
        ],
        1,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    assert_named_once(built_copy, CASES[case])


def test_a_clock_that_is_not_a_date_stops_the_build_saying_how_to_set_it(built_copy):
    site, before = built_copy
    result = run_build(site, env={"SITE_TODAY": "next tuesday"})
    assert result.returncode == 1
    assert "SITE_TODAY='next tuesday' is not a date; write it as YYYY-MM-DD" in result.stderr
    assert snapshot(site / "output") == before
