"""A share card for every page: the picture a link shows when it is shared.

Each article and page gets a 1200 × 630 PNG drawn at build time: its title,
wrapped and shrunk to fit, and the site's name, in the theme's calm colours
(`SHARE_CARD_*` in pelicanconf.py) and Atkinson Hyperlegible, a typeface made
for low vision (theme/fonts/, SIL Open Font License; it only draws the cards
and is never published). The home page and the lists get the site's own card.
An editor who would rather show a photo writes `Share_image: images/x.jpg`;
that picture is cropped to 1200 × 630 and cleaned by the same pipeline as the
article's pictures (plugins/images.py).

Templates read `content.share_card`, or `SITE_SHARE_CARD` on pages without
content, each a `ShareCard` (URL path, size, alt text): the Open Graph and
Twitter tags (partials/social_meta.html) and the JSON-LD `image`
(plugins/structured_data.py) name the same file.

Cards are deterministic (fixed colours, font, layout engine and encoder) and
kept in `CACHE_PATH/images/cards/` under a hash of their text, the settings,
the fonts, the library versions and the code that makes them (this module,
plugins/images.py and the card's size in rules/pictures.py, comments and
docstrings left out: `CARDS_STEP` in engine.cache.SHAPED_BY). A card the
cache lacks is only named while Pelican reads (its name is its key) and
drawn by engine/scheduler.py (`later`): by a helper process while Pelican
reads, and what is left by one forked worker per core just before the output
is written.

What one card costs (CPU per card, median of 32 titles, measured side by side
on the shared 2-core machine at a load average of about 5, so both figures
run high): 81-87 ms before, 16-20 ms now; 14.9 kB before, 16.2 kB now.
- The text is drawn straight into a 16-colour palette (anti-aliased in 10
  steps from background to text, 4 for the site's name): no quantising
  (was ~14 ms), and PNG stores 4 bits a pixel, not 8.
- zlib level 4 (`PNG_COMPRESS_LEVEL`) replaces `optimize=True` (level 9,
  which crawls through the long runs of background: ~32 ms of the old cost).
- Fonts, their hashes and the footer are made once per process, not per
  card, and a title is measured only as far as deciding its size needs.
The lines and size of every title are the same as before; only the edges of
the letters differ, by at most about 38 of 255 in a channel.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pelican import signals

from engine import scheduler
from engine.cache import write_entry
from plugins.images import cache_folder, cache_key, encode, load_clean, publish
from rules.pictures import SHARE_IMAGE_SIZE, unreadable_share_image
from rules.sources import resolve_static

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = SHARE_IMAGE_SIZE
MARGIN = 80
ACCENT_WIDTH = 20
TITLE_SIZES = range(76, 39, -4)  # px, largest first
TITLE_MAX_LINES = 5
LINE_HEIGHT = 1.2
FOOTER_SIZE = 36
# Anti-aliasing steps from the background to the title's and the footer's
# colour. With the background and the accent that is 16 colours, the most
# PNG keeps at 4 bits a pixel; 10 steps look the same as 256 at this size.
TITLE_LEVELS = 10
FOOTER_LEVELS = 4
# zlib level, measured on two cards (three-line title / the long title that
# is cut, CPU ms median of 9 and bytes): 3 (3.3 / 4.7 ms, 18.5 / 16.1 KB),
# 4 (4.6 / 6.0 ms, 16.2 / 13.3 KB), 6 (8.7 / 8.0 ms, 15.6 / 13.0 KB),
# 9 (74 / 55 ms, 13.9 / 11.8 KB: long runs of one colour make its lazy
# matching crawl). 4 is within 4 % of 6's size at about 60 % of its time.
PNG_COMPRESS_LEVEL = 4
CARD_SETTINGS = (
    "SHARE_CARD_BACKGROUND",
    "SHARE_CARD_TEXT",
    "SHARE_CARD_SECONDARY",
    "SHARE_CARD_ACCENT",
    "SHARE_CARD_FONTS",
)
# The step whose code keys the cards (engine.cache.SHAPED_BY): this module's, and
# what it imports: plugins/images.py, which cleans and encodes a Share_image, and
# rules/pictures.py, which sets the size.
CARDS_STEP = "share-cards"
# What drawing one card costs, in CPU seconds (engine/scheduler.py decides on
# workers by it): the median of 20 titles on the project's 2-core machine.
CARD_SECONDS = 0.006


@dataclass(frozen=True)
class ShareCard:
    """A share card: `path` under the site's root, its pixel size, and what it shows."""

    path: str
    width: int
    height: int
    alt: str
    mime: str


def _font_path(settings: dict, role: str) -> Path:
    return Path(settings["THEME"]) / settings["SHARE_CARD_FONTS"][role]


def _font(settings: dict, role: str, size: int):
    path = _font_path(settings, role)
    stat = path.stat()
    return _loaded_font(str(path), stat.st_mtime_ns, stat.st_size, size)


# Keyed by the file's time and size too, so the preview server, which builds
# in one long-lived process, sees a replaced font.
@functools.lru_cache(maxsize=64)
def _loaded_font(path: str, mtime: int, length: int, size: int):
    from PIL import ImageFont

    # BASIC layout: the same glyph positions on every machine (raqm may differ).
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=16)
def _file_digest(path: str, mtime: int, length: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _font_digest(settings: dict, role: str) -> str:
    path = _font_path(settings, role)
    stat = path.stat()
    return _file_digest(str(path), stat.st_mtime_ns, stat.st_size)


def wrap(text: str, font, width: int, max_lines: int | None = None) -> list[str]:
    """Words into lines no wider than `width`; a word wider than that stays whole.

    With `max_lines`, it stops once there are more lines than that: the
    caller only needs to know the title does not fit (measuring is most of
    the cost of laying a card out)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
            if max_lines is not None and len(lines) > max_lines:
                break
    return lines


def fit_title(text: str, settings: dict, width: int, height: int):
    """The largest font size at which the title fits; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        font = _font(settings, "title", size)
        most = min(TITLE_MAX_LINES, int(height // (size * LINE_HEIGHT)))
        last = size == TITLE_SIZES[-1]
        lines = wrap(text, font, width, None if last else most)
        # A line with a space was measured whole as it was wrapped; only a
        # lone word may still be too wide.
        if len(lines) <= most and all(
            " " in line or font.getlength(line) <= width for line in lines
        ):
            return font, lines
    lines = lines[: int(height // (size * LINE_HEIGHT))]
    while lines and font.getlength(lines[-1] + "…") > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
    lines[-1] += "…"
    return font, lines


def _palette(settings: dict) -> list[int]:
    """Background, the title's steps, the footer's steps, then the accent, as RGB."""
    from PIL import ImageColor

    def colour(name: str) -> tuple[int, ...]:
        return ImageColor.getrgb(settings[name])[:3]

    background = colour("SHARE_CARD_BACKGROUND")

    def steps(name: str, count: int) -> list[tuple[int, ...]]:
        ink = colour(name)
        return [
            tuple(round(b + (i - b) * step / count) for b, i in zip(background, ink, strict=True))
            for step in range(1, count + 1)
        ]

    colours = [
        background,
        *steps("SHARE_CARD_TEXT", TITLE_LEVELS),
        *steps("SHARE_CARD_SECONDARY", FOOTER_LEVELS),
        colour("SHARE_CARD_ACCENT"),
    ]
    return [channel for rgb in colours for channel in rgb]


@functools.lru_cache(maxsize=8)
def _footer(footer: str, font, size: tuple[int, int]):
    """The footer as palette indexes, and where it covers: the same on every card."""
    from PIL import Image, ImageDraw

    # The footer's steps follow the title's: drawn apart, then moved up past them.
    name = Image.new("L", size, 0)
    ImageDraw.Draw(name).text((0, 0), footer, font=font, fill=FOOTER_LEVELS)
    covered = name.point([0] + [255] * 255)
    name = name.point([0] + [TITLE_LEVELS + min(v, FOOTER_LEVELS) for v in range(1, 256)])
    return name, covered


def draw_card(title: str, footer: str, settings: dict) -> bytes:
    """A 1200 × 630 PNG: the title large, the footer (the site's name) below a rule."""
    from PIL import Image, ImageDraw

    # Drawn as palette indexes in a greyscale image: text drawn with ink N
    # onto 0 blends to 0..N by coverage, which are exactly the indexes of the
    # background-to-text steps; no quantising afterwards.
    accent = 1 + TITLE_LEVELS + FOOTER_LEVELS
    image = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, ACCENT_WIDTH - 1, HEIGHT), fill=accent)
    left = ACCENT_WIDTH + MARGIN
    text_width = WIDTH - left - MARGIN
    footer_font = _font(settings, "site", FOOTER_SIZE)
    footer_top = HEIGHT - MARGIN - FOOTER_SIZE
    rule_top = footer_top - 32
    font, lines = fit_title(title, settings, text_width, rule_top - 32 - MARGIN)
    step = round(font.size * LINE_HEIGHT)
    for number, line in enumerate(lines):
        draw.text((left, MARGIN + number * step), line, font=font, fill=TITLE_LEVELS)
    draw.rectangle((left, rule_top, left + 120, rule_top + 5), fill=accent)
    name, covered = _footer(footer, footer_font, (WIDTH - left, HEIGHT - footer_top))
    image.paste(name, (left, footer_top), mask=covered)
    image.putpalette(_palette(settings))  # now mode "P", 16 colours
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def _card_key(text: bytes, settings: dict, kind: str) -> str:
    from PIL import features

    fonts = [_font_digest(settings, role) for role in ("title", "site")]
    return cache_key(
        text,
        settings,
        kind,
        fonts,
        features.version("freetype2"),
        [settings.get(name) for name in CARD_SETTINGS],
        step=CARDS_STEP,
    )


def cached_card(name: str, key: str, make, settings: dict) -> Path:
    """The card's file in the cache, made by `make()` only when it is not there yet."""
    path = _card_path(name, key, settings)
    if not path.is_file():
        write_entry(path, make())
    publish(name, path)
    return path


def _card_path(name: str, key: str, settings: dict) -> Path:
    return cache_folder(settings) / "cards" / f"{key}.{name.rsplit('.', 1)[-1]}"


def _draw_into(settings: dict, path: str, title: str, footer: str) -> None:
    write_entry(Path(path), draw_card(title, footer, settings))


def drawn_card(slug: str, title: str, footer: str, settings: dict, alt: str = "") -> ShareCard:
    """The card drawn from `title`: named now, drawn with the others before the output is
    written (engine/scheduler.py, `later`) unless the cache has it."""
    key = _card_key(f"{title}\n{footer}".encode(), settings, "drawn")
    name = f"images/share/{slug}-{key[:10]}.png"
    path = _card_path(name, key, settings)
    if not path.is_file():
        arguments = (str(path), title, footer)
        scheduler.later(
            lambda: _draw_into(settings, *arguments),
            path,
            f"the share card {name}",
            seconds=CARD_SECONDS,
            portable=(settings, _draw_into, arguments),
        )
    publish(name, path)
    return ShareCard(name, WIDTH, HEIGHT, alt or f"{title}, {footer}", "image/png")


def chosen_card(content, value: str) -> ShareCard:
    """The editor's Share_image, cropped to 1200 × 630 around its centre, as JPEG."""
    from PIL import Image, ImageOps

    settings = content.settings
    root = Path(settings["PATH"])
    linked = re.sub(r"^\{(?:static|attach)\}", "", value)
    source = resolve_static(root, root, "/" + linked.lstrip("/"))
    data = source.read_bytes()
    key = _card_key(data, settings, "chosen")
    name = f"images/share/{content.slug}-{key[:10]}.jpg"

    def make() -> bytes:
        image = load_clean(data, keep_alpha=False)
        image = ImageOps.fit(image, (WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        return encode(image, "image/jpeg", settings)

    cached_card(name, key, make, settings)
    return ShareCard(name, WIDTH, HEIGHT, _alt_for(content, source.name), "image/jpeg")


def _alt_for(content, file_name: str) -> str:
    """The alt text the article gives the same picture, else the article's title."""
    try:
        text = Path(content.source_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    for match in re.finditer(r"!\[(?P<alt>[^\]]+)\]\((?P<src>[^)\s]+)", text):
        if match.group("src").endswith(f"/{file_name}"):
            return match.group("alt").strip()
    return content.title_text


def add_card(content) -> None:
    """Give an article or page its card (Share_image, or one drawn from its title)."""
    settings = content.settings
    if not getattr(content, "slug", None) or not getattr(content, "title_text", None):
        return
    if not content.save_as:
        return  # not written in this build (a draft in production): nothing may reveal it
    chosen = content.metadata.get("share_image")
    if chosen:
        try:
            content.share_card = chosen_card(content, chosen)
            return
        except (OSError, ValueError, SyntaxError) as error:
            logger.error(
                "%s: %s", content.relative_source_path, unreadable_share_image(chosen, error)
            )
    content.share_card = drawn_card(
        content.slug, content.title_text, settings["SITENAME"], settings
    )


def add_site_card(generator) -> None:
    """The site's own card, for the home page and the lists (and the 404 page)."""
    settings = generator.settings
    description = settings["SITE_DESCRIPTION"]
    card = drawn_card("site", description, settings["SITENAME"], settings, alt=description)
    generator.env.globals["SITE_SHARE_CARD"] = card


def register() -> None:
    signals.generator_init.connect(add_site_card)
    signals.content_object_init.connect(add_card)
