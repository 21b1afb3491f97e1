"""The build refuses raw HTML that runs code or is left open (rules/raw_html.py):
scripts, frames, embeds, forms, event attributes and javascript: addresses,
in the body and the metadata, and elements never closed.

Each case goes through the real build on a copy (tests/rule_cases.py): exit 1,
`file:line` with what to do, output/ untouched.
"""

from __future__ import annotations

import pytest
from conftest import run_build
from rule_cases import A, Case, add_to_article, assert_case_refused, meta

CASES: dict[str, Case] = {
    **{
        f"raw <{tag}>": (
            add_to_article(f'<{tag} data-x="1"></{tag}>'),
            [f"{A}:20: raw <{tag}> is not allowed"],
        )
        for tag in ("script", "iframe", "object", "embed", "form")
    },
    "upper-case <SCRIPT> over two lines": (
        add_to_article("Text\n<SCRIPT\n>alert(1)</SCRIPT>"),
        [f"{A}:21: raw <script> is not allowed"],
    ),
    "event attribute": (
        add_to_article('<span onmouseover="steal()">Hover</span>'),
        [f"{A}:20: the onmouseover= event attribute runs JavaScript and is not allowed"],
    ),
    "event attribute on the next line of a tag": (
        add_to_article('<span class="note"\n      onclick="steal()">Tap</span>'),
        [f"{A}:21: the onclick= event attribute runs JavaScript"],
    ),
    "javascript: link": (
        add_to_article("[Read more](javascript:alert(1))"),
        [f"{A}:20: a javascript: URL is not allowed; link to a page instead."],
    ),
    "javascript: hidden in an entity": (
        add_to_article('<a href="jav&#x61;script:alert(1)">Read more</a>'),
        [f"{A}:20: a javascript: URL is not allowed"],
    ),
    "script in metadata": (
        meta("Authors: Mind Balance", "Authors: Mind Balance <script>alert(1)</script>"),
        [f"{A}:6: raw <script> is not allowed"],
    ),
    "javascript: in metadata": (
        meta("Tags: migraine", "Tags: javascript:alert(1), migraine"),
        [f"{A}:8: a javascript: URL is not allowed"],
    ),
    "unclosed raw HTML": (
        add_to_article('<div class="note">\n\nTake it with food.'),
        [f"{A}:20: raw HTML <div> is opened here but never closed; add </div>"],
    ),
    "unclosed raw HTML after a code block": (
        add_to_article("```\n<b>shown, not rendered\n```\n\n<section>"),
        [f"{A}:24: raw HTML <section> is opened here but never closed"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, CASES[case])


def test_markup_shown_as_code_is_allowed(built_copy):
    site, _ = built_copy
    add_to_article(
        "Write `<script>` or `onclick=` in code.\n\n```html\n<iframe src=x></iframe>\n<div>\n```"
    )(site)
    result = run_build(site)
    assert result.returncode == 0, result.stderr
