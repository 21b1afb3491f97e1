"""rules/addresses.py: addresses that work on the editor's computer and nowhere else.

A link or picture copied from the preview, an address on this computer or the
local network, a `file:` link, a file's name without `{filename}` or
`{static}`, a site without `https://`, an email address or phone number without
`mailto:` or `tel:`: each case writes the test's own article into a copy of a
built site and the build names each address once, with the address to write
instead (tests/rule_cases.py, `assert_named_once`).
"""

from __future__ import annotations

import pytest
from rule_cases import (
    CHART,
    MINE,
    OTHER,
    Mistake,
    also,
    article,
    assert_named_once,
    lines,
    write,
)

PREVIEW = "the preview's address on this computer, so it would lead nowhere for every reader"

CASES: dict[str, Mistake] = {
    "a link copied from the preview": (
        article(
            lines(
                "Read [what helps](http://127.0.0.1:8795/sleep-and-migraine/#what-helps).",
                "## What helps",
            )
        ),
        {},
        [
            f"{MINE}:9: the link 'http://127.0.0.1:8795/sleep-and-migraine/#what-helps' is {PREVIEW}; "
            "write {filename}/sleep-and-migraine.md#what-helps instead."
        ],
        1,
    ),
    "every local address, for links and pictures": (
        also(
            CHART,
            article(
                lines(
                    "See [the draft](http://localhost:8000/drafts/sleep-and-migraine/).",
                    "![A chart of hours slept](http://localhost:8000/images/sleep-chart-720.png)",
                    "See [home](http://0.0.0.0:8000/) and <http://[::1]:8000/>.",
                    "See [the preview](http://mindbalance.localhost:8000/).",
                    "See [the intranet](http://192.168.1.20/rota/), [the server](http://10.0.0.5/)"
                    " and [the file share](https://172.16.4.2/forms/).",
                    "Open [the leaflet](file:///C:/Users/reception/Documents/sleep-leaflet.pdf).",
                    "See [it](127.0.0.1:8000/sleep-and-migraine/).",
                )
            ),
        ),
        {},
        [
            f"{MINE}:9: the link 'http://localhost:8000/drafts/sleep-and-migraine/' is {PREVIEW}; "
            "write {filename}/sleep-and-migraine.md instead.",
            f"{MINE}:11: the picture 'http://localhost:8000/images/sleep-chart-720.png' is {PREVIEW}; "
            "write {static}/images/sleep-chart.png instead.",
            f"{MINE}:13: the link 'http://0.0.0.0:8000/' is {PREVIEW}; link to an article or page "
            "with {filename}name.md",
            f"{MINE}:13: the link 'http://[::1]:8000/' is {PREVIEW}",
            f"{MINE}:15: the link 'http://mindbalance.localhost:8000/' is {PREVIEW}",
            f"{MINE}:17: the link 'http://192.168.1.20/rota/' is an address on the local network, "
            "so it would lead nowhere for every reader",
            f"{MINE}:17: the link 'http://10.0.0.5/' is an address on the local network",
            f"{MINE}:17: the link 'https://172.16.4.2/forms/' is an address on the local network",
            f"{MINE}:19: the link 'file:///C:/Users/reception/Documents/sleep-leaflet.pdf' is a file "
            "on this computer, which no reader can open",
            f"{MINE}:21: the link '127.0.0.1:8000/sleep-and-migraine/' is an address on this "
            "computer, so it would lead nowhere for every reader; write "
            "{filename}/sleep-and-migraine.md instead.",
        ],
        10,
    ),
    "an address without {filename}, {static} or https://": (
        also(
            CHART,
            write("content/sleep-diary.md", OTHER.format(extra="")),
            article(
                lines(
                    "Keep [a diary](sleep-diary.md).",
                    "![A chart of hours slept](images/sleep-chart.png)",
                    "Read [the NHS page](www.nhs.uk/conditions/migraine/).",
                    "[Write to us](reception@example.org) or [call us](555-0100).",
                )
            ),
        ),
        {},
        [
            f"{MINE}:9: the link 'sleep-diary.md' is written without {{filename}}, so the published "
            "page would look for it beside itself and find nothing; write "
            "{filename}/sleep-diary.md instead.",
            f"{MINE}:11: the picture 'images/sleep-chart.png' is written without {{static}}",
            "write {static}/images/sleep-chart.png instead.",
            f"{MINE}:13: the link 'www.nhs.uk/conditions/migraine/' has no https:// in front, so "
            "browsers would look for it on this site, where it does not exist; write "
            "https://www.nhs.uk/conditions/migraine/.",
            f"{MINE}:15: the link 'reception@example.org' is an email address without mailto: "
            "in front, so browsers would look for a page of this site; write "
            "mailto:reception@example.org.",
            f"{MINE}:15: the link '555-0100' is a phone number without tel: in front, so "
            "browsers would look for a page of this site; write tel:5550100.",
        ],
        5,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    assert_named_once(built_copy, CASES[case])
