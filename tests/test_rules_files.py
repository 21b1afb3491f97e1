"""The build refuses files content/ cannot hold (rules/files.py): empty, not
UTF-8 or too large, symlinks, types the site does not read or publish, and
two sources, or a source and the site, writing one address.

Each case goes through the real build on a copy (tests/rule_cases.py): exit 1,
`file:line` with what to do, output/ untouched.
"""

from __future__ import annotations

import pytest
from conftest import run_build
from rule_cases import ARTICLE, GOOD_PAGE, A, Case, assert_case_refused, symlink, write

CASES: dict[str, Case] = {
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
    "a document in images/": (
        write("content/images/chart.pdf", b"%PDF-1.4\n"),
        ["content/images/chart.pdf: .pdf is not an image type the site publishes"],
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
    "Markdown over 1 MB": (
        write(
            "content/pages/huge.md",
            GOOD_PAGE.format(slug="huge", extra="") + "Words and more words.\n" * 50_000,
        ),
        ["content/pages/huge.md: the file is 1,100,0", "over the 1,000,000-byte limit"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_fails_the_build_with_a_clear_message(built_copy, case):
    assert_case_refused(built_copy, CASES[case])


def test_hidden_files_are_never_read_or_published(built_copy):
    site, _ = built_copy
    text = (site / ARTICLE).read_text(encoding="utf-8")
    (site / "content/.unfinished.md").write_text(
        text.replace("Slug: ketamine-for-migraine", "Slug: .unfinished"), encoding="utf-8"
    )
    result = run_build(site)
    assert result.returncode == 0, result.stderr
    assert not [p for p in (site / "output").rglob("*") if "unfinished" in p.name]
