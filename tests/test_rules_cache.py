"""The content rules kept in the site cache say exactly what they say without it.

A build keeps what the rules found in each file on its own (its summary) and
the ids of pages that fragment links point at, in cache/site/ (rules/folder.py,
plugins/build_cache.py). These tests run the real `invoke build` on a copy of
the site broken in every way the rule tests know at once: the list of problems
must be the same text, lines and order with the cache off, cold and warm, and
a warm build must notice an edit to a file, to a file it links to, and to a
setting. Every build here fails in the rules, so Pelican never runs.
"""

from __future__ import annotations

from pathlib import Path

import test_content_rules
import test_site_rules
from conftest import edit, run_build
from expected import ARTICLE_SOURCE as ARTICLE

from benchmarks.synthetic import copy_site, write_articles

# The clock the scheduled-article cases need.
ENV = {"SITE_TODAY": "2027-01-14"}
SUMMARIES = Path("cache/site/rules-summary")
IDS = Path("cache/site/rules-ids")
LINKING = "content/links-to-the-article.md"
LINKING_TEXT = """\
Title: Links to the article
Date: 2026-11-20
Slug: links-to-the-article
Summary: A page that links to a heading of the article.
Category: Clinic news

Read [about nausea]({filename}ketamine-for-migraine.md#migraine-and-nausea).
"""


def broken_everywhere(site: Path) -> None:
    """Apply every rule test's breakage that still applies after the others."""
    write_articles(site / "content", 12)
    (site / LINKING).write_text(LINKING_TEXT, encoding="utf-8")
    cases = [case[0] for case in test_content_rules.CASES.values()]
    cases += [case[0] for case in test_site_rules.CASES.values()]
    for breaking in cases:
        try:
            breaking(site)
        except (AssertionError, OSError):
            continue  # an earlier case already changed the text this one edits


def problems(site: Path) -> str:
    """The build's whole message; it must fail in the rules."""
    result = run_build(site, env=ENV)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("The build failed with"), result.stderr
    return result.stderr


def kept(site: Path, step: Path) -> dict[str, int]:
    """Every cache entry of a step and when it was written."""
    return {
        path.relative_to(site).as_posix(): path.stat().st_mtime_ns
        for path in sorted((site / step).rglob("*"))
        if path.is_file()
    }


def test_problems_are_the_same_with_the_cache_off_cold_and_warm(tmp_path):
    site = copy_site(tmp_path / "site")
    broken_everywhere(site)
    settings = site / "pelicanconf.py"
    edit(settings, "SITE_CACHE = True", "SITE_CACHE = False")
    off = problems(site)
    assert not (site / SUMMARIES).exists(), "the cache was written while off"
    edit(settings, "SITE_CACHE = False", "SITE_CACHE = True")
    cold = problems(site)
    entries = kept(site, SUMMARIES)
    ids = kept(site, IDS)
    content = site / "content"
    markdown = [
        path
        for path in content.rglob("*.md")
        if not path.is_symlink()
        and not any(part.startswith(".") for part in path.relative_to(content).parts)
    ]
    assert len(entries) == len(markdown), "one summary kept for every Markdown file"
    assert ids, "the linked page's ids were kept"
    warm = problems(site)
    assert kept(site, SUMMARIES) == entries, "a warm build made a summary again"
    assert kept(site, IDS) == ids
    assert cold == off
    assert warm == off
    # Cases written for a fresh article move each other's lines and hide some of
    # each other's problems; one of each family of rules must be there.
    for family in (
        "unknown metadata key 'categroy'",  # the file alone
        "points at a file that does not exist (looked for content/gone.md)",  # on disk
        "links to content/next-steps.md, which is a draft",  # across files
        "content/migraine-diary.md:12: the link to #nausea finds no such place",  # ids
        "content/pages/category.md:2: would be published at /category/",  # addresses
        "content/pages/huge.md: the file is 1,100,0",  # reading
        "content/opening-hours.md:6: Reviewed is given without Next_review",  # review dates
        "content/more: symlinks are not allowed",  # the folder
    ):
        assert family in off, family
    assert off.count("\n") > 60, off


def test_a_warm_build_sees_an_edited_file_a_linked_file_and_a_setting(tmp_path):
    site = copy_site(tmp_path / "site")
    write_articles(site / "content", 8)
    (site / LINKING).write_text(LINKING_TEXT, encoding="utf-8")
    # One problem that stays, so that every build stops in the rules.
    (site / "content/notes.txt").write_text("A note.\n", encoding="utf-8")
    before = problems(site)
    assert "content/notes.txt: the site only reads Markdown" in before
    assert "links-to-the-article.md" not in before
    # An edit to the file itself.
    linking = site / LINKING
    edit(linking, "Category: Clinic news", "Category: Clinic news\nColour: blue")
    after = problems(site)
    assert "content/links-to-the-article.md:6: unknown metadata key 'colour'" in after
    # An edit to the file it links to: the heading it names is renamed.
    edit(site / ARTICLE, "## Migraine and Nausea", "## Nausea")
    assert "content/links-to-the-article.md:8: the link to #migraine-and-nausea finds no" in (
        problems(site)
    )
    edit(site / ARTICLE, "## Nausea", "## Migraine and Nausea")
    assert "links-to-the-article.md:8: the link to #migraine" not in problems(site)
    # A file it links to disappears, and comes back.
    target = site / "content/synthetic-article-0001.md"
    text = target.read_text(encoding="utf-8")
    edit(
        linking,
        "Read [about",
        "See [the next one]({filename}synthetic-article-0001.md).\n\nRead [about",
    )
    assert "synthetic-article-0001.md' points at" not in problems(site)
    target.unlink()
    assert "content/links-to-the-article.md:8: '{filename}synthetic-article-0001.md' points at" in (
        problems(site)
    )
    target.write_text(text, encoding="utf-8")
    # A setting the rules read: the Markdown settings give headings other ids.
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(
            '\nMARKDOWN["extension_configs"]["markdown.extensions.toc"]["separator"] = "_"\n'
        )
    assert "content/links-to-the-article.md:10: the link to #migraine-and-nausea finds no" in (
        problems(site)
    )
