"""Health components written in Markdown, and the rules for writing them.

Editors write a component as a block with an explicit end marker
(pymdown-extensions' Blocks syntax, rendered by plugins/health_components.py):

    /// urgent | Ask for an urgent appointment with your doctor if:
    - an example of when to get help
    ///

The extension itself forgives everything: an unknown name or a missing end
marker silently becomes plain text or swallows the rest of the page. So every
mistake is found here instead, before Pelican runs, as `file:line: what to do`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One block name an editor may write after `///`."""

    name: str
    label: str  # how messages and the guide call it
    heading: str  # "required", "optional" (a default exists) or "none"
    needs_list: bool = False


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("non-urgent", "non-urgent care card", "required", needs_list=True),
        Kind("urgent", "urgent care card", "required", needs_list=True),
        # The default heading names the emergency number from the settings.
        Kind("emergency", "emergency care card", "optional", needs_list=True),
        Kind("warning", "warning callout", "optional"),
        Kind("inset", "inset text", "optional"),
        Kind("do", "do list", "optional", needs_list=True),
        Kind("dont", "don't list", "optional", needs_list=True),
        Kind("details", "details (expander)", "required"),
    )
}
CARE_CARDS = ("non-urgent", "urgent", "emergency")
# The words a component shows that its editor did not write: the visually
# hidden prefix that says what it is, so colour and position are never the
# only signal (NHS wording), and the heading of a block written without one.
# They are the catalogue's msgids: a page in another language shows them as
# its catalogue translates them (rules/translations.py requires each there).
PREFIXES = {
    "non-urgent": "Non-urgent advice: ",
    "urgent": "Urgent advice: ",
    "emergency": "Immediate action required: ",
    "warning": "Important: ",
    "inset": "Information: ",
}
DEFAULT_HEADINGS = {
    "warning": "Important",
    "do": "Do",
    "dont": "Don't",
    "details": "More information",
}
COMPONENT_WORDS = (*PREFIXES.values(), *DEFAULT_HEADINGS.values())
# NHS: at most two warning callouts a page, or none of them stands out.
MAX_WARNINGS = 2
# Names editors reach for from other sites and tools, and the one they mean.
ALIASES = {
    "don't": "dont",
    "do-not": "dont",
    "donot": "dont",
    "nonurgent": "non-urgent",
    "routine": "non-urgent",
    "important": "warning",
    "caution": "warning",
    "danger": "emergency",
    "note": "inset",
    "info": "inset",
    "information": "inset",
    "expander": "details",
    "summary": "details",
}

# The same patterns as pymdownx.blocks: a start is `///` (or more slashes)
# and a name, optionally `| heading`; an end is the same number of slashes alone.
START = re.compile(
    r"^ {0,3}(?P<fence>/{3,})[ \t]*(?P<name>[^\s|]+)[ \t]*(?:\|[ \t]*(?P<title>.*?))?[ \t]*$"
)
END = re.compile(r"^ {0,3}(?P<fence>/{3,})[ \t]*$")
LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])[ \t]+(?P<text>.*)$")


@dataclass
class OpenBlock:
    line: int
    fence: str
    name: str
    title: str
    has_list: bool = False


def suggestion(name: str) -> str:
    """The known block name closest to `name`, for a message."""
    lowered = name.lower()
    if lowered in ALIASES:
        return ALIASES[lowered]
    close = difflib.get_close_matches(lowered, [*KINDS, *ALIASES], n=1, cutoff=0.5)
    if close:
        return ALIASES.get(close[0], close[0])
    return ""


# How each item of a don't list begins, in each language (a file's `Lang`), and an
# example; a language not listed here is held to English.
DONT_STARTS = {"en": ("do not", "do not drive"), "es": ("no ", "no conduzca")}


def check_blocks(lines: list[tuple[int, str]], lang: str = "en") -> Iterator[tuple[int, str]]:
    """(line, message) for every component mistake in `lines` (code already left out),
    in a file written in `lang`."""
    negation, example = DONT_STARTS.get(lang, DONT_STARTS["en"])
    stack: list[OpenBlock] = []
    warnings = 0
    for number, line in lines:
        if end := END.match(line):
            fence = end.group("fence")
            if stack and stack[-1].fence == fence:
                yield from _closed(stack.pop())
            elif stack:
                opened = stack[-1]
                yield (
                    number,
                    f"`{fence}` does not close `{opened.fence} {opened.name}` from line "
                    f"{opened.line}: a block ends with exactly as many slashes as it starts with.",
                )
            else:
                yield (
                    number,
                    f"`{fence}` closes a block that was never opened; remove it, or start "
                    "the block above it with a line such as `/// inset`.",
                )
            continue
        if start := START.match(line):
            name = start.group("name")
            block = OpenBlock(
                number, start.group("fence"), name, (start.group("title") or "").strip()
            )
            if name not in KINDS:
                near = suggestion(name)
                hint = f" Did you mean `/// {near}`?" if near else ""
                yield (
                    number,
                    f"`{block.fence} {name}` is not a component this site has.{hint} "
                    "The components are: " + ", ".join(KINDS) + ".",
                )
            else:
                kind = KINDS[name]
                if kind.heading == "required" and not block.title:
                    example = "Speak to your doctor if:" if name in CARE_CARDS else "What it is for"
                    yield (
                        number,
                        f"this {kind.label} has no heading; write it after a bar: "
                        f"`{block.fence} {name} | {example}`.",
                    )
                if name == "warning":
                    warnings += 1
                    if warnings > MAX_WARNINGS:
                        yield (
                            number,
                            f"this is warning callout number {warnings} on the page; use at most "
                            f"{MAX_WARNINGS}, or none stands out. Make this one inset text "
                            "(`/// inset`) or plain text.",
                        )
            stack.append(block)
            continue
        if stack and (item := LIST_ITEM.match(line)):
            stack[-1].has_list = True
            indent = len(item.group("indent").expandtabs(4))
            if stack[-1].name == "dont" and indent < 4:
                words = item.group("text").lstrip("*_ ").lower()
                if not words.startswith(negation):
                    yield (
                        number,
                        f"each item in a don't list must begin with “{negation.strip()}”, so a "
                        f"reader who misses the heading still gets it; for example: `- {example}`.",
                    )
    for block in stack:
        yield from _closed(block, unclosed=True)


def _closed(block: OpenBlock, unclosed: bool = False) -> Iterator[tuple[int, str]]:
    kind = KINDS.get(block.name)
    if unclosed:
        yield (
            block.line,
            f"`{block.fence} {block.name}` is opened here but never closed, so it would take in "
            f"the rest of the page; add a line `{block.fence}` where it ends.",
        )
    if kind and kind.needs_list and not block.has_list:
        yield (
            block.line,
            f"this {kind.label} has no list; put the points in a bulleted list "
            "(`- ` at the start of each line) between its first and last lines.",
        )


def no_examples_message(guide: str) -> str:
    """The editors' guide `guide` has no component example for the reference page
    (plugins/health_components.py) to show."""
    return f"{guide}: no component examples found for the reference page"
