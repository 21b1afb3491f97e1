"""rules/sources.py: the content as the rules read it.

The metadata lines as an editor writes them wrongly (a key in quotes, without
its colon, with a space for its underscore; a blank line or `---` before the
metadata): each case writes the test's own article into a copy of a built site
and the build names each mistake once (tests/rule_cases.py,
`assert_named_once`). `Lookups`, what the rules ask the disk once per path,
answers as `Path.resolve`, `is_file` and `relative_to` do, symlinks and all;
the walk of content/ finds what sorted `rglob` finds, in its order.
"""

from __future__ import annotations

import pytest
from rule_cases import MINE, Mistake, article, assert_named_once

from rules.sources import Lookups, below, iter_content_files, resolve_static

CASES: dict[str, Mistake] = {
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
    assert_named_once(built_copy, CASES[case])


def test_lookups_answer_as_pathlib_does(tmp_path):
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "a.md").write_text("a", encoding="utf-8")
    (content / "pages" / "b.md").write_text("b", encoding="utf-8")
    (content / "images" / "p.jpg").write_bytes(b"not a picture")
    (content / "link.md").symlink_to("a.md")
    (content / "pages-link").symlink_to("pages")
    (content / "dangling.md").symlink_to("nowhere.md")
    (content / "up").symlink_to("..")
    (content / "loop").symlink_to("loop")
    names = [
        *("a.md", "/a.md", "link.md", "../a.md", "./a.md", "pages//b.md", "pages-link/b.md"),
        *("pages-link/../a.md", "dangling.md", "up/content/a.md", "missing.md", "a.md/x"),
        *("images/", "images/./p.jpg", "/images/p.jpg", "", "/", "..", "."),
    ]
    lookups = Lookups()
    for _ in range(2):  # asked again, from what it holds
        for folder in (content, content / "pages", content / "pages-link", tmp_path):
            for name in names:
                expected = resolve_static(content, folder, name)
                found = lookups.static(content, folder, name)
                assert found == str(expected), (folder, name)
                assert lookups.is_file(found) == expected.is_file(), (folder, name)
                for root in (content, content / "images"):
                    relative = below(found, str(root.resolve()))
                    if expected.is_relative_to(root.resolve()):
                        assert relative == str(expected.relative_to(root.resolve()))
                    else:
                        assert relative is None
    with pytest.raises(RuntimeError, match="Symlink loop"):
        resolve_static(content, content, "loop")
    with pytest.raises(RuntimeError, match="Symlink loop"):
        lookups.static(content, content, "loop")


def test_the_walk_finds_what_rglob_finds_in_the_same_order(tmp_path):
    content = tmp_path / "content"
    for name in ("a/x.md", "a-b/x.md", "a.md", ".hidden/y.md", "B.md", "pages/deep/z.md"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("x", encoding="utf-8")
    (content / "empty").mkdir()
    (content / "linked-folder").symlink_to("pages")
    (content / "linked.md").symlink_to("a.md")
    (content / "dangling.md").symlink_to("nowhere.md")
    expected = [p for p in sorted(content.rglob("*")) if p.is_symlink() or p.is_file()]
    assert list(iter_content_files(content)) == expected
    assert [str(p) for p in iter_content_files(content)] == [str(p) for p in expected]
