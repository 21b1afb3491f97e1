"""The build: strict, all problems at once, drafts never published, output kept on failure."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURE_ARTICLE as ARTICLE_SOURCE
from conftest import edit, run_build, run_invoke, snapshot

ARTICLE = ARTICLE_SOURCE


def test_a_second_build_replaces_the_first_and_leaves_no_staging_folders(built_copy):
    site, files = built_copy
    assert run_build(site).returncode == 0
    assert snapshot(site / "output") == files
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".output")) == []


def test_every_problem_is_listed_not_only_the_first(built_copy):
    site, before = built_copy
    edit(site / ARTICLE, "Date: 2026-11-25", "Date: 25/11/2026")
    edit(site / "content/pages/privacy.md", "Title: Privacy\n", "")
    result = run_build(site)
    assert result.returncode == 1
    assert "The build failed with 2 problems" in result.stderr
    assert "content/ketamine-for-migraine.md:2: Date '25/11/2026'" in result.stderr
    assert "content/pages/privacy.md:1: Title is missing" in result.stderr
    assert snapshot(site / "output") == before


def test_pelican_warnings_fail_the_build_and_are_all_listed(built_copy):
    site, before = built_copy
    # {filename} pointing at a static file is valid enough to render, so the
    # content rules let it pass, but Pelican warns: the build must still fail.
    edit(
        site / ARTICLE,
        "At Mind Balance,",
        "[Icon]({filename}/extra/favicon.svg).\n\nAt Mind Balance,",
    )
    edit(
        site / "content/pages/privacy.md",
        "## Links",
        "[Icon]({filename}/extra/favicon.svg).\n\n## Links",
    )
    result = run_build(site)
    assert result.returncode == 1
    warnings = [line for line in result.stderr.splitlines() if "Use {static} instead" in line]
    assert len(warnings) == 2, result.stderr
    assert snapshot(site / "output") == before


def test_a_template_error_fails_the_build_naming_the_template(built_copy):
    site, before = built_copy
    edit(
        site / "theme/templates/page.html",
        "{{ page.title_text }}</h1>",
        "{{ page.title_text|nosuchfilter }}</h1>",
    )
    result = run_build(site)
    assert result.returncode == 1
    assert "theme/templates/page.html:" in result.stderr, result.stderr
    assert "nosuchfilter" in result.stderr
    assert snapshot(site / "output") == before


def test_drafts_are_never_written(site_copy):
    draft = site_copy / "content/draft-article.md"
    draft.write_text(
        "Title: Not ready\nDate: 2026-11-20\nSlug: draft-article\n"
        "Summary: A draft that must stay private.\nCategory: Migraine\nStatus: draft\n\nNot ready yet.\n",
        encoding="utf-8",
    )
    result = run_build(site_copy, "--production", "--output", "out")
    assert result.returncode == 0, result.stderr
    built = snapshot(site_copy / "out")
    assert not [name for name in built if "draft" in name]
    assert all(
        b"Not ready" not in p.read_bytes() for p in (site_copy / "out").rglob("*") if p.is_file()
    )


def test_the_output_folder_is_readable_by_a_web_server(built_copy):
    site, _ = built_copy
    assert (site / "output").stat().st_mode & 0o005 == 0o005


def test_an_editor_can_start_preview_and_publish_a_new_article(site_copy):
    created = run_invoke(site_copy, "new", "Cluster Headache Basics")
    assert created.returncode == 0, created.stderr
    assert "/drafts/cluster-headache-basics/" in created.stdout
    draft = site_copy / "content/cluster-headache-basics.md"
    text = draft.read_text(encoding="utf-8")
    for key in ("Title", "Date", "Modified", "Slug", "Summary", "Category", "Tags"):
        assert f"\n{key}: " in f"\n{text}", key
    reviewed = re.search(r"^Reviewed: (\d{4})-(\d\d-\d\d)$", text, re.MULTILINE)
    next_review = re.search(r"^Next_review: (\d{4})-(\d\d-\d\d)$", text, re.MULTILINE)
    assert int(next_review[1]) == int(reviewed[1]) + 1  # a review a year ahead
    assert "Status: draft" in text and "\n## " in text

    # The draft is previewed, marked as such, and linked from nowhere.
    assert run_build(site_copy).returncode == 0
    preview = (site_copy / "output/drafts/cluster-headache-basics/index.html").read_text()
    assert "Draft: not published" in preview and 'content="noindex"' in preview
    for listing in ("index.html", "archives/index.html", "sitemap.xml"):
        assert "cluster-headache" not in (site_copy / "output" / listing).read_text(), listing
    result = run_build(site_copy, "--production", "--output", "prod")
    assert result.returncode == 0, result.stderr
    assert not [path for path in snapshot(site_copy / "prod") if "cluster" in path]

    # Publishing needs a real summary; the build says so, with file and line.
    edit(draft, "Status: draft\n", "")
    result = run_build(site_copy)
    assert result.returncode == 1
    assert result.stderr.count("content/cluster-headache-basics.md") == 1, result.stderr
    assert "content/cluster-headache-basics.md:5: Summary is still the placeholder" in result.stderr
    edit(draft, "Summary: One or two", "Summary: What cluster headache is. One or two")
    result = run_build(site_copy)
    assert result.returncode == 0, result.stderr
    assert (site_copy / "output/cluster-headache-basics/index.html").is_file()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Ketamine for migraine", "content/ketamine-for-migraine.md already exists"),
        ("Privacy", "content/pages/privacy.md is already published at /privacy/"),
        ("Tags", "/tags/ is where the site puts the list of tags"),
        ("Feeds", "/feeds/ is where the site puts the feed"),
        ("Page", "/page/ is where the site puts the later pages"),
        ("!!!", "gives an empty web address"),
        ("   ", "The title is empty"),
    ],
)
def test_a_new_article_never_overwrites_or_clashes(site_copy, title, message):
    before = snapshot(site_copy / "content")
    result = run_invoke(site_copy, "new", title)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert snapshot(site_copy / "content") == before
