"""Where `invoke test` runs: a copy of the checkout with the editors' test articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commands.editor_articles import (
    EDITOR_ARTICLES,
    PREFIX,
    ArticlesClash,
    add_editor_articles,
    copy_checkout,
    scratch_parent,
)


def test_the_test_articles_are_what_a_new_editor_writes_first():
    markdown = sorted(
        p.relative_to(EDITOR_ARTICLES).as_posix() for p in EDITOR_ARTICLES.rglob("*.md")
    )
    text = "\n".join((EDITOR_ARTICLES / name).read_text(encoding="utf-8") for name in markdown)
    assert any(name.startswith("pages/") for name in markdown)
    assert list(EDITOR_ARTICLES.glob("images/*.jpg"))
    for sign in ("{static}/images/", "Also_called:", "[^", "/// urgent", "/// emergency"):
        assert sign in text, sign
    assert "/// do\n" in text and "/// dont\n" in text
    assert any(line.count("|") >= 5 for line in text.splitlines()), "a table of four columns"


def test_no_name_or_address_of_the_test_articles_is_one_an_editor_would_choose():
    """Each file, slug and picture they name starts with PREFIX, so an editor's own
    `quiet-room.jpg` or `accessibility` page never meets one of them."""
    files = [p for p in EDITOR_ARTICLES.rglob("*") if p.is_file()]
    assert files and all(p.name.startswith(PREFIX) for p in files), files
    for path in EDITOR_ARTICLES.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        named = re.findall(r"^Slug: (.*)$|images/([^)\s]+)", text, flags=re.M)
        assert named, path
        for slug, picture in named:
            assert (slug or picture).startswith(PREFIX), (path.name, slug or picture)


def test_the_copy_holds_the_checkout_and_the_articles_and_leaves_out_what_was_built(tmp_path):
    root = tmp_path / "checkout"
    for name in ("content/a.md", "tasks.py", "output/index.html", "cache/x", ".git/HEAD"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    (root / "node_modules").mkdir()
    copy = copy_checkout(tmp_path / "copy", root=root)
    added = add_editor_articles(copy / "content")
    assert (copy / "content/a.md").is_file() and (copy / "tasks.py").is_file()
    assert not (copy / "output").exists() and not (copy / "cache").exists()
    assert not (copy / ".git").exists()
    assert (copy / "node_modules").resolve() == (root / "node_modules").resolve()
    assert {p.relative_to(copy / "content") for p in added} == {
        p.relative_to(EDITOR_ARTICLES) for p in EDITOR_ARTICLES.rglob("*") if p.is_file()
    }


def test_an_article_already_added_by_hand_is_no_clash_but_another_file_of_its_name_is(tmp_path):
    content = tmp_path / "content"
    first = add_editor_articles(content)
    assert add_editor_articles(content) == []  # the same files: nothing to add
    clash: Path = first[0]
    clash.write_text("An editor's own file of the same name.\n", encoding="utf-8")
    with pytest.raises(ArticlesClash, match=f"{clash.name} already exists"):
        add_editor_articles(content)


def test_the_scratch_folder_is_in_memory_only_where_a_run_fits(tmp_path, monkeypatch):
    from commands import editor_articles

    monkeypatch.setattr(editor_articles, "IN_MEMORY", tmp_path)
    monkeypatch.setattr(editor_articles, "ROOM_FOR_A_RUN", 0)
    assert scratch_parent() == str(tmp_path)
    monkeypatch.setattr(editor_articles, "ROOM_FOR_A_RUN", 1 << 60)
    assert scratch_parent() is None, "a run was sent where it does not fit"
    monkeypatch.setattr(editor_articles, "IN_MEMORY", tmp_path / "no such folder")
    assert scratch_parent() is None
