"""Mistakes a new editor makes, each caught in its own words, once.

Every case writes an article of its own (never the site's articles) into a
private copy of a built site, runs `invoke build` as an editor would, and
checks that it exits 1 with each `file:line: what to do` message, says nothing
else (one message per mistake: the count of problems is exact) and leaves
output/ as it was. The last tests build what must pass: a real link to
another site, alt text that only mentions a photo, 29 February in a leap year.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import assert_refused, run_build
from PIL import Image

OWN = "content/sleep-and-migraine.md"
# The body starts on line 9; each paragraph of a case's text two lines further on.
ARTICLE = """\
Title: Sleep and Migraine
Date: 2026-11-20
Modified: 2026-11-20
Slug: sleep-and-migraine
Summary: How sleep affects migraine, and small changes that may help.
Category: Clinic news
Tags: sleep

{body}
"""
BODY = "Poor sleep can start a migraine. A regular bedtime helps many people."
OTHER = """\
Title: Sleep Diary
Date: 2026-11-18
Slug: sleep-diary
Summary: How to keep a sleep diary.
Category: Clinic news
{extra}
Write down when you go to bed and when you wake up.
"""
PAGE = "Title: About Us\nSlug: about-us\nSummary: Who we are.\nModified: 2026-11-18\n\nWe are a clinic.\n"


def article(body: str = BODY, *, name: str = OWN, **meta: str) -> Callable[[Path], None]:
    """Write the test's own article, with `body` and metadata lines replaced (Key="old=>new")."""

    def breaking(site: Path) -> None:
        text = ARTICLE.format(body=body)
        for change in meta.values():
            old, new = change.split("=>")
            assert old in text, old
            text = text.replace(old, new, 1)
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return breaking


def also(*writers: Callable[[Path], None]) -> Callable[[Path], None]:
    return lambda site: [writer(site) for writer in writers]


def file(relative: str, text: str) -> Callable[[Path], None]:
    def breaking(site: Path) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, encoding="utf-8")

    return breaking


def picture(relative: str) -> Callable[[Path], None]:
    def breaking(site: Path) -> None:
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (800, 500), "#3d6b5e").save(site / relative)

    return breaking


def lines(*paragraphs: str) -> str:
    """Paragraphs from line 9 on: the n-th (from 0) is on line 9 + 2n."""
    return "\n\n".join(paragraphs)


MINE = OWN
CHART = picture("content/images/sleep-chart.png")
PREVIEW = "the preview's address on this computer, so it would lead nowhere for every reader"
FILE_NAME_ALT = "is a file name, which a screen reader reads out as it is; describe what"
ONLY_A_PICTURE = "says only that there is a picture, which a screen reader says already"

# case: (how to break the copy, environment, the messages, how many problems in all)
CASES: dict[str, tuple[Callable[[Path], None], dict[str, str], list[str], int]] = {
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
            file("content/sleep-diary.md", OTHER.format(extra="")),
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
    "a picture's name with spaces and capitals": (
        also(
            picture("content/images/Sleep Chart.PNG"),
            article("![A chart of hours slept]({static}/images/Sleep Chart.PNG)"),
        ),
        {},
        [
            "content/images/Sleep Chart.PNG: the file name 'Sleep Chart.PNG' has spaces and "
            "capitals; file names become web addresses, so use lower case and hyphens: rename "
            "it to sleep-chart.png.",
            f"{MINE}:9: the picture address '{{static}}/images/Sleep Chart.PNG' has a space in it, "
            "so Markdown shows the picture as plain text; file names cannot have spaces: rename "
            "the file to sleep-chart.png and write {static}/images/sleep-chart.png.",
        ],
        2,
    ),
    "an article's file name with spaces and capitals": (
        article(name="content/Sleep and Migraine.md"),
        {},
        [
            "content/Sleep and Migraine.md:4: the file name 'Sleep and Migraine.md' has spaces "
            "and capitals; rename the file to sleep-and-migraine.md, to match its Slug"
        ],
        1,
    ),
    "a slug with spaces and capitals": (
        article(
            name="content/Sleep and Migraine.md",
            slug="Slug: sleep-and-migraine=>Slug: Sleep and Migraine",
        ),
        {},
        [
            "content/Sleep and Migraine.md:4: Slug 'Sleep and Migraine' has spaces and capitals; "
            "the slug is the page's web address, so use lower case and hyphens: write "
            "`Slug: sleep-and-migraine` and rename the file to sleep-and-migraine.md."
        ],
        1,
    ),
    "a link in other capitals than the file": (
        also(CHART, article("![A chart of hours slept]({static}/images/Sleep-Chart.png)")),
        {},
        [
            f"{MINE}:9: '{{static}}/images/Sleep-Chart.png' points at a file that does not exist "
            "(looked for content/images/Sleep-Chart.png); the file is named 'sleep-chart.png', "
            "and capitals count on the live site: write '{static}/images/sleep-chart.png'."
        ],
        1,
    ),
    "a Share_image misspelt": (
        also(
            picture("content/images/sleep-card.png"),
            article(tags="Tags: sleep=>Tags: sleep\nShare_image: images/sleep-crad.png"),
        ),
        {},
        [
            f"{MINE}:8: Share_image 'images/sleep-crad.png': there is no "
            "content/images/sleep-crad.png; did you mean 'images/sleep-card.png'?"
        ],
        1,
    ),
    "a folder misspelt": (
        also(CHART, article("![A chart of hours slept]({static}/image/sleep-chart.png)")),
        {},
        [
            f"{MINE}:9: '{{static}}/image/sleep-chart.png' points at a file that does not exist "
            "(looked for content/image/sleep-chart.png); did you mean "
            "'{static}/images/sleep-chart.png'?"
        ],
        1,
    ),
    "a picture saved outside content/images/": (
        also(
            picture("content/Sleep Chart.png"),
            article("![A chart of hours slept]({static}/Sleep%20Chart.png)"),
        ),
        {},
        [
            "content/Sleep Chart.png: pictures go in content/images/, and only there are they "
            "published; move it there and show it with {static}/images/sleep-chart.png."
        ],
        1,
    ),
    "a link without .md": (
        also(
            file("content/sleep-diary.md", OTHER.format(extra="")),
            article("Keep [a diary]({filename}sleep-diary)."),
        ),
        {},
        [
            f"{MINE}:9: '{{filename}}sleep-diary' points at a file that does not exist (looked for "
            "content/sleep-diary); did you mean '{filename}sleep-diary.md'?"
        ],
        1,
    ),
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
    "the site's clock on a day that does not exist": (
        article(),
        {"SITE_TODAY": "2027-02-29"},
        [
            "SITE_TODAY='2027-02-29' is not a date: February 2027 has 28 days (2027 is not a "
            "leap year), so there is no day 29. Or unset SITE_TODAY to use today's date."
        ],
        1,
    ),
    "a Date with a slip of the year": (
        also(
            article(date="Date: 2026-11-20=>Date: 2062-11-20"),
            file(
                "content/sleep-diary.md",
                OTHER.format(extra="") + "\nSee [sleep]({filename}sleep-and-migraine.md).\n",
            ),
        ),
        {"SITE_TODAY": "2026-12-01"},
        [
            f"{MINE}:2: Date 2062-11-20 is 36 years from today, so the article would not be "
            "published until then; check the year (Date is the day it goes live)."
        ],
        1,
    ),
    "a Reviewed date with a slip of the year": (
        article(
            category="Category: Clinic news=>Category: Migraine",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2062-11-20\nNext_review: 2027-11-20",
        ),
        {"SITE_TODAY": "2026-12-01"},
        [f"{MINE}:8: Reviewed 2062-11-20 is in the future; use the date the review happened."],
        1,
    ),
    "Next_review before Reviewed, not also overdue": (
        article(
            category="Category: Clinic news=>Category: Migraine",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2026-11-30\nNext_review: 2026-11-20",
        ),
        {"SITE_TODAY": "2026-12-01"},
        [
            f"{MINE}:9: Next_review 2026-11-20 is not after Reviewed 2026-11-30; set the next "
            "review date in the future of the last review."
        ],
        1,
    ),
    "review dates swapped": (
        article(
            category="Category: Clinic news=>Category: Migraine",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2027-11-20\nNext_review: 2026-11-20",
        ),
        {"SITE_TODAY": "2026-12-01"},
        [
            f"{MINE}:8: Reviewed 2027-11-20 is in the future and Next_review 2026-11-20 in the "
            "past: the two dates look swapped. Reviewed is the day of the last review, "
            "Next_review the day the next one is due."
        ],
        1,
    ),
    "a misspelt health topic": (
        article(
            category="Category: Clinic news=>Category: Migrane",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2026-11-20\nNext_review: 2027-11-20",
        ),
        {},
        [
            f"{MINE}:6: Category 'Migrane' is not a topic of this site; did you mean Migraine? "
            "Another spelling makes a second topic, and only Migraine carries review dates and "
            "the disclaimer."
        ],
        1,
    ),
    "a topic spelt two ways": (
        also(
            file("content/sleep-diary.md", OTHER.format(extra="")),
            article(category="Category: Clinic news=>Category: Clinic New"),
        ),
        {},
        [
            f"{MINE}:6: Category 'Clinic New' is not a topic of this site; did you mean Clinic "
            "news (the topic of content/sleep-diary.md)? Another spelling makes a second topic."
        ],
        1,
    ),
    "two topics in Category": (
        article(category="Category: Clinic news=>Category: Clinic news, Sleep"),
        {},
        [
            f"{MINE}:6: Category 'Clinic news, Sleep' has a comma, but an article has one topic; "
            "keep one (`Category: Clinic news`) and put the others in Tags."
        ],
        1,
    ),
    "tags separated by semicolons": (
        article(tags="Tags: sleep=>Tags: sleep; rest;"),
        {},
        [
            f"{MINE}:7: Tags has ';' between its names; separate them with commas: `Tags: sleep, rest`."
        ],
        1,
    ),
    "a misspelt Status": (
        article(
            summary="Summary: How sleep affects migraine, and small changes that may help.=>"
            "Summary: One or two plain sentences, at most 160 characters, shown in search results.",
            tags="Tags: sleep=>Tags: sleep\nStatus: drafts",
        ),
        {},
        [f"{MINE}:8: unknown Status 'drafts'; use one of: draft, hidden, published."],
        1,
    ),
    "an Also_called name that is another page's title or name": (
        also(
            file("content/sleep-diary.md", OTHER.format(extra="Also_called: Sleep log\n")),
            file("content/pages/about-us.md", PAGE),
            article(tags="Tags: sleep=>Tags: sleep\nAlso_called: sleep diary, About us, Sleep Log"),
        ),
        {},
        [
            f"{MINE}:8: Also_called 'sleep diary' is the title of another article, "
            "content/sleep-diary.md; the A to Z would list 'sleep diary' twice, leading to two "
            "pages. Remove it here: readers find that page under its title.",
            f"{MINE}:8: Also_called 'About us' is the title of another page, "
            "content/pages/about-us.md",
            "content/sleep-diary.md:6: Also_called 'Sleep log' is also an Also_called name of "
            f"{MINE}; the A to Z would list 'Sleep log' twice, leading to two articles. Keep it "
            "on one of them.",
        ],
        3,
    ),
    "a key in quotes": (
        article(tags="Tags: sleep=>“Tags”: sleep"),
        {},
        [f"{MINE}:7: the key Tags is in quotes; write it without them: `Tags: sleep`."],
        1,
    ),
    "a key without its colon": (
        article(date="Date: 2026-11-20=>Date 2026-11-20"),
        {},
        [f"{MINE}:2: there is no colon after Date; write `Date: 2026-11-20`."],
        1,
    ),
    "a misspelt key": (
        article(title="Title: Sleep=>Tilte: Sleep"),
        {},
        [f"{MINE}:1: unknown metadata key 'tilte'. Did you mean Title?"],
        1,
    ),
    "a key written with a space": (
        article(
            category="Category: Clinic news=>Category: Migraine",
            tags="Tags: sleep=>Tags: sleep\nReviewed: 2026-11-20\nNext review: 2027-11-20",
        ),
        {},
        [
            f"{MINE}:9: 'Next review' is written with a space; the key is Next_review: write "
            "`Next_review: 2027-11-20`."
        ],
        1,
    ),
    "a title in quotes": (
        article(title='Title: Sleep and Migraine=>Title: "Sleep and Migraine"'),
        {},
        [
            f"{MINE}:1: Title is in quotes, and the quotes would show on the page; remove them: "
            "`Title: Sleep and Migraine`."
        ],
        1,
    ),
    "a blank line before the metadata": (
        article(title="Title: Sleep=>\n\nTitle: Sleep"),
        {},
        [
            f"{MINE}:1: the file starts with a blank line, so the metadata under it is not read; "
            "delete the blank lines at the top (metadata starts on the first line)."
        ],
        1,
    ),
    "front matter between --- lines": (
        article(title="Title: Sleep=>---\nTitle: Sleep", tags="Tags: sleep=>Tags: sleep\n---"),
        {},
        [
            f"{MINE}:1: `---` lines around the metadata are for other tools; delete them: the "
            "metadata starts on the first line and ends at the first blank line."
        ],
        1,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    site, before = built_copy
    breaking, env, messages, count = CASES[case]
    breaking(site)
    result = run_build(site, env=env)
    assert_refused(result, site, before, *messages)
    problems = "problem" if count == 1 else "problems"
    assert f"The build failed with {count} {problems}:" in result.stderr, result.stderr


def test_real_links_descriptions_and_leap_days_pass(site_copy):
    picture("content/images/quiet-room.png")(site_copy)
    article(
        lines(
            "Read [the NHS page on migraine](https://www.nhs.uk/conditions/migraine/), "
            "<https://www.nhs.uk/>, [write to us](mailto:reception@example.org) or "
            "[call us](tel:555-0100).",
            "![A photo of the clinic's quiet room, with two armchairs]({static}/images/quiet-room.png)",
            "![Image of a sleep diary: a week of bedtimes]({static}/images/quiet-room.png)",
            "Keep [a diary]({filename}/sleep-diary.md) and read [our story]({filename}/pages/about-us.md).",
            "## Image of a good night",
        ),
        date="Date: 2026-11-20=>Date: 2026-11-20 09:30",
        title='Title: Sleep and Migraine=>Title: Sleep and "Aura": What Helps',
        tags="Tags: sleep=>Tags: sleep, night,\nReviewed: 2026-11-20\nNext_review: 2028-02-29"
        "\nAlso_called: Sleep hygiene",
    )(site_copy)
    file("content/sleep-diary.md", OTHER.format(extra="Also_called: Sleep log\n"))(site_copy)
    file("content/pages/about-us.md", PAGE)(site_copy)
    result = run_build(site_copy, env={"SITE_TODAY": "2026-12-01"})
    assert result.returncode == 0, result.stderr
    page = (site_copy / "output/sleep-and-migraine/index.html").read_text(encoding="utf-8")
    assert 'href="https://www.nhs.uk/conditions/migraine/"' in page
    assert "February 29, 2028" in page
