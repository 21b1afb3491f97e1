"""The build refuses mistakes in the body (rules/body.py): HTML comments, alt
text, and links and pictures that lead to no file or to another site.

Each case goes through the real build on a copy (tests/rule_cases.py): exit 1,
`file:line` with what to do, output/ untouched.
"""

from __future__ import annotations

import pytest
from rule_cases import A, Case, add_to_article, assert_case_refused

CASES: dict[str, Case] = {
    "HTML comment": (
        add_to_article("<!-- check this dose with Dr Lee -->"),
        [f"{A}:20: HTML comments are published in the page source"],
    ),
    "image without alt text": (
        add_to_article("![]({static}/extra/favicon.svg)"),
        [f"{A}:20: image '{{static}}/extra/favicon.svg' has no alt text"],
    ),
    "raw <img> without alt": (
        add_to_article('<img src="{static}/extra/favicon.svg">'),
        [f"{A}:20: an <img> has no alt text; add alt="],
    ),
    "image file missing": (
        add_to_article("![A chart of attack frequency]({static}/images/chart.png)"),
        [
            f"{A}:20: '{{static}}/images/chart.png' points at a file that does not exist "
            "(looked for content/images/chart.png)"
        ],
    ),
    "link to a missing file": (
        add_to_article("See [our notes]({filename}/missing-notes.md)."),
        [f"{A}:20: '{{filename}}/missing-notes.md' points at a file that does not exist"],
    ),
    "reference-style link to a missing file": (
        add_to_article("See [our notes][notes].\n\n[notes]: {filename}/missing-notes.md"),
        [f"{A}:22: '{{filename}}/missing-notes.md' points at a file that does not exist"],
    ),
    "raw link to a missing file": (
        add_to_article('<a href="{filename}/gone.md">Our notes</a>'),
        [f"{A}:20: '{{filename}}/gone.md' points at a file that does not exist"],
    ),
    "reference-style image on another site": (
        add_to_article("![A tracking pixel][px]\n\n[px]: https://tracker.example/p.gif"),
        [f"{A}:22: image 'https://tracker.example/p.gif' is on another site"],
    ),
    "reference-style image without alt text": (
        add_to_article("![][chart]\n\n[chart]: {static}/extra/favicon.svg"),
        [f"{A}:20: an image has no alt text"],
    ),
    "image on another site": (
        add_to_article("![A brain scan](https://images.example.com/scan.png)"),
        [f"{A}:20: image 'https://images.example.com/scan.png' is on another site"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, CASES[case])
