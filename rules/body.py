"""The body of an article or page: headings, alt text, footnotes, components,
raw HTML, and the addresses it links to or shows a picture from, which must
lead to a file that exists (`check_target`, asked on every build)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from rules.addresses import address_problem
from rules.alt_text import alt_text_problem
from rules.components import check_blocks
from rules.names import near_file, suggested_name
from rules.pictures import IMAGE, picture_problem
from rules.raw_html import ATTRIBUTE, AUTOLINK, RAW_TAG, check_raw_html, check_unsafe_markup
from rules.sources import Lookups, Problem, Source, below, joined, markdown_lines

LINK_TARGET = re.compile(r"\]\((?P<src>[^)\s]+)")
# `[label]: target` (a reference definition) and `![alt][label]` (an image that uses one).
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]^][^\]]*)\]:\s*<?(?P<src>[^\s>]+)")
REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\[(?P<label>[^\]]*)\]")
HEADING = re.compile(r"^(#{1,6})\s+\S")
FOOTNOTE_DEFINITION = re.compile(r"^\[\^([^\]]+)\]:")
FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]]+)\](?!:)")


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
    lang = source.meta["lang"][1].strip() if "lang" in source.meta else "en"
    for number, message in check_blocks(lines, lang):
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


OTHER_SITE = re.compile(r"^(?:[a-z]+:)?//", re.IGNORECASE)
LINKED_FILE = re.compile(r"^\{(filename|static|attach)\}(?P<path>[^#?]*)")


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
        fix = (
            near_file(lookups.near(resolved), target, linked)
            or "check the spelling, or add the file."
        )
        yield Problem(rel, line, f"{missing}; {fix}")
        return
    if image and below(resolved, lookups.images(content)) is not None:
        problem = picture_problem(lookups, resolved, content)
        if problem:
            yield Problem(rel, line, problem)


FILENAME_LINK = re.compile(r"\{filename\}(?P<path>[^)#?\s\"'>]+)")
