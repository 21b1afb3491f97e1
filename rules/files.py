"""Files as content/ holds them: what is read, published or refused (types,
symlinks, size and encoding), and where each source is written, clear of
the folders and files the site writes itself."""

from __future__ import annotations

from pathlib import Path

from rules.names import file_name_message, name_problem, suggested_name
from rules.pictures import IMAGE_EXTENSIONS, check_svg
from rules.sources import Problem, Source, is_draft

MAX_MARKDOWN_BYTES = 1_000_000
EXTRA_EXTENSIONS = {".txt", ".svg", ".ico", ".png", ".xml", ".json", ""}


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
