"""Bad content is rejected clearly: one case per content rule, each through the real build.

Every case breaks a private copy of a site that already has a good build in
output/, runs `invoke build` there as an editor would, and checks that it
exits 1, names the file (and line, where there is one) with what to do, and
leaves output/ exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURE_ARTICLE as ARTICLE_SOURCE
from conftest import FIXTURE_CONTENT, edit, run_build, snapshot

ARTICLE = A = ARTICLE_SOURCE  # A: short, for the expected messages
PARAGRAPH = "At Mind Balance,"  # starts line 20 of the article
GOOD_PAGE = (
    "Title: About\nSlug: {slug}\nSummary: Who we are.\n{extra}\nWe help people with migraine.\n"
)


def add_to_article(text: str) -> Callable[[Path], None]:
    """Put Markdown in the article body just before line 20, so it starts on line 20."""
    return lambda site: edit(site / ARTICLE, PARAGRAPH, f"{text}\n\n{PARAGRAPH}")


def write(relative: str, data: str | bytes) -> Callable[[Path], None]:
    def breaking(site: Path) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return breaking


def symlink(relative: str, target: str) -> Callable[[Path], None]:
    def breaking(site: Path) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)

    return breaking


def meta(old: str, new: str) -> Callable[[Path], None]:
    return lambda site: edit(site / ARTICLE, old, new)


def located_photo() -> bytes:
    """A small JPEG whose EXIF says where it was taken (GPS)."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 40.1)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "#1d5a94").save(out, "JPEG", exif=exif)
    return out.getvalue()


SUMMARY_LINE = next(
    line
    for line in (FIXTURE_CONTENT.parent / ARTICLE).read_text().splitlines()
    if line.startswith("Summary:")
)

# case: (how to break the copy, messages the build must print)
CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
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
    "empty file": (
        write("content/empty.md", ""),
        ["content/empty.md: the file is empty; write the metadata and the article"],
    ),
    "file of blank lines": (
        write("content/pages/blank.md", "\n\n  \n"),
        ["content/pages/blank.md: the file is empty"],
    ),
    "not UTF-8": (
        write(
            "content/pages/latin.md",
            "Title: Caf\xe9\nSlug: latin\nSummary: A page.\n\nNa\xefve text.\n".encode("latin-1"),
        ),
        ["content/pages/latin.md:1: the file is not valid UTF-8 text; save it as UTF-8"],
    ),
    "symlink to a Markdown file": (
        symlink("content/pages/copy.md", "../ketamine-for-migraine.md"),
        ["content/pages/copy.md: symlinks are not allowed in content/"],
    ),
    "symlinked folder": (
        symlink("content/more", "pages"),
        ["content/more: symlinks are not allowed in content/"],
    ),
    "symlink to a file outside the site": (
        symlink("content/extra/robots.txt", "/etc/hostname"),
        ["content/extra/robots.txt: symlinks are not allowed in content/"],
    ),
    "symlink inside a hidden folder": (
        symlink("content/.cache/link", "/etc"),
        ["content/.cache/link: symlinks are not allowed in content/"],
    ),
    "a text file": (
        write("content/notes.txt", "Remember to write about triptans.\n"),
        ["content/notes.txt: the site only reads Markdown (.md); this .txt file would be ignored"],
    ),
    "an HTML page": (
        write("content/pages/about.html", "<p>About</p>\n"),
        ["content/pages/about.html: the site only reads Markdown (.md)"],
    ),
    "another Markdown extension": (
        write("content/triptans.markdown", "Title: Triptans\n"),
        ["content/triptans.markdown: the site only reads Markdown (.md)"],
    ),
    "a photo that says where it was taken": (
        write("content/images/garden.jpg", located_photo()),
        [
            "content/images/garden.jpg: this picture carries the place it was taken (GPS), "
            "and the file itself goes into the site's public repository; run "
            ".venv/bin/invoke clean-photos to remove them"
        ],
    ),
    "a document in images/": (
        write("content/images/chart.pdf", b"%PDF-1.4\n"),
        ["content/images/chart.pdf: .pdf is not an image type the site publishes"],
    ),
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
    "HTML comment": (
        add_to_article("<!-- check this dose with Dr Lee -->"),
        [f"{A}:20: HTML comments are published in the page source"],
    ),
    "unclosed raw HTML": (
        add_to_article('<div class="note">\n\nTake it with food.'),
        [f"{A}:20: raw HTML <div> is opened here but never closed; add </div>"],
    ),
    "unclosed raw HTML after a code block": (
        add_to_article("```\n<b>shown, not rendered\n```\n\n<section>"),
        [f"{A}:24: raw HTML <section> is opened here but never closed"],
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
    "two sources write the same page": (
        write(
            "content/pages/ketamine-for-migraine.md",
            GOOD_PAGE.format(slug="ketamine-for-migraine", extra=""),
        ),
        [
            "content/pages/ketamine-for-migraine.md:2: would be written to "
            f"ketamine-for-migraine/index.html, which {A} also writes"
        ],
    ),
    "a page writes over the home page": (
        write("content/pages/home.md", GOOD_PAGE.format(slug="home", extra="Save_as: index.html")),
        [
            "content/pages/home.md:4: would be written to index.html, which the home page "
            "also writes; give one of them another slug (or Save_as)."
        ],
    ),
    "a review date without its pair, outside the health topics": (
        write(
            "content/opening-hours.md",
            "Title: Opening hours\nDate: 2026-11-20\nSlug: opening-hours\n"
            "Summary: When we are open.\nCategory: Clinic news\nReviewed: 2026-11-20\n\n"
            "We are open on weekdays.\n",
        ),
        [
            "content/opening-hours.md:6: Reviewed is given without Next_review; the page "
            "shows both dates together. Add `Next_review: YYYY-MM-DD`, or remove Reviewed."
        ],
    ),
    "a page takes a folder the site's own lists use": (
        write("content/pages/category.md", GOOD_PAGE.format(slug="category", extra="")),
        [
            "content/pages/category.md:2: would be published at /category/, where the site "
            "puts the topic pages; give it another slug (and file name)."
        ],
    ),
    "a slug that only production reserves fails the preview too": (
        write("content/pages/feeds.md", GOOD_PAGE.format(slug="feeds", extra="")),
        [
            "content/pages/feeds.md:2: would be published at /feeds/, where the site "
            "puts the feed; give it another slug (and file name)."
        ],
    ),
    "a published article links to a draft": (
        lambda site: (
            write(
                "content/next-steps.md",
                "Title: Next steps\nDate: 2026-11-20\nSlug: next-steps\nSummary: Soon.\n"
                "Category: Migraine\nStatus: draft\n\nNot ready.\n",
            )(site),
            add_to_article("See [what comes next]({filename}next-steps.md).")(site),
        ),
        [
            f"{A}:20: links to content/next-steps.md, which is a draft, so the published "
            "page would link nowhere; publish that article first, or remove the link for now."
        ],
    ),
    "Markdown over 1 MB": (
        write(
            "content/pages/huge.md",
            GOOD_PAGE.format(slug="huge", extra="") + "Words and more words.\n" * 50_000,
        ),
        ["content/pages/huge.md: the file is 1,100,0", "over the 1,000,000-byte limit"],
    ),
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
    site, before = built_copy
    breaking, expected = CASES[case]
    breaking(site)
    result = run_build(site)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("The build failed with"), result.stderr
    missing = [message for message in expected if message not in result.stderr]
    assert not missing, f"not in the build's message: {missing}\n{result.stderr}"
    assert snapshot(site / "output") == before, "a failed build changed output/"


def test_every_broken_file_is_listed_in_one_run(built_copy):
    site, before = built_copy
    chosen = ["invalid date", "empty file", "a text file", "raw <iframe>", "symlinked folder"]
    for case in chosen:
        CASES[case][0](site)
    result = run_build(site)
    assert result.returncode == 1
    assert f"The build failed with {len(chosen)} problems" in result.stderr, result.stderr
    for case in chosen:
        assert CASES[case][1][0] in result.stderr, result.stderr
    assert snapshot(site / "output") == before


def test_hidden_files_are_never_read_or_published(built_copy):
    site, _ = built_copy
    text = (site / ARTICLE).read_text(encoding="utf-8")
    (site / "content/.unfinished.md").write_text(
        text.replace("Slug: ketamine-for-migraine", "Slug: .unfinished"), encoding="utf-8"
    )
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert not [p for p in (site / "output").rglob("*") if "unfinished" in p.name]


def test_markup_shown_as_code_is_allowed(built_copy):
    site, _ = built_copy
    add_to_article(
        "Write `<script>` or `onclick=` in code.\n\n```html\n<iframe src=x></iframe>\n<div>\n```"
    )(site)
    result = run_build(site)
    assert result.returncode == 0, result.stderr
