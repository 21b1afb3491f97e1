"""Photos cleaned in place: where they were taken, and on which camera, out of the repository.

The site publishes only copies made from a picture's pixels (plugins/images.py),
but the file in content/ is committed to the public repository as it is, with
whatever the phone wrote into it. This rewrites that file with its metadata
taken out, losslessly (`rules.photo_metadata.cleaned`: the picture's own bytes
kept, the Orientation and colour profile kept), under a name of its own beside
it and renamed over it in one step, so nothing ever sees half a file. A file
that changes while it is read (an editor still copying it in) is left alone,
to be cleaned once it is whole.

Two ways in: `invoke clean-photos` cleans every picture in content/ and says
what it did; the preview (preview/rebuild.py) cleans a new or changed
picture in content/images/ that carries a location or a camera serial before
it builds, and says so in one line. The build refuses a picture still
carrying either (`rules.photo_metadata.check_private_metadata`), so CI
refuses a commit of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from engine.cache import partial_name
from rules.photo_metadata import (
    CHECKED,
    CLEANABLE,
    NotCleanable,
    cleaned,
    cleaned_message,
    not_cleaned_message,
    private_data,
    private_metadata,
)
from rules.sources import content_entries


@dataclass(frozen=True)
class Cleaning:
    """What cleaning the picture at `path` did: `said` for the editor; `written`, the
    file's (mtime, size) after it was rewritten, and `partial`, the name it was
    written under, so the preview can tell its own writes from an editor's."""

    path: Path
    said: str
    written: tuple[int, int]
    partial: Path


def clean_in_place(path: Path, rel: str) -> Cleaning | None:
    """Take the metadata out of the picture at `path` (`rel` names it); None when
    there was nothing to take out. NotCleanable if it cannot be done losslessly."""
    before = path.stat()
    data = path.read_bytes()
    new = cleaned(data, path.suffix)
    if new == data:
        return None
    found = private_data(data, path.suffix)
    partial = partial_name(path)
    try:
        with partial.open("xb") as file:
            file.write(new)
        partial.chmod(before.st_mode & 0o7777)
        now = path.stat()
        if (now.st_mtime_ns, now.st_size) != (before.st_mtime_ns, before.st_size):
            raise NotCleanable("it changed while it was being cleaned; it is cleaned once whole")
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    after = path.stat()
    return Cleaning(
        path,
        cleaned_message(rel, found),
        (after.st_mtime_ns, after.st_size),
        partial,
    )


def _name(content: Path, path: Path) -> str:
    return PurePosixPath(content.name, path.relative_to(content).as_posix()).as_posix()


def pictures_in(content: Path) -> list[Path]:
    """Every picture in `content` the rule reads (no symlinks, no hidden files)."""
    return [
        entry.path
        for entry in content_entries(content)
        if not entry.link
        and not any(part.startswith(".") for part in entry.parts)
        and entry.path.suffix.lower() in CHECKED
    ]


def clean_private(paths: Iterable[Path], content: Path) -> list[Cleaning]:
    """The preview's cleaning: each of `paths` that is a picture in content/images/
    carrying a location or a camera serial, cleaned; what was done to each."""
    images = content / "images"
    done = []
    for path in sorted(set(paths)):
        if (
            not path.is_relative_to(images)
            or path.suffix.lower() not in CLEANABLE
            or any(part.startswith(".") for part in path.relative_to(content).parts)
            or path.is_symlink()
            or not path.is_file()
        ):
            continue
        try:
            if not private_metadata(path):
                continue
            cleaning = clean_in_place(path, _name(content, path))
        except (OSError, NotCleanable):
            continue  # the build's rules say what is wrong with it
        if cleaning is not None:
            done.append(cleaning)
    return done


def clean_photos(content: Path) -> tuple[list[str], bool]:
    """`invoke clean-photos`: every picture in `content` cleaned. The lines to print,
    and whether every picture is now free of a location and a camera serial."""
    lines, cleaned_count, untouched, clear = [], 0, 0, True
    for path in pictures_in(content):
        rel = _name(content, path)
        try:
            cleaning = clean_in_place(path, rel)
        except (OSError, NotCleanable) as error:
            try:
                found = private_metadata(path)
            except OSError:
                found = ()
            if found:
                clear = False
                lines.append(not_cleaned_message(rel, found, error))
            else:
                untouched += 1
            continue
        if cleaning is None:
            untouched += 1
        else:
            cleaned_count += 1
            lines.append(cleaning.said)
    pictures = "picture" if cleaned_count == 1 else "pictures"
    lines.append(
        f"Cleaned {cleaned_count} {pictures} in {content.name}/; {untouched} had nothing to remove."
    )
    return lines, clear
