"""The build refuses a picture that says where it was taken (rules/photo_metadata.py).

Each case goes through the real build on a copy (tests/rule_cases.py): exit 1,
`file:line` with what to do, output/ untouched.
"""

from __future__ import annotations

import pytest
from rule_cases import Case, assert_case_refused, located_photo, write

CASES: dict[str, Case] = {
    "a photo that says where it was taken": (
        write("content/images/garden.jpg", located_photo()),
        [
            "content/images/garden.jpg: this picture carries the place it was taken (GPS), "
            "and the file itself goes into the site's public repository; run "
            ".venv/bin/invoke clean-photos to remove them"
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, CASES[case])
