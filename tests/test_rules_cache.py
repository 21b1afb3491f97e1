"""The content rules kept in the site cache say exactly what they say without it.

A build keeps what the rules found in each file on its own (its summary) and
the ids of pages that fragment links point at, in cache/site/ (rules/folder.py,
engine/cache.py). These tests run the real `invoke build` on a copy of
the site broken in every way the rule tests know at once: the list of problems
must be the same text, lines and order with the cache off, cold and warm, and
a warm build must notice an edit to a file, to a file it links to, and to a
setting. Every build here fails in the rules, so Pelican never runs.

The preview runs the same rules in one long-lived process after every save,
with what the cache holds kept in memory too (`engine.cache.held`) and the disk
looked up once per path in each run (`rules.sources.Lookups`, whose answers
tests/test_sources.py compares with pathlib's): the same problems, notices and
notes as with the cache off, nothing read again from disk, nothing a caller can
change for the next run, and every edit seen.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import test_addresses
import test_alt_text
import test_clock
import test_dates
import test_editor_mistakes
import test_metadata
import test_names
import test_photo_metadata
import test_raw_html
import test_reviews
import test_rules_body
import test_rules_components
import test_rules_files
import test_rules_pictures
import test_rules_site
import test_sources
from conftest import FIXTURE_ARTICLE as ARTICLE
from conftest import copy_site, edit, run_build
from PIL import Image
from rule_cases import OWN

from benchmarks.synthetic import write_articles
from commands.build import load_settings, run_rules
from engine import cache as site_cache
from rules.clock import today
from rules.folder import read_folder

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


# The tests whose cases are a new editor's mistakes (tests/rule_cases.py, `Mistake`).
EDITOR_MISTAKES = (
    test_addresses,
    test_names,
    test_rules_pictures,
    test_alt_text,
    test_dates,
    test_clock,
    test_editor_mistakes,
    test_sources,
)


def broken_everywhere(site: Path) -> None:
    """Apply every rule test's breakage that still applies after the others."""
    write_articles(site / "content", 12)
    (site / LINKING).write_text(LINKING_TEXT, encoding="utf-8")
    file_cases = (
        test_metadata,
        test_rules_files,
        test_photo_metadata,
        test_raw_html,
        test_rules_body,
        test_reviews,
        test_rules_components,
    )
    cases = [case[0] for module in file_cases for case in module.CASES.values()]
    cases += [case[0] for case in test_rules_site.FILE_CASES.values()]
    cases += [case[0] for case in test_rules_site.CASES.values()]
    for breaking in cases:
        try:
            breaking(site)
        except (AssertionError, OSError):
            continue  # an earlier case already changed the text this one edits
    # The editor's mistakes each write the same article of their own: keep each one.
    own = site / OWN
    mistakes = [case[0] for module in EDITOR_MISTAKES for case in module.CASES.values()]
    for number, breaking in enumerate(mistakes):
        breaking(site)
        if own.exists():
            own.rename(own.with_name(f"{own.stem}-{number}.md"))


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
        "is the preview's address on this computer",  # addresses, with the disk
        "capitals count on the live site",  # a name near a missing file
        "is also an Also_called name of",  # across files
        "is not a valid date: there is no day 0",  # dates
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


def rules_in_process(site: Path, *, cache: bool) -> list[list[str]]:
    """Problems, review notices and picture notes, as the preview's process gets them."""
    settings = load_settings(content=site / "content")
    settings = {**settings, "SITE_CACHE": cache, "CACHE_PATH": str(site / "cache")}
    site_cache.configure(settings)
    problems, notices, notes, _ = run_rules(settings, today(settings))
    return [[str(problem) for problem in found] for found in (problems, notices, notes)]


@pytest.fixture
def held_memory() -> None:
    """An empty memory before the test, and the cache configured as before after it."""
    site_cache.forget()
    yield
    site_cache.forget()
    site_cache.configure({})


def test_the_preview_process_gets_the_same_problems_from_memory(tmp_path, monkeypatch, held_memory):
    monkeypatch.setenv("SITE_TODAY", ENV["SITE_TODAY"])
    site = copy_site(tmp_path / "site")
    broken_everywhere(site)
    # A picture too narrow for sharp screens, shown twice: a note each time.
    Image.new("RGB", (300, 200), "#fbf9f4").save(site / "content/images/small.jpg")
    (site / "content/small-pictures.md").write_text(
        LINKING_TEXT.replace("links-to-the-article", "small-pictures").replace(
            "Links to the article", "Small pictures"
        )
        + "\n![A small picture]({static}/images/small.jpg)\n"
        + "\n![The same]({static}/images/small.jpg)\n",
        encoding="utf-8",
    )
    off = rules_in_process(site, cache=False)
    assert not site_cache.held_values(), "something was held while the cache was off"
    cold = rules_in_process(site, cache=True)
    assert kept(site, SUMMARIES) and kept(site, IDS)
    shutil.rmtree(site / "cache")
    warm = rules_in_process(site, cache=True)
    assert not (site / "cache").exists(), "a held entry was looked for on disk, or made again"
    assert cold == off
    assert warm == off
    problems, _, notes = off
    assert len(problems) > 60, "every family of problem"
    assert [note.split(": ")[0] for note in notes] == [
        "content/small-pictures.md:9",
        "content/small-pictures.md:11",
    ]
    # An edit between two runs in the same process is seen, and undone.
    linking = site / LINKING
    edit(linking, "Category: Clinic news", "Category: Clinic news\nColour: blue")
    colour = "content/links-to-the-article.md:6: unknown metadata key 'colour'"
    assert any(p.startswith(colour) for p in rules_in_process(site, cache=True)[0])
    edit(linking, "Category: Clinic news\nColour: blue", "Category: Clinic news")
    assert rules_in_process(site, cache=True) == off


def test_what_the_memory_holds_cannot_be_changed_by_a_caller(tmp_path, held_memory):
    site = copy_site(tmp_path / "site")
    write_articles(site / "content", 4)
    site_cache.configure({"SITE_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")})
    content = site / "content"
    first = read_folder(content, site_cache.held)
    assert site_cache.held_values(), "the summaries were held"
    for summary in first.summaries:  # a caller that changes what it was handed
        summary.problems.append(summary.problems[0] if summary.problems else None)
        summary.targets.clear()
        summary.source.meta["title"] = (1, "Changed")
    second = read_folder(content, site_cache.held)
    reference = read_folder(content)  # nothing kept: every file read afresh
    assert [s.to_json() for s in second.summaries] == [s.to_json() for s in reference.summaries]
    held = site_cache.held_values()[0]
    with pytest.raises(AttributeError):
        held.targets.append(None)
    with pytest.raises(TypeError):
        site_cache.freeze({"a": [1]})["a"] = 2
