"""File names and slugs: they become web addresses, so lower case and hyphens only.

`content/My Article.md` would publish at `/My%20Article/`, and a picture saved
as `Quiet Room.JPG` must be linked as `{static}/images/Quiet Room.JPG`, which
Markdown does not read as a link at all (a space ends the address). Capitals
work on the editor's Mac or Windows computer, which does not tell `Quiet.jpg`
from `quiet.jpg`, and fail on the live site, which does. `name_problem` says
what is wrong with a name and `suggested_name` the name to use instead;
`file_name_message` says both to the editor, and `near_file` the name meant
when a link finds no file but one near it.
"""

from __future__ import annotations

import re
import unicodedata

# What a file name may hold: lower-case letters, digits, hyphens, underscores, dots.
GOOD_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def suggested_name(name: str) -> str:
    """`name` in lower case with hyphens: `Quiet Room.JPG` gives `quiet-room.jpg`."""
    stem, dot, suffix = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9_]+", "-", plain.lower()).strip("-_")
    return f"{words or 'picture'}{dot}{suffix.lower()}"


def name_problem(name: str) -> str | None:
    """What stops `name` from being a good web address ("has spaces and capitals"), or None."""
    if GOOD_NAME.match(name):
        return None
    found = []
    if " " in name:
        found.append("spaces")
    if any(c.isupper() for c in name):
        found.append("capitals")
    if re.search(r"[^A-Za-z0-9 ._-]", name):
        found.append("signs or accented letters")
    if not found:  # starts with a hyphen, underscore or dot
        found.append("a sign at the start")
    return "has " + " and ".join(found)


def file_name_message(name: str, wrong: str) -> str:
    """`the file name 'Quiet Room.JPG' has spaces and capitals; …rename it to quiet-room.jpg`."""
    return (
        f"the file name {name!r} {wrong}; file names become web addresses, so use lower "
        f"case and hyphens: rename it to {suggested_name(name)}."
    )


def near_file(found: tuple[str | None, str] | None, written: str, linked: str) -> str | None:
    """What to write when `written` (which names `linked`) finds no file but a file near
    it is the one meant (`found`, from `rules.sources.Lookups.near`), or None."""
    if found is None:
        return None
    folder, near = found
    head, _, name = linked.rpartition("/")
    if folder:
        up, _, _ = head.rpartition("/")
        head = f"{up}/{folder}" if up or head.startswith("/") else folder
    meant = written.replace(linked, f"{head}/{near}" if head or linked.startswith("/") else near, 1)
    if meant.casefold() == written.casefold():
        return f"the file is named {near!r}, and capitals count on the live site: write {meant!r}."
    if suggested_name(near) == name and not folder:
        return f"the file is still named {near!r}: rename it to {name}."
    return f"did you mean {meant!r}?"
