"""The editors' test articles: `invoke test` runs every check with them added.

The suite's checks of the real site (`pytest -m content`) must pass whatever
editors write, as long as the build's rules accept it. `tests/data/editor-articles/`
holds what a new editor writes first: a health article with a photo, care cards,
a do and don't list, a table, a footnote and `Also_called` names; an article
with a wide table, a share picture and every other component; a page with a
table. `invoke test` copies the checkout into a scratch folder, adds those files
to its `content/`, and runs the whole suite there, so the checks of the real
site prove that content like theirs goes live by the rules alone.

Every one of those files, and every address they take, starts with
`editors-test-`, so an editor's own `quiet-room.jpg` (the name docs/editing.md
uses) or `accessibility` page sits beside them; a file of content/ with the very
same name stops `invoke test` with ArticlesClash, saying which.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from commands.build import ROOT
from engine.cache import IN_MEMORY, in_memory

EDITOR_ARTICLES = ROOT / "tests" / "data" / "editor-articles"
# Not copied: history, what the checkout installed or built, and what it caches.
# The copy links to the checkout's installed checkers instead.
LEFT_OUT = (".git", ".venv", "node_modules", "output*", ".output.*", "cache", "__pycache__")
LEFT_OUT += (".pytest_cache", ".ruff_cache")
SHARED = ("node_modules",)
# What every editors' test file's name and address starts with (see above).
PREFIX = "editors-test-"


class ArticlesClash(Exception):
    """An editor article has the same path as a file already in content/."""


def copy_checkout(copy: Path, root: Path = ROOT) -> Path:
    """Copy the checkout as it is now (saved, not only committed) into the new folder `copy`."""
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns(*LEFT_OUT), symlinks=True)
    for name in SHARED:
        if (root / name).exists():
            (copy / name).symlink_to(root / name)
    return copy


def add_editor_articles(content: Path, articles: Path = EDITOR_ARTICLES) -> list[Path]:
    """Copy every file of `articles` into `content`, keeping their folders; return the new ones."""
    added = []
    for source in sorted(p for p in articles.rglob("*") if p.is_file()):
        target = content / source.relative_to(articles)
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue  # already added to content/ by hand: the same file, checked once
        if target.exists():
            raise ArticlesClash(
                f"{target.relative_to(content.parent)} already exists; the editors' test "
                f"article {source.relative_to(ROOT)} has the same name. Rename one of them."
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        added.append(target)
    return added


# A run of the suite writes some 80,000 files (750 MB): site copies, builds and
# caches. Deleting them from this machine's virtual disk takes about 40 seconds,
# from memory about one. So the scratch folder is in Linux's shared-memory
# filesystem (tmpfs, in RAM) when it has room for a run, else in the system's
# temporary folder.
ROOM_FOR_A_RUN = 4 * 1024**3


def scratch_parent() -> str | None:
    """The folder the suite's scratch files go in: IN_MEMORY if it has room, else the
    system's temporary folder (None, for `tempfile`)."""
    # Some tests run programs they write there (a pretend browser).
    return in_memory(ROOM_FOR_A_RUN, runs_programs=True, folder=IN_MEMORY)


@contextlib.contextmanager
def checkout_with_editor_articles() -> Iterator[Path]:
    """A scratch copy of this checkout with the editors' test articles in its content/,
    in a scratch folder (`scratch_parent`) that the run's own files can share and that is
    deleted afterwards."""
    with tempfile.TemporaryDirectory(
        prefix="mindbalance-editors-", dir=scratch_parent()
    ) as scratch:
        copy = copy_checkout(Path(scratch) / "site")
        add_editor_articles(copy / "content")
        yield copy
