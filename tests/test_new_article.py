"""commands/new_article.py: `invoke new "Title"` starts a complete draft an editor can preview and publish."""

from __future__ import annotations

import re

import pytest
from conftest import edit, run_build, run_invoke, snapshot


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
