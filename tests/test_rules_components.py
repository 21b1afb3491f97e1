"""The build refuses health components written wrong (rules/components.py).

Each case goes through the real build on a copy (tests/rule_cases.py): exit 1,
`file:line` with what to do, output/ untouched.
"""

from __future__ import annotations

import pytest
from rule_cases import A, Case, add_to_article, assert_case_refused

from rules.components import check_blocks

CASES: dict[str, Case] = {
    # Health components (rules/components.py); the block starts on line 20.
    "unknown component": (
        add_to_article("/// urgnet | Ask for an urgent appointment if:\n- an example\n///"),
        [f"{A}:20: `/// urgnet` is not a component this site has. Did you mean `/// urgent`?"],
    ),
    "care card without a heading": (
        add_to_article("/// urgent\n- an example\n///"),
        [f"{A}:20: this urgent care card has no heading; write it after a bar"],
    ),
    "care card without a list": (
        add_to_article("/// non-urgent | Speak to your doctor if:\nAn example.\n///"),
        [f"{A}:20: this non-urgent care card has no list; put the points in a bulleted list"],
    ),
    "component never closed": (
        add_to_article("/// inset\nAn example."),
        [f"{A}:20: `/// inset` is opened here but never closed"],
    ),
    "a third warning callout": (
        add_to_article("\n\n".join(f"/// warning | Example {n}\nText.\n///" for n in (1, 2, 3))),
        [f"{A}:28: this is warning callout number 3 on the page; use at most 2"],
    ),
    "don't item without do not": (
        add_to_article("/// dont\n- do not rush\n- avoid driving\n///"),
        [f"{A}:22: each item in a don't list must begin with “do not”"],
    ),
    "end marker with nothing open": (
        add_to_article("An example.\n\n///"),
        [f"{A}:22: `///` closes a block that was never opened"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, CASES[case])


def test_a_dont_item_begins_with_the_negation_of_its_files_language():
    dont = [(1, "/// dont"), (2, "- no conduzca"), (3, "- evite conducir"), (4, "///")]
    assert list(check_blocks(dont, "es")) == [
        (
            3,
            "each item in a don't list must begin with “no”, so a reader who misses the "
            "heading still gets it; for example: `- no conduzca`.",
        )
    ]
    assert [line for line, _ in check_blocks(dont)] == [2, 3]  # English: "do not"
