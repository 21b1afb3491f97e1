"""rules/alt_text.py: alt text that is a file name, or says only that there is a picture.

Each case writes the test's own article into a copy of a built site and the
build names each alt text once (tests/rule_cases.py, `assert_named_once`);
alt text that merely mentions a photo builds (test_editor_mistakes.py).
"""

from __future__ import annotations

import pytest
from rule_cases import CHART, MINE, Mistake, also, article, assert_named_once, lines

FILE_NAME_ALT = "is a file name, which a screen reader reads out as it is; describe what"
ONLY_A_PICTURE = "says only that there is a picture, which a screen reader says already"

CASES: dict[str, Mistake] = {
    "alt text that is a file name": (
        also(
            CHART,
            article(
                lines(
                    "![IMG_2034.JPG]({static}/images/sleep-chart.png)",
                    "![photo-1.png]({static}/images/sleep-chart.png)",
                    "![Sleep Chart.PNG][chart]",
                    "[chart]: {static}/images/sleep-chart.png",
                )
            ),
        ),
        {},
        [
            f"{MINE}:9: the alt text 'IMG_2034.JPG' {FILE_NAME_ALT} the picture shows instead: "
            "![what the picture shows](…).",
            f"{MINE}:11: the alt text 'photo-1.png' {FILE_NAME_ALT}",
            f"{MINE}:13: the alt text 'Sleep Chart.PNG' {FILE_NAME_ALT} the picture shows instead: "
            "![what the picture shows][…].",
        ],
        3,
    ),
    "alt text that only says picture": (
        also(
            CHART,
            article(
                lines(
                    "![image]({static}/images/sleep-chart.png)",
                    "![Photo]({static}/images/sleep-chart.png)",
                    "![A picture of]({static}/images/sleep-chart.png)",
                    "![Image of ...]({static}/images/sleep-chart.png)",
                    '<img src="{static}/images/sleep-chart.png" alt="screenshot">',
                )
            ),
        ),
        {},
        [
            f"{MINE}:9: the alt text 'image' {ONLY_A_PICTURE}; describe what the picture shows "
            "instead: ![what the picture shows](…).",
            f"{MINE}:11: the alt text 'Photo' {ONLY_A_PICTURE}",
            f"{MINE}:13: the alt text 'A picture of' {ONLY_A_PICTURE}",
            f"{MINE}:15: the alt text 'Image of ...' {ONLY_A_PICTURE}",
            f"{MINE}:17: the alt text 'screenshot' {ONLY_A_PICTURE}; describe what the picture "
            'shows instead: alt="what it shows".',
        ],
        5,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    assert_named_once(built_copy, CASES[case])
