"""Pictures: what the build can publish from content/images/, and the rules on the
pictures an article uses.

A picture is refused when it is too large, cannot be read, or is an SVG
without a size or with code or outside references in it; a Share_image must
be a large enough raster picture; a picture narrower than the column at 2×
gets a note. The words the plugins log about a picture that slips past
(plugins/images.py, plugins/share_cards.py) are said here too.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from rules.names import near_file
from rules.raw_html import ATTRIBUTE
from rules.sources import Lookups, Problem, Source, below, markdown_lines, suffix

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
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
STATIC_FILE = re.compile(r"^\{(?:static|attach)\}(?P<path>[^#?]*)")


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


def picture_problem(lookups: Lookups, path: str, content: Path) -> str | None:
    """`image_problem(Path(path), content)` for a resolved `path`, once per run."""

    def work() -> str | None:
        status = lookups.stat(path)
        if isinstance(status, OSError):
            raise status
        return _image_problem(
            lookups.real(path), lookups.real(content), status.st_mtime_ns, status.st_size
        )

    return lookups.remember("image_problem", (path, os.fspath(content)), work)


def picture_size(lookups: Lookups, path: str) -> tuple[int, int]:
    """`raster_size(Path(path))`, once per run."""
    return lookups.remember("raster_size", path, lambda: raster_size(Path(path)))


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
        fix = (
            near_file(lookups.near(path), value, linked)
            or "check the spelling, or add the picture."
        )
        yield Problem(
            source.rel, line, f"Share_image {value!r}: there is no content/{shown}; {fix}"
        )
        return
    problem = picture_problem(lookups, path, content)
    if problem:
        yield Problem(source.rel, line, problem)
        return
    actual = picture_size(lookups, path)
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
            or picture_problem(lookups, path, content)
        ):
            continue
        width, _ = picture_size(lookups, path)
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


# --- What the plugins say of a picture that slips past the rules ---------------
# A picture the rules let through may still fail while Pelican runs (a disk
# full, a file changed since): plugins/images.py and plugins/share_cards.py log
# these words, so every message about content is written here.


def encoding_failed(name: str, error: Exception) -> str:
    """A picture whose copies could not be made."""
    return (
        f"{name} could not be encoded ({error}); open it in an image editor and save it "
        "again as JPEG or PNG (if it still fails, tell a maintainer: the disk may be full)."
    )


def unreadable_picture(name: str, error: Exception) -> str:
    """A picture an article shows that could not be opened."""
    return (
        f"{name} could not be read as a picture ({error}); open it in an image editor and "
        "save it again as JPEG or PNG."
    )


def original_published(name: str) -> str:
    """An original picture found in the output, carrying the camera's data."""
    return (
        f"{name} was published as it is; link pictures only as "
        "![alt]({static}/images/name) so the build can publish a cleaned copy."
    )


def unreadable_share_image(value: str, error: Exception) -> str:
    """A Share_image that could not be cut into a card."""
    return f"Share_image {value} could not be read as a picture ({error}); save it again as JPEG."
