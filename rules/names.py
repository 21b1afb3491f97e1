"""File names and slugs: they become web addresses, so lower case and hyphens only.

`content/My Article.md` would publish at `/My%20Article/`, and a picture saved
as `Quiet Room.JPG` must be linked as `{static}/images/Quiet Room.JPG`, which
Markdown does not read as a link at all (a space ends the address). Capitals
work on the editor's Mac or Windows computer, which does not tell `Quiet.jpg`
from `quiet.jpg`, and fail on the live site, which does. `name_problem` says
what is wrong with a name and `suggested_name` the name to use instead.
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
