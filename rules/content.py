"""The content rules: everything an editor can get wrong, found before Pelican runs.

Pelican skips or silently publishes most bad input. These rules read every file
under content/ and return every problem at once, each as `path:line: message`
with what to do about it. `commands.build` refuses to build while any
problem remains, so nothing already built or published is touched.
"""

from __future__ import annotations

import difflib
import errno
import functools
import html
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import NamedTuple
from urllib.parse import unquote

from rules.addresses import address_problem
from rules.alt_text import alt_text_problem
from rules.components import check_blocks
from rules.dates import date_problem
from rules.names import name_problem, suggested_name

# What `invoke new` writes as the Summary, for the editor to replace.
PLACEHOLDER_SUMMARY = "One or two plain sentences, at most 160 characters, shown in search results."
MAX_MARKDOWN_BYTES = 1_000_000
SUMMARY_MAX_CHARS = 160
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"}
# Pictures the build resizes and re-encodes (plugins/images.py), and SVG, published as drawn.
PICTURE_EXTENSIONS = IMAGE_EXTENSIONS
RASTER_EXTENSIONS = IMAGE_EXTENSIONS - {".svg"}
# A 50-megapixel phone photo (8160 × 6120) is the largest a camera hands an
# editor; past that, decoding needs hundreds of MB and a small file that
# claims such a size is the classic "decompression bomb".
IMAGE_MAX_PIXELS = 52_000_000
IMAGE_MAX_BYTES = 40_000_000
# The column is about 360 px wide on a phone and 640 px on a desktop; at 2×
# a picture narrower than this looks soft (a note, not an error).
IMAGE_SHARP_WIDTH = 720
# Share cards are 1200 × 630 (the size Open Graph readers show large).
SHARE_IMAGE_SIZE = (1200, 630)
EXTRA_EXTENSIONS = {".txt", ".svg", ".ico", ".png", ".xml", ".json", ""}
STATUSES = {"published", "draft", "hidden"}


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


# --- Reading ----------------------------------------------------------------


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


# --- Rules over one file --------------------------------------------------


def check_metadata(source: Source, content: Path | None = None) -> Iterator[Problem]:
    rel, meta = source.rel, source.meta
    for key, (line, value) in meta.items():
        known = KNOWN_KEYS.get(key)
        if known is None:
            close = meant_key(key)
            hint = (
                f" Did you mean {KNOWN_KEYS[close].name}?"
                if close
                else " See the metadata table in README.md for the keys this site reads."
            )
            yield Problem(rel, line, f"unknown metadata key {key!r}.{hint}")
            continue
        if not value:
            yield Problem(rel, line, f"{known.name} is empty; give it a value or remove the line.")
            continue
        if known.kind == "date" and (wrong := date_problem(value)):
            yield Problem(rel, line, f"{known.name} {value!r} is not a valid date{wrong}")
        if known.kind == "status" and value.lower() not in STATUSES:
            yield Problem(
                rel,
                line,
                f"unknown Status {value!r}; use one of: " + ", ".join(sorted(STATUSES)) + ".",
            )
        if known.kind == "image":
            yield from check_share_image(source, content, line, value)
        if known.kind == "slug":
            yield from check_slug(source, line, value)
        if known.kind == "list" and ";" in value:
            fixed = ", ".join(part.strip() for part in value.split(";") if part.strip())
            yield Problem(
                rel,
                line,
                f"{known.name} has ';' between its names; separate them with commas: "
                f"`{known.name}: {fixed}`.",
            )
        if key == "category" and "," in value:
            yield Problem(
                rel,
                line,
                f"Category {value!r} has a comma, but an article has one topic; keep one "
                f"(`Category: {value.split(',')[0].strip()}`) and put the others in Tags.",
            )
        if known.kind in ("text", "list") and (inner := quoted(value)) is not None:
            yield Problem(
                rel,
                line,
                f"{known.name} is in quotes, and the quotes would show on the page; "
                f"remove them: `{known.name}: {inner}`.",
            )
    if "slug" not in meta and (wrong := name_problem(source.path.stem)):
        yield Problem(rel, 0, file_name_message(source.path.name, wrong))
    for key in KNOWN_KEYS.values():
        if source.kind in key.required_for and key.name.lower() not in meta:
            yield Problem(
                rel,
                1,
                f"{key.name} is missing; add a `{key.name}:` line "
                "to the metadata at the top of the file.",
            )
    if "also_called" in meta:
        yield from check_also_called(source)
    if "summary" in meta:
        line, value = meta["summary"]
        if len(value) > SUMMARY_MAX_CHARS:
            yield Problem(
                rel,
                line,
                f"Summary is {len(value)} characters; search engines cut "
                f"it at {SUMMARY_MAX_CHARS}. Shorten it.",
            )
        status = meta.get("status", (0, "published"))[1].lower()
        if value == PLACEHOLDER_SUMMARY and status in STATUSES and status != "draft":
            yield Problem(
                rel,
                line,
                "Summary is still the placeholder from `invoke new`; write one or "
                "two sentences that say what this article is about.",
            )
    for line, value in meta.values():
        yield from check_unsafe_markup(rel, line, value)


def check_slug(source: Source, line: int, value: str) -> Iterator[Problem]:
    """The slug is the web address and the file's name: the same, in lower case with hyphens."""
    stem = source.path.stem
    slug_wrong, stem_wrong = name_problem(value), name_problem(stem)
    if slug_wrong:
        good = stem if not stem_wrong else suggested_name(value)
        rename = f" and rename the file to {good}.md" if stem != good else ""
        yield Problem(
            source.rel,
            line,
            f"Slug {value!r} {slug_wrong}; the slug is the page's web address, so use "
            f"lower case and hyphens: write `Slug: {good}`{rename}.",
        )
    elif stem_wrong:
        yield Problem(
            source.rel,
            line,
            f"the file name {source.path.name!r} {stem_wrong}; rename the file to "
            f"{value}.md, to match its Slug (file names become web addresses).",
        )
    elif value != stem:
        yield Problem(
            source.rel,
            line,
            f"Slug {value!r} differs from the file name {stem!r}; "
            "rename the file or the slug so they match (the slug is the URL).",
        )


def file_name_message(name: str, wrong: str) -> str:
    """`the file name 'Quiet Room.JPG' has spaces and capitals; …rename it to quiet-room.jpg`."""
    return (
        f"the file name {name!r} {wrong}; file names become web addresses, so use lower "
        f"case and hyphens: rename it to {suggested_name(name)}."
    )


# A value wrapped in quotes: the opening and closing marks an editor types or pastes.
OPENING_QUOTES, CLOSING_QUOTES = "\"“„«'‘", "\"”“»'’"
DOUBLE_QUOTES = '"“”„«»'


def quoted(value: str) -> str | None:
    """`value` without the quotes around it, when it is wholly in quotes; else None."""
    if len(value) < 3 or value[0] not in OPENING_QUOTES or value[-1] not in CLOSING_QUOTES:
        return None
    inner = value[1:-1]
    marks = DOUBLE_QUOTES if value[0] in DOUBLE_QUOTES else "'‘’"
    if any(mark in inner for mark in marks) or not inner.strip():
        return None  # "Migraine" and "aura": two quotations, not one value in quotes
    return inner.strip()


def check_also_called(source: Source) -> Iterator[Problem]:
    """Also_called names are extra A to Z entries for an article: other names only, once each."""
    line, value = source.meta["also_called"]
    if source.kind != "article":
        yield Problem(
            source.rel,
            line,
            "Also_called only works on articles (it adds A to Z entries); remove it from this page.",
        )
    title = source.meta.get("title", (0, ""))[1].strip().casefold()
    seen: set[str] = set()
    for name in (part.strip() for part in value.split(",")):
        if not name:
            continue
        if name.casefold() == title:
            yield Problem(
                source.rel,
                line,
                f"Also_called {name!r} is the title itself; list only other names "
                "(a brand name, an older name).",
            )
        elif name.casefold() in seen:
            yield Problem(source.rel, line, f"Also_called lists {name!r} twice; keep one.")
        seen.add(name.casefold())


UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|form)\b", re.IGNORECASE)
# An on…= attribute inside a tag, even one written over several lines.
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^<>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:", re.IGNORECASE)


def check_unsafe_markup(rel: str, line: int, text: str) -> Iterator[Problem]:
    """Markup that would run code or collect data on a reader's device.

    `text` starts at `line` and may span several lines; each problem names
    the line it is on.
    """

    def line_of(offset: int) -> int:
        return line + text.count("\n", 0, offset)

    for match in UNSAFE_TAG.finditer(text):
        yield Problem(
            rel,
            line_of(match.start()),
            f"raw <{match.group(1).lower()}> is not allowed: pages carry "
            "no scripts, frames, embeds or forms. Remove it; link to the "
            "resource instead.",
        )
    for match in EVENT_ATTRIBUTE.finditer(text):
        yield Problem(
            rel,
            line_of(match.start(1)),
            f"the {match.group(1).lower()}= event attribute runs JavaScript and is "
            "not allowed; remove it.",
        )
    for number, part in enumerate(text.split("\n"), start=line):
        # Browsers decode entities and drop tabs and newlines inside a URL scheme.
        if SCRIPT_URL.search(re.sub(r"[\t\r\n\0]", "", html.unescape(part))):
            yield Problem(rel, number, "a javascript: URL is not allowed; link to a page instead.")


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


IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
LINK_TARGET = re.compile(r"\]\((?P<src>[^)\s]+)")
RAW_TAG = re.compile(r"<(?P<name>[a-z][a-z0-9]*)\b[^>]*>", re.IGNORECASE)
# `[label]: target` (a reference definition) and `![alt][label]` (an image that uses one).
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]^][^\]]*)\]:\s*<?(?P<src>[^\s>]+)")
REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\[(?P<label>[^\]]*)\]")
ATTRIBUTE = re.compile(
    r"""\b(?P<name>[a-z-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""",
    re.IGNORECASE,
)
HEADING = re.compile(r"^(#{1,6})\s+\S")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]]+)\]:")
FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]]+)\](?!:)")
AUTOLINK = re.compile(r"<(?:[a-z][a-z0-9+.-]*:[^>\s]*|[^>\s@]+@[^>\s]+)>", re.IGNORECASE)
VOID_TAGS = {"area", "br", "col", "hr", "img", "input", "source", "track", "wbr", "meta", "link"}


@dataclass(frozen=True)
class Target:
    """An address the body links to or shows a picture from, found by `check_body`.

    Whether it exists depends on other files, not on this one, so `check_target`
    looks for it on every build while the rest of a file's rules can be kept."""

    line: int
    address: str
    image: bool


def check_body(source: Source, targets: list[Target]) -> Iterator[Problem]:
    """Problems in the body alone; every address it links to is added to `targets`."""
    rel = source.rel
    lines = list(markdown_lines(source.body))
    previous_level = 1  # the title is the page's h1
    references: dict[str, int] = {}
    definitions: dict[str, int] = {}
    if lines:
        yield from check_unsafe_markup(rel, lines[0][0], joined(lines))
    # Labels used by `![alt][label]` images (an empty label means the alt text is the label).
    image_labels = {
        (image.group("label") or image.group("alt")).strip().lower()
        for _, line in lines
        for image in REFERENCE_IMAGE.finditer(line)
    }
    for number, line in lines:
        if "<!--" in line:
            yield Problem(
                rel,
                number,
                "HTML comments are published in the page source; "
                "remove the comment or move the note out of the file.",
            )
        if heading := HEADING.match(line):
            level = len(heading.group(1))
            if level == 1:
                yield Problem(
                    rel,
                    number,
                    "a `#` heading makes a second h1, but the title is "
                    "the page's only h1; start sections at `##`.",
                )
            elif level > previous_level + 1:
                yield Problem(
                    rel,
                    number,
                    f"heading level jumps from h{previous_level} to "
                    f"h{level}; use `{'#' * (previous_level + 1)}` so screen-reader "
                    "users can follow the outline.",
                )
            previous_level = level
        images = set()
        for image in IMAGE.finditer(line):
            images.add(image.start("src"))
            if not image.group("alt").strip():
                yield Problem(
                    rel,
                    number,
                    f"image {image.group('src')!r} has no alt text; "
                    "describe it in the brackets: ![what the image shows](…).",
                )
            yield from _alt_text(rel, number, image.group("alt"), "![what the picture shows](…)")
            targets.append(Target(number, image.group("src"), image=True))
        spaced = set()
        for address in SPACED_ADDRESS.finditer(line):
            spaced.add(address.start("src"))
            yield Problem(rel, number, spaced_message(address.group("src"), address.group(1)))
        for tag in RAW_TAG.finditer(line):
            name = tag.group("name").lower()
            attributes = {
                m.group("name").lower(): (m.group("dq") or m.group("sq") or m.group("bare") or "")
                for m in ATTRIBUTE.finditer(tag.group(0))
            }
            if name == "img" and not attributes.get("alt", "").strip():
                yield Problem(rel, number, 'an <img> has no alt text; add alt="what it shows".')
            elif name == "img":
                yield from _alt_text(rel, number, attributes["alt"], 'alt="what it shows"')
            if "href" in attributes:
                targets.append(Target(number, attributes["href"], image=False))
            for loaded in ("src", "poster"):
                if loaded in attributes:
                    targets.append(Target(number, attributes[loaded], image=True))
        for image in REFERENCE_IMAGE.finditer(line):
            if not image.group("alt").strip():
                yield Problem(
                    rel,
                    number,
                    "an image has no alt text; describe it in the brackets: "
                    "![what the image shows][…].",
                )
            yield from _alt_text(rel, number, image.group("alt"), "![what the picture shows][…]")
        for link in LINK_TARGET.finditer(line):
            if link.start("src") not in images | spaced:
                targets.append(Target(number, link.group("src"), image=False))
        for link in AUTOLINK.finditer(line):
            if OTHER_SITE.match(link.group(0)[1:]) or link.group(0).lower().startswith("<file:"):
                targets.append(Target(number, link.group(0)[1:-1], image=False))
        if reference_definition := REFERENCE_DEFINITION.match(line):
            label = reference_definition.group("label").strip().lower()
            targets.append(
                Target(number, reference_definition.group("src"), image=label in image_labels)
            )
        if definition := FOOTNOTE_DEFINITION.match(line):
            definitions.setdefault(definition.group(1), number)
        for reference in FOOTNOTE_REFERENCE.finditer(line):
            if not (reference.start() == 0 and FOOTNOTE_DEFINITION.match(line)):
                references.setdefault(reference.group(1), number)
    # Each footnote is cited and defined: one side without the other is a problem.
    for found, other, fix in (
        (
            references,
            definitions,
            "referenced but never defined; add a line `[^{0}]: the reference` at the end of the file.",
        ),
        (
            definitions,
            references,
            "defined but never referenced; cite it in the text with [^{0}] or remove it.",
        ),
    ):
        for name, number in found.items():
            if name not in other:
                yield Problem(rel, number, f"footnote [^{name}] is " + fix.format(name))
    for number, message in check_blocks(lines):
        yield Problem(rel, number, message)
    yield from check_raw_html(rel, lines)


def _alt_text(rel: str, number: int, alt: str, written: str) -> Iterator[Problem]:
    """Alt text that is a file name or only says "picture" (rules/alt_text.py)."""
    why = alt_text_problem(alt)
    if why:
        yield Problem(
            rel,
            number,
            f"the alt text {alt.strip()!r} {why}; describe what the picture shows "
            f"instead: {written}.",
        )


# `[text](an address with a space)` or `![alt](…)`: Markdown shows it as plain text.
SPACED_ADDRESS = re.compile(
    r"(!?)\[[^\]]*\]\(\s*(?P<src>[^()\s\"'<>]+(?:[ \t]+[^()\s\"'<>]+)+)\s*\)"
)


def spaced_message(address: str, image: str) -> str:
    """A link or picture whose address has a space, said with the name to use instead."""
    what = "picture" if image else "link"
    message = (
        f"the {what} address {address!r} has a space in it, so Markdown shows the "
        f"{what} as plain text; "
    )
    placeholder = re.match(r"^\{(?:filename|static|attach)\}", address)
    if placeholder is None:
        return message + "remove the space."
    rest = address[placeholder.end() :]
    folder, slash, name = rest.rpartition("/")
    good = f"{placeholder.group(0)}{folder}{slash}{suggested_name(name)}"
    return message + (
        f"file names cannot have spaces: rename the file to {suggested_name(name)} and "
        f"write {good}."
    )


def resolve_link(source: Source, content: Path, linked: str) -> Path:
    """The file a `{filename}`/`{static}` path names: from content/ when it starts
    with a slash, else from the linking file's folder."""
    return resolve_static(content, source.path.parent, linked)


OTHER_SITE = re.compile(r"^(?:[a-z]+:)?//", re.IGNORECASE)
LINKED_FILE = re.compile(r"^\{(filename|static|attach)\}(?P<path>[^#?]*)")
STATIC_FILE = re.compile(r"^\{(?:static|attach)\}(?P<path>[^#?]*)")


def check_target(
    source: Source, content: Path, found: Target, lookups: Lookups | None = None
) -> Iterator[Problem]:
    """Internal links and images must point at files that exist; images must be local;
    no address may lead only to the editor's computer (rules/addresses.py).

    `lookups` answers for the disk during one run of the rules (default: a fresh one)."""
    rel, line, image = source.rel, found.line, found.image
    target = found.address.strip("<>")
    lookups = lookups or Lookups()
    nowhere = address_problem(
        target, image, lambda name: lookups.is_file(lookups.static(content, content, "/" + name))
    )
    if nowhere:
        yield Problem(rel, line, nowhere)
        return
    if image and OTHER_SITE.match(target):
        yield Problem(
            rel,
            line,
            f"image {target!r} is on another site; readers' browsers "
            "would contact it. Save the image in content/images/ and use "
            "{static}/images/<name>.",
        )
        return
    match = LINKED_FILE.match(target)
    if match is None:
        return
    linked = match.group("path")
    resolved = lookups.beside(content, source, linked)
    if "%" in linked and not lookups.is_file(resolved):
        resolved = lookups.beside(content, source, unquote(linked))  # as Pelican looks too
    if not lookups.is_file(resolved):
        shown = below(resolved, lookups.real(content))
        missing = (
            f"{target!r} points at a file that does not exist "
            f"(looked for content/{linked if shown is None else shown})"
        )
        fix = near_file(lookups, resolved, target, linked) or "check the spelling, or add the file."
        yield Problem(rel, line, f"{missing}; {fix}")
        return
    if image and below(resolved, lookups.images(content)) is not None:
        problem = lookups.image_problem(resolved, content)
        if problem:
            yield Problem(rel, line, problem)


def near_file(lookups: Lookups, resolved: str, written: str, linked: str) -> str | None:
    """What to write when `written` (which names `linked`, resolved to `resolved`) finds no
    file but a file near it is the one meant (`Lookups.near`), or None."""
    found = lookups.near(resolved)
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


# --- Pictures -----------------------------------------------------------------


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
    builds is always seen. Each answer is the one `Path.resolve()`,
    `Path.is_file()`, `image_problem` and `raster_size` give, a symlink loop
    included (tests/test_rules_cache.py compares them). Paths are strings
    (`os.path`, hence the PTH exemptions below): at a few microseconds a
    `Path` costs more to make than the lookup it stands for.
    """

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._resolved: dict[str, str] = {}
        self._stats: dict[str, os.stat_result | OSError] = {}
        self._problems: dict[tuple[str, str], str | None] = {}
        self._sizes: dict[str, tuple[int, int]] = {}
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
        result = self._stat(found)
        if isinstance(result, OSError) and result.errno == errno.ELOOP:
            raise RuntimeError(f"Symlink loop from {Path(found)!r}")
        self._resolved[joined] = found
        return found

    def _stat(self, path: str) -> os.stat_result | OSError:
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
        result = self._stat(path)
        if isinstance(result, OSError):
            if result.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
                return False
            raise result
        return stat.S_ISREG(result.st_mode)

    def image_problem(self, path: str, content: Path) -> str | None:
        """`image_problem(Path(path), content)` for a resolved `path`."""
        key = (path, os.fspath(content))
        if key not in self._problems:
            result = self._stat(path)
            if isinstance(result, OSError):
                raise result
            self._problems[key] = _image_problem(
                self.real(path), self.real(content), result.st_mtime_ns, result.st_size
            )
        return self._problems[key]

    def raster_size(self, path: str) -> tuple[int, int]:
        """`raster_size(Path(path))`."""
        if path not in self._sizes:
            self._sizes[path] = raster_size(Path(path))
        return self._sizes[path]


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


def image_problem(path: Path, content: Path) -> str | None:
    """What stops the build from publishing the picture at `path`, or None."""
    stat = path.stat()
    return _image_problem(
        str(path.resolve()), str(Path(content).resolve()), stat.st_mtime_ns, stat.st_size
    )


@functools.lru_cache(maxsize=1024)
def _image_problem(path: str, content: str, mtime: int, size: int) -> str | None:
    """Only the file's header is read: cheap enough for every build."""
    from PIL import Image, UnidentifiedImageError

    name = PurePosixPath(Path(content).name, Path(path).relative_to(content).as_posix())
    if Path(path).suffix.lower() == ".svg":
        try:
            svg_size(Path(path).read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            return f"{name}: {error}"
        return None
    if size > IMAGE_MAX_BYTES:
        return (
            f"{name} is {size:,} bytes, over the {IMAGE_MAX_BYTES:,}-byte limit for a "
            "picture; save it as a JPEG at most 4000 px wide."
        )
    too_big = (
        f"{name} is too large to process safely: over the {IMAGE_MAX_PIXELS // 1_000_000}-megapixel "
        "limit (decoding it would take too much memory, and a small file that claims such "
        'a size is a "decompression bomb"). Save it at most 4000 px wide; the site '
        "publishes it at most 1440 px wide anyway."
    )
    # Only the header is read here (nothing is decoded), so Pillow's own bomb
    # check is lifted for this one call: the limit below names the size.
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return too_big
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return (
            f"{name} is not a picture the build can read (a damaged file, or another "
            "format under a picture's name); open it in an image editor and save it "
            "again as JPEG or PNG."
        )
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    if width * height > IMAGE_MAX_PIXELS:
        return too_big.replace(
            "too large to process safely:",
            f"{width} × {height} ({width * height / 1_000_000:.0f} megapixels), too large "
            "to process safely:",
        )
    return None


def raster_size(path: Path) -> tuple[int, int]:
    """Width and height of a raster picture, upright (as its EXIF orientation shows it)."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in {5, 6, 7, 8} else (width, height)


SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def svg_size(text: str) -> tuple[int, int]:
    """The width and height an SVG asks for: its viewBox, else its width and height."""
    tag = SVG_TAG.search(text)
    if tag is None:
        raise ValueError("this file has no <svg> element; export it again as SVG.")
    attributes = {
        m.group("name").lower(): (m.group("dq") or m.group("sq") or m.group("bare") or "")
        for m in ATTRIBUTE.finditer(tag.group(0).replace("viewBox", "viewbox"))
    }
    box = attributes.get("viewbox", "").replace(",", " ").split()
    if len(box) == 4:
        try:
            width, height = float(box[2]), float(box[3])
        except ValueError:
            width = height = 0
        if width > 0 and height > 0:
            return round(width), round(height)
    sizes = [SVG_LENGTH.match(attributes.get(key, "")) for key in ("width", "height")]
    if all(sizes):
        return round(float(sizes[0].group(1))), round(float(sizes[1].group(1)))
    raise ValueError(
        "the <svg> element has no viewBox (or width and height in px), so the page "
        'cannot reserve its space; add viewBox="0 0 WIDTH HEIGHT".'
    )


SVG_SCRIPT = re.compile(r"<\s*(script|foreignObject|iframe|embed|object)\b", re.IGNORECASE)
SVG_EVENT = re.compile(r"\s(on[a-z]+)\s*=", re.IGNORECASE)
SVG_REFERENCE = re.compile(
    r"""\b((?:xlink:)?href|src)\s*=\s*["']\s*(?P<url>[^"'\s]*)""", re.IGNORECASE
)
SVG_CSS_URL = re.compile(r"""(url\(\s*["']?|@import\s+["']?)\s*(?P<url>[^"')\s]*)""", re.IGNORECASE)
SVG_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)


def check_svg(path: Path, rel: str) -> Iterator[Problem]:
    """An SVG is a document that can run code and fetch other files: allow drawing only."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        yield Problem(rel, 0, "this SVG is not UTF-8 text; export it again as plain SVG.")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        for match in SVG_SCRIPT.finditer(line):
            yield Problem(
                rel,
                number,
                f"<{match.group(1)}> is not allowed in a picture: it can run code or "
                "show another document. Export the drawing again without it.",
            )
        for match in SVG_EVENT.finditer(line):
            yield Problem(
                rel,
                number,
                f"the {match.group(1).lower()}= attribute runs JavaScript; remove it.",
            )
        for match in [*SVG_REFERENCE.finditer(line), *SVG_CSS_URL.finditer(line)]:
            url = match.group("url")
            if url and not url.startswith("#"):
                yield Problem(
                    rel,
                    number,
                    f"this SVG refers to {url[:60]!r}; a picture may only refer to its own "
                    "parts (#id). Embed what it needs in the drawing, or remove the reference.",
                )
        if SVG_ENTITY.search(line):
            yield Problem(rel, number, "<!ENTITY> is not allowed in a picture; remove it.")


def check_share_image(
    source: Source,
    content: Path | None,
    line: int,
    value: str,
    lookups: Lookups | None = None,
) -> Iterator[Problem]:
    """Share_image names a picture in content/images/ at least 1200 × 630 pixels."""
    if content is None:
        return
    lookups = lookups or Lookups()
    linked = re.sub(r"^\{(?:static|attach)\}", "", value)
    path = lookups.static(content, content, "/" + linked.lstrip("/"))
    width, height = SHARE_IMAGE_SIZE
    if (
        below(path, lookups.images(content)) is None
        or suffix(path).lower() not in RASTER_EXTENSIONS
    ):
        yield Problem(
            source.rel,
            line,
            f"Share_image {value!r} must be a JPEG, PNG, WebP or AVIF picture in "
            "content/images/, written as images/<name>.jpg.",
        )
        return
    if not lookups.is_file(path):
        shown = Path(path).relative_to(lookups.real(content))  # as ever, ValueError if outside
        fix = near_file(lookups, path, value, linked) or "check the spelling, or add the picture."
        yield Problem(
            source.rel, line, f"Share_image {value!r}: there is no content/{shown}; {fix}"
        )
        return
    problem = lookups.image_problem(path, content)
    if problem:
        yield Problem(source.rel, line, problem)
        return
    actual = lookups.raster_size(path)
    if actual[0] < width or actual[1] < height:
        yield Problem(
            source.rel,
            line,
            f"Share_image {value!r} is {actual[0]} × {actual[1]} pixels; a share card is "
            f"{width} × {height}, so use a picture at least that large (it is cropped to fit).",
        )


def picture_links(source: Source) -> list[tuple[int, str]]:
    """(line, address) of every picture the body shows from this site's files."""
    return [
        (number, image.group("src"))
        for number, line in markdown_lines(source.body)
        for image in IMAGE.finditer(line)
        if re.match(r"^\{(?:static|attach)\}", image.group("src"))
    ]


def picture_notes(
    source: Source,
    pictures: list[tuple[int, str]],
    content: Path,
    lookups: Lookups | None = None,
) -> Iterator[Problem]:
    """A note for each of `pictures` (from `picture_links`) that would look soft."""
    lookups = lookups or Lookups()
    images = lookups.images(content)
    for number, src in pictures:
        linked = STATIC_FILE.match(src).group("path")
        path = lookups.beside(content, source, linked)
        if (
            suffix(path).lower() not in RASTER_EXTENSIONS
            or below(path, images) is None
            or not lookups.is_file(path)
            or lookups.image_problem(path, content)
        ):
            continue
        width, _ = lookups.raster_size(path)
        if width < IMAGE_SHARP_WIDTH:
            yield Problem(
                source.rel,
                number,
                f"{src} is {width} px wide; it is shown as it is, "
                f"but looks soft on phones with sharp screens. A picture at least "
                f"{IMAGE_SHARP_WIDTH} px wide (1440 px for desktops) fills the column.",
            )


def image_notes(sources: list[Source], content: Path) -> list[Problem]:
    """Pictures that build but look soft on sharp screens: a note for the editor, never an error."""
    return sorted(
        note for source in sources for note in picture_notes(source, picture_links(source), content)
    )


class _TagBalance(HTMLParser):
    """Tracks raw HTML elements opened in Markdown, to find ones never closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []
        self.stray: list[tuple[str, int]] = []
        self.line_offset = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID_TAGS:
            self.open.append((tag, self.getpos()[0] + self.line_offset))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return
        self.stray.append((tag, self.getpos()[0] + self.line_offset))


def check_raw_html(rel: str, lines: list[tuple[int, str]]) -> Iterator[Problem]:
    if not lines:
        return
    parser = _TagBalance()
    parser.line_offset = lines[0][0] - 1
    # Markdown autolinks (<https://…>) are not HTML; blank them so the parser skips them.
    text = joined(
        [(number, AUTOLINK.sub(lambda m: " " * len(m.group(0)), line)) for number, line in lines]
    )
    parser.feed(text)
    parser.close()
    for tag, line in parser.open:
        yield Problem(
            rel,
            line,
            f"raw HTML <{tag}> is opened here but never closed; "
            f"add </{tag}>, or write it in Markdown instead.",
        )
    for tag, line in parser.stray:
        yield Problem(rel, line, f"</{tag}> closes an element that was never opened; remove it.")


# --- Files as the folder holds them -------------------------------------------


def check_file_type(
    path: Path, rel: str, parts: tuple[str, ...], link: bool | None = None
) -> list[Problem] | None:
    """Problems with a file that is not an article or page to read (a symlink, a
    file in images/ or extra/, another type), or None for a Markdown file to read.

    `link`: whether it is a symlink, when the caller knows (`content_entries`)."""
    if path.is_symlink() if link is None else link:
        return [
            Problem(
                rel,
                0,
                "symlinks are not allowed in content/ (the link "
                "could point outside the site); replace it with the real file.",
            )
        ]
    if any(part.startswith(".") for part in parts):
        return []  # editor and OS droppings (.DS_Store, .gitkeep) are never read
    top = parts[0] if len(parts) > 1 else ""
    suffix = path.suffix.lower()
    if top == "images":
        problems = list(check_svg(path, rel)) if suffix == ".svg" else []
        if wrong := name_problem(path.name):
            problems.append(Problem(rel, 0, file_name_message(path.name, wrong)))
        if suffix not in IMAGE_EXTENSIONS:
            problems.append(
                Problem(
                    rel,
                    0,
                    f"{suffix or 'no extension'} is not an image "
                    "type the site publishes; use " + ", ".join(sorted(IMAGE_EXTENSIONS)) + ".",
                )
            )
        return problems
    if top == "extra":
        if suffix not in EXTRA_EXTENSIONS:
            return [
                Problem(
                    rel,
                    0,
                    f"{suffix} files are not published from extra/; remove it or ask a maintainer.",
                )
            ]
        return []
    if suffix in IMAGE_EXTENSIONS:
        return [
            Problem(
                rel,
                0,
                "pictures go in content/images/, and only there are they published; move "
                f"it there and show it with {{static}}/images/{suggested_name(path.name)}.",
            )
        ]
    if suffix != ".md":
        return [
            Problem(
                rel,
                0,
                f"the site only reads Markdown (.md); this {suffix or 'extension-less'} "
                "file would be ignored. Rename it to .md or move it out of content/.",
            )
        ]
    return None


def check_readable(rel: str, raw: bytes) -> Problem | None:
    """Why a Markdown file's bytes cannot be read as an article or page, or None."""
    if len(raw) > MAX_MARKDOWN_BYTES:
        return Problem(
            rel,
            0,
            f"the file is {len(raw):,} bytes, over the {MAX_MARKDOWN_BYTES:,}-byte "
            "limit; split it into several articles.",
        )
    if not raw.strip():
        return Problem(
            rel, 0, "the file is empty; write the metadata and the article, or delete the file."
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Problem(
            rel,
            raw[: error.start].count(b"\n") + 1,
            "the file is not valid UTF-8 text; save it as UTF-8 "
            "in your editor (“Save with encoding: UTF-8”).",
        )
    return None


FILENAME_LINK = re.compile(r"\{filename\}(?P<path>[^)#?\s\"'>]+)")


def is_draft(source: Source) -> bool:
    return source.meta.get("status", (0, ""))[1].lower() == "draft"


def site_outputs(settings: dict) -> dict[str, str]:
    """Files the site writes itself, each with what writes it: no source may write over them."""
    outputs = {settings.get("INDEX_SAVE_AS") or "index.html": "the home page"}
    for feed in ("FEED_ALL_ATOM", "FEED_ALL_RSS"):
        if settings.get(feed):
            outputs[settings[feed]] = "the feed"
    return outputs


def check_output(
    source: Source, settings: dict, reserved: dict[str, str], outputs: dict[str, str]
) -> Problem | None:
    """A published source must not be written where the site or an earlier source
    writes; `outputs` (from `site_outputs`) gains this source's file when it is free."""
    if is_draft(source):
        return None
    output = output_path(source, settings)
    folder = output.split("/")[0] if "/" in output else ""
    if folder in reserved:
        clash = (
            f"would be published at /{folder}/, where the site puts "
            f"{reserved[folder]}; give it another slug (and file name)."
        )
    elif output in outputs:
        clash = (
            f"would be written to {output}, which {outputs[output]} "
            "also writes; give one of them another slug (or Save_as)."
        )
    else:
        outputs[output] = source.rel
        return None
    line = source.meta.get("save_as", source.meta.get("slug", (1, "")))[0]
    return Problem(source.rel, line, clash)


# What the site writes into each folder it reserves, for messages.
RESERVED_FOLDER_OWNERS = {
    "ARCHIVES_SAVE_AS": "the list of all articles",
    "CATEGORIES_SAVE_AS": "the list of topics",
    "CATEGORY_SAVE_AS": "the topic pages",
    "TAGS_SAVE_AS": "the list of tags",
    "TAG_SAVE_AS": "the tag pages",
    "DRAFT_SAVE_AS": "draft previews",
    "FEED_ALL_ATOM": "the feed",
}


def reserved_folders(settings: dict) -> dict[str, str]:
    """Top-level folders the site writes itself, each with what it holds.

    An article or page published at one of these addresses would collide with
    the site's own lists, now or when a later article adds a topic or tag.
    """
    folders = {settings["THEME_STATIC_DIR"]: "the stylesheet and other theme files"}
    for key, owner in RESERVED_FOLDER_OWNERS.items():
        first = (settings.get(key) or "").split("/")[0]
        if first and "{" not in first and "/" in (settings.get(key) or ""):
            folders[first] = owner
    # Later pages of the home page's list: /page/2/ and so on.
    for pattern in settings.get("PAGINATION_PATTERNS", ()):
        url = pattern[1]  # (min_page, URL, SAVE_AS)
        first = url.format(base_name="", number=2, url="", save_as="", name="", extension="")
        first = first.lstrip("/").split("/")[0]
        if first:
            folders.setdefault(first, "the later pages of the home page's list")
    return folders


def output_path(source: Source, settings: dict) -> str:
    """Where Pelican will write this file, from Save_as or the slug."""
    if "save_as" in source.meta:
        return source.meta["save_as"][1]
    pattern = settings["PAGE_SAVE_AS" if source.kind == "page" else "ARTICLE_SAVE_AS"]
    slug = source.meta.get("slug", (0, source.path.stem))[1]
    return pattern.format(slug=slug)
