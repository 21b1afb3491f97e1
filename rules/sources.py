"""The content as the rules read it: each file, where it is, and what is wrong.

`Problem` (`path:line: message`) is what every rule returns; `Source` a
Markdown file split into its metadata (`Key: value` lines, the keys this site
reads) and its body. The walk of content/ finds every file in a stable order;
`Lookups` answers what the rules ask the disk, once per path in one run.
"""

from __future__ import annotations

import difflib
import errno
import functools
import os
import re
import stat
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple, TypeVar

from rules.names import suggested_name

T = TypeVar("T")

# `cached(step, key, compute, decode)`: compute(), or `decode` of the JSON value
# kept for `step` and `key` (default: the value frozen, lists as tuples). Keys
# hold the input's bytes and every setting the step reads; the keeper adds the
# code that shapes the step (`engine.cache.held`, `engine.cache.SHAPED_BY`).
# The build passes the site's cache; the rules' own default keeps nothing.
Cached = Callable[..., Any]


def compute(step: str, key: str, work: Callable[[], Any], decode: Any = None) -> Any:
    """Nothing kept: every file read afresh."""
    return work()


@dataclass(frozen=True)
class MetaKey:
    """A metadata key an editor may write, and how to check its value."""

    name: str  # as written in README, e.g. "Next_review"
    kind: str = "text"  # text | date | list | status | slug | image
    required_for: frozenset[str] = frozenset()  # {"article", "page"}


KNOWN_KEYS: dict[str, MetaKey] = {
    key.name.lower(): key
    for key in (
        MetaKey("Title", required_for=frozenset({"article", "page"})),
        MetaKey("Date", "date", frozenset({"article"})),
        MetaKey("Modified", "date", frozenset({"page"})),
        MetaKey("Slug", "slug", frozenset({"article", "page"})),
        MetaKey("Summary", required_for=frozenset({"article", "page"})),
        MetaKey("Authors", "list"),
        MetaKey("Category", required_for=frozenset({"article"})),
        MetaKey("Tags", "list"),
        MetaKey("Status", "status"),
        MetaKey("Reviewed", "date"),
        MetaKey("Next_review", "date"),
        MetaKey("Reviewer"),
        MetaKey("About"),
        MetaKey("Mentions", "list"),
        # Other names for the subject (a brand name): extra A to Z entries.
        MetaKey("Also_called", "list"),
        # A picture in content/images/ for the share card instead of the drawn one.
        MetaKey("Share_image", "image"),
        # The language the file is written in (default: DEFAULT_LANG); a translation
        # also takes its original's Slug (rules/translations.py).
        MetaKey("Lang"),
        # For special pages only (the 404 page): where Pelican writes them.
        MetaKey("Template"),
        MetaKey("Save_as"),
        MetaKey("URL"),
    )
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, where it is, and what to do.

    `line` 0 names the whole file; an empty `path` the build as a whole (a
    setting, a message from Pelican)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Source:
    """A Markdown file split into its metadata block and its body."""

    path: Path
    rel: str
    kind: str  # "article" or "page"
    meta: dict[str, tuple[int, str]] = field(default_factory=dict)
    body: list[tuple[int, str]] = field(default_factory=list)


METADATA_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$")
# `“Tags”: migraine`: a key in quotes, straight or curly.
QUOTED_KEY = re.compile(r"^[\"'“”‘’]+([A-Za-z][A-Za-z0-9_-]*)[\"'“”‘’]+\s*:\s?(.*)$")
# `Next review: 2027-11-25`: a key of two words written with a space for the underscore.
SPACED_KEY = re.compile(r"^([A-Za-z]+(?:[ \t]+[A-Za-z]+)+)\s*:\s?(.*)$")
# `Title Sleep and migraine`, `Title - Sleep`, `Title = Sleep`: a known key without its colon.
NO_COLON = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)(?:\s*[=;,.–—-]\s*|\s+)(.*)$")


def parse_source(path: Path, rel: str, kind: str, text: str) -> tuple[Source, list[Problem]]:
    """Split Markdown into metadata (`Key: value` lines up to a blank line) and body.

    A line that is not `Key: value` is a problem. When it is a known key in
    quotes or without its colon, its value is read all the same, and when the
    next line is a known key the metadata goes on: one broken line is one
    problem, not a second one for every key after it said to be missing."""
    source = Source(path, rel, kind)
    problems: list[Problem] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index and index < len(lines) and _known_key(lines[index]):
        # Pelican would read no metadata at all: say so once, then read it for the other rules.
        problems.append(
            Problem(
                rel,
                1,
                "the file starts with a blank line, so the metadata under it is not read; "
                "delete the blank lines at the top (metadata starts on the first line).",
            )
        )
    else:
        index = 0
    fence_said = False
    while index < len(lines) and lines[index].strip():
        number, line = index + 1, lines[index]
        match = METADATA_LINE.match(line)
        if match is None and line.strip() in ("---", "..."):
            # YAML front matter, as other site builders and note apps write it.
            if not fence_said:
                problems.append(
                    Problem(
                        rel,
                        number,
                        f"`{line.strip()}` lines around the metadata are for other tools; "
                        "delete them: the metadata starts on the first line and ends at "
                        "the first blank line.",
                    )
                )
                fence_said = True
            index += 1
            continue
        if match is None:
            if line.startswith((" ", "\t")) and source.meta:
                # A continuation of the previous value: one value, joined by a space.
                last = list(source.meta)[-1]
                first_line, value = source.meta[last]
                source.meta[last] = (first_line, f"{value} {line.strip()}")
                index += 1
                continue
            more = _known_key(lines[index + 1] if index + 1 < len(lines) else "")
            message, match = _not_metadata(line, more)
            problems.append(Problem(rel, number, message))
            if match is None:
                if not more:
                    break
                index += 1
                continue
        key = match.group(1).lower()
        if key in source.meta:
            problems.append(Problem(rel, number, f"{match.group(1)} is given twice; keep one."))
        source.meta[key] = (number, match.group(2).strip())
        index += 1
    source.body = [(number + 1, line) for number, line in enumerate(lines) if number > index]
    # A misspelt key (`Tilte`) is said once, as unknown; its value stands for the key it
    # was meant to be, so that key is not also said to be missing.
    for key, (line, value) in list(source.meta.items()):
        meant = meant_key(key)
        if key not in KNOWN_KEYS and meant and meant not in source.meta:
            source.meta[meant] = (line, value)
    return source, problems


@functools.lru_cache(maxsize=256)
def meant_key(key: str) -> str | None:
    """The known key an unknown `key` (lower case) is a slip away from, or None."""
    close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
    return close[0] if close else None


def _known_key(line: str) -> bool:
    """Whether `line` is `Key: value` with a key this site reads."""
    match = METADATA_LINE.match(line)
    return match is not None and match.group(1).lower() in KNOWN_KEYS


def _not_metadata(line: str, more: bool) -> tuple[str, re.Match | None]:
    """What is wrong with a metadata line that is not `Key: value`, and the key and value
    it was meant to give, when that is plain. `more`: a known key follows on the next
    line, so this line is inside the metadata (and not the article's first line, which
    may well start with "About")."""
    quoted_key = QUOTED_KEY.match(line.strip())
    if quoted_key and quoted_key.group(1).lower() in KNOWN_KEYS:
        name = KNOWN_KEYS[quoted_key.group(1).lower()].name
        return (
            f"the key {name} is in quotes; write it without them: "
            f"`{name}: {quoted_key.group(2).strip()}`.",
            quoted_key,
        )
    spaced_key = SPACED_KEY.match(line.strip())
    if spaced_key:
        meant = "_".join(spaced_key.group(1).lower().split())
        if meant in KNOWN_KEYS:
            name = KNOWN_KEYS[meant].name
            written = spaced_key.group(1)
            value = spaced_key.group(2).strip()
            return (
                f"{written!r} is written with a space; the key is {name}: write `{name}: {value}`.",
                re.match(r"^(\S+)\s*:\s?(.*)$", f"{name}: {value}"),
            )
    no_colon = NO_COLON.match(line.strip()) if more else None
    if no_colon and no_colon.group(1).lower() in KNOWN_KEYS:
        name = KNOWN_KEYS[no_colon.group(1).lower()].name
        return (
            f"there is no colon after {name}; write `{name}: {no_colon.group(2).strip()}`.",
            no_colon,
        )
    return (
        f"this line is not `Key: value` metadata: {line.strip()!r}. "
        "Metadata is one `Key: value` per line at the top of the file, "
        "then one blank line, then the article.",
        None,
    )


def iter_content_files(content: Path) -> Iterator[Path]:
    """Every file and symlink under content/, in a stable order."""
    return iter([entry.path for entry in content_entries(content)])


class ContentFile(NamedTuple):
    """A file or symlink under content/, as the walk found it."""

    path: Path
    parts: tuple[str, ...]  # its path from content/: ("pages", "privacy.md")
    link: bool  # a symlink (never followed)


def content_entries(content: Path) -> list[ContentFile]:
    """Every file and symlink under content/, in a stable order.

    What `sorted(content.rglob("*"))` filtered by `is_symlink() or is_file()`
    gives (folders behind a symlink are not entered; one that cannot be read
    is passed over), with the one `os.scandir` the walk needs per folder and
    what it already knows about each entry."""
    found: list[ContentFile] = []

    def walk(folder: Path, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except PermissionError:
            return
        for entry in entries:
            path = folder / entry.name
            link = entry.is_symlink()
            if link or entry.is_file():
                found.append(ContentFile(path, (*parts, entry.name), link))
            try:
                inside = entry.is_dir(follow_symlinks=False)
            except OSError as error:
                if error.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
                    raise
                inside = False
            if inside:
                walk(path, (*parts, entry.name))

    if content.is_dir():
        walk(content, ())
    # Path orders by its parts, and all of these start with content's.
    found.sort(key=lambda entry: entry.parts)
    return found


def relative_name(content: Path, path: Path) -> str:
    """How messages name a file: `content/pages/privacy.md`."""
    return str(PurePosixPath(content.name, *path.relative_to(content).parts))


def kind_of(content: Path, path: Path) -> str:
    """Files under content/pages/ are pages; every other Markdown file is an article."""
    return "page" if path.relative_to(content).parts[0] == "pages" else "article"


def iter_markdown_sources(content: Path) -> Iterator[Source]:
    """Every readable Markdown file, parsed. Unreadable ones are skipped here:
    `check_content` reports them."""
    for path in iter_content_files(content):
        parts = path.relative_to(content).parts
        if (
            path.is_symlink()
            or path.suffix.lower() != ".md"
            or any(p.startswith(".") for p in parts)
        ):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        source, _ = parse_source(
            path, relative_name(content, path), kind_of(content, path), text.lstrip("\ufeff")
        )
        yield source


def markdown_lines(body: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Body lines outside fenced code, with inline code spans blanked out."""
    fence: str | None = None
    for number, line in body:
        stripped = line.lstrip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        yield number, re.sub(r"`+[^`]*`+", lambda m: " " * len(m.group(0)), line)


def joined(lines: list[tuple[int, str]]) -> str:
    """The lines as one text from the first one on; skipped lines (code) stay as blank lines,
    so an offset in the text still gives the right line number."""
    first = lines[0][0]
    text = [""] * (lines[-1][0] - first + 1)
    for number, line in lines:
        text[number - first] = line
    return "\n".join(text)


def resolve_link(source: Source, content: Path, linked: str) -> Path:
    """The file a `{filename}`/`{static}` path names: from content/ when it starts
    with a slash, else from the linking file's folder."""
    return resolve_static(content, source.path.parent, linked)


def resolve_static(content: Path, folder: Path, linked: str) -> Path:
    """The file a `{static}` path names: from content/ when it starts with a
    slash, else from `folder` (the linking file's folder)."""
    base = content if linked.startswith("/") else folder
    return (base / linked.lstrip("/")).resolve()


class Lookups:
    """What the rules ask the disk, asked once per path during one run of the rules.

    Thousands of links name a few hundred files in a handful of folders, and
    `Path.resolve()` walks every folder of every path with a system call each.
    Here each distinct folder is resolved once, each file stat-ed once and
    each picture's header read once. An object lives for one run only
    (rules/folder.py keeps one on each `Folder`), so an edit made between two
    builds is always seen. Each answer is the one `Path.resolve()` and
    `Path.is_file()` give (and, through `remember`, rules/pictures.py's
    `image_problem` and `raster_size`), a symlink loop included (tests/test_rules_cache.py compares them). Paths are strings
    (`os.path`, hence the PTH exemptions below): at a few microseconds a
    `Path` costs more to make than the lookup it stands for.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._resolved: dict[str, str] = {}
        self._stats: dict[str, os.stat_result | OSError] = {}
        self._remembered: dict[tuple[str, Hashable], object] = {}
        self._images: dict[str, str] = {}
        self._linked: dict[tuple[str, str], str] = {}
        self._parents: dict[Path, str] = {}
        self._listings: dict[str, list[str]] = {}

    def static(self, content: Path, folder: Path | str, linked: str) -> str:
        """`resolve_static(content, folder, linked)`, as a string."""
        base = os.fspath(content if linked.startswith("/") else folder)
        found = self._linked.get((base, linked))
        if found is None:
            joined = os.path.join(base, linked.lstrip("/"))  # noqa: PTH118 (see above)
            found = self._linked[base, linked] = self.real(joined)
        return found

    def images(self, content: Path) -> str:
        """`(content / "images").resolve()`, as a string."""
        key = os.fspath(content)
        if key not in self._images:
            self._images[key] = self.real(Path(content) / "images")
        return self._images[key]

    def beside(self, content: Path, source: Source, linked: str) -> str:
        """`resolve_link(source, content, linked)`, as a string."""
        folder = self._parents.get(source.path)
        if folder is None:
            folder = self._parents[source.path] = os.fspath(source.path.parent)
        return self.static(content, folder, linked)

    def real(self, path: str | Path) -> str:
        """`Path(path).resolve()`, as a string."""
        joined = os.fspath(path)
        found = self._resolved.get(joined)
        if found is not None:
            return found
        head, tail = os.path.split(joined)
        if tail in ("", ".", ".."):
            found = os.path.realpath(joined)
        else:
            # realpath resolves a path folder by folder: the folders once here,
            # then the last name, which is resolved further only if it is a link.
            if head not in self._folders:
                self._folders[head] = os.path.realpath(head)
            found = os.path.join(self._folders[head], tail)  # noqa: PTH118 (see above)
            try:
                status: os.stat_result | OSError = os.lstat(found)
            except OSError as error:
                status = error  # as realpath: a name that is not there stays as written
            if isinstance(status, os.stat_result) and stat.S_ISLNK(status.st_mode):
                found = os.path.realpath(found)
            else:
                # Not a link: stat() would say what lstat() said, error or not.
                self._stats.setdefault(found, status)
        # Path.resolve() stats what it found so that a symlink loop raises.
        result = self.stat(found)
        if isinstance(result, OSError) and result.errno == errno.ELOOP:
            raise RuntimeError(f"Symlink loop from {Path(found)!r}")
        self._resolved[joined] = found
        return found

    def stat(self, path: str) -> os.stat_result | OSError:
        """`os.stat(path)`, or the error it raised."""
        if path not in self._stats:
            try:
                self._stats[path] = os.stat(path)  # noqa: PTH116 (see above)
            except OSError as error:
                self._stats[path] = error
        return self._stats[path]

    def near(self, path: str) -> tuple[str | None, str] | None:
        """The file beside `path` (which is not there) that it probably meant, as (the
        folder's name when that is misspelt too, else None; the file's name): the same
        name in other capitals, with `.md` added, in lower case with hyphens, or a letter
        or two away; None when there is none."""
        folder, name = os.path.split(path)
        if os.path.isdir(folder):  # noqa: PTH112
            found = self._near_name(folder, name, self.is_file)
            return (None, found) if found else None
        parent, wrong = os.path.split(folder)
        if not os.path.isdir(parent):  # noqa: PTH112
            return None
        meant = self._near_name(parent, wrong, os.path.isdir)
        found = meant and self._near_name(os.path.join(parent, meant), name, self.is_file)  # noqa: PTH118
        return (meant, found) if found else None

    def _near_name(self, folder: str, name: str, kind: Callable[[str], bool]) -> str | None:
        if folder not in self._listings:
            try:
                self._listings[folder] = sorted(os.listdir(folder))  # noqa: PTH208
            except OSError:
                self._listings[folder] = []
        names = [n for n in self._listings[folder] if kind(os.path.join(folder, n))]  # noqa: PTH118
        # Nearest first: other capitals, `.md` left out, then the name it would have renamed.
        for same in (
            lambda found: found.casefold() == name.casefold(),
            lambda found: found.casefold() == f"{name}.md".casefold(),
            lambda found: suggested_name(found) in (name, suggested_name(name)),
        ):
            for found in names:
                if same(found):
                    return found
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.8)
        return close[0] if close else None

    def is_file(self, path: str) -> bool:
        """`Path(path).is_file()`."""
        result = self.stat(path)
        if isinstance(result, OSError):
            if result.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
                return False
            raise result
        return stat.S_ISREG(result.st_mode)

    def remember(self, kind: str, key: Hashable, work: Callable[[], T]) -> T:
        """`work()`, worked out once for `kind` and `key` during this run (an
        error is raised each time, never kept): how rules/pictures.py asks for a
        picture's problem and size once per path."""
        found = self._remembered.get((kind, key), self)
        if found is self:
            found = self._remembered[kind, key] = work()
        return found


def below(path: str, folder: str) -> str | None:
    """`path` relative to `folder` (both resolved) as `Path.relative_to` names it, or None."""
    if path == folder:
        return "."
    prefix = folder.rstrip(os.sep) + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else None


def suffix(path: str) -> str:
    """`Path(path).suffix`."""
    name = path.rsplit(os.sep, 1)[-1]
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def is_draft(source: Source) -> bool:
    return source.meta.get("status", (0, ""))[1].lower() == "draft"
