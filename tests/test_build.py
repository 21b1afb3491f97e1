"""The build: strict, all problems at once, drafts never published, output kept on failure."""

from __future__ import annotations

from conftest import FIXTURE_ARTICLE as ARTICLE_SOURCE
from conftest import edit, run_build, snapshot

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
