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
the fonts and the library versions.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pelican import signals

from plugins.images import cache_folder, cache_key, encode, load_clean, publish
from rules.content import SHARE_IMAGE_SIZE, resolve_static

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = SHARE_IMAGE_SIZE
MARGIN = 80
ACCENT_WIDTH = 20
TITLE_SIZES = range(76, 39, -4)  # px, largest first
TITLE_MAX_LINES = 5
LINE_HEIGHT = 1.2
FOOTER_SIZE = 36
CARD_SETTINGS = (
    "SHARE_CARD_BACKGROUND",
    "SHARE_CARD_TEXT",
    "SHARE_CARD_SECONDARY",
    "SHARE_CARD_ACCENT",
    "SHARE_CARD_FONTS",
)


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
    from PIL import ImageFont

    # BASIC layout: the same glyph positions on every machine (raqm may differ).
    return ImageFont.truetype(
        str(_font_path(settings, role)), size, layout_engine=ImageFont.Layout.BASIC
    )


def wrap(text: str, font, width: int) -> list[str]:
    """Words into lines no wider than `width`; a word wider than that stays whole."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def fit_title(text: str, settings: dict, width: int, height: int):
    """The largest font size at which the title fits; at the smallest, cut with an ellipsis."""
    for size in TITLE_SIZES:
        font = _font(settings, "title", size)
        lines = wrap(text, font, width)
        fits = all(font.getlength(line) <= width for line in lines)
        if fits and len(lines) * size * LINE_HEIGHT <= height and len(lines) <= TITLE_MAX_LINES:
            return font, lines
    lines = lines[: int(height // (size * LINE_HEIGHT))]
    while lines and font.getlength(lines[-1] + "…") > width:
        lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
    lines[-1] += "…"
    return font, lines


def draw_card(title: str, footer: str, settings: dict) -> bytes:
    """A 1200 × 630 PNG: the title large, the footer (the site's name) below a rule."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), settings["SHARE_CARD_BACKGROUND"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, ACCENT_WIDTH - 1, HEIGHT), fill=settings["SHARE_CARD_ACCENT"])
    left = ACCENT_WIDTH + MARGIN
    text_width = WIDTH - left - MARGIN
    footer_font = _font(settings, "site", FOOTER_SIZE)
    footer_top = HEIGHT - MARGIN - FOOTER_SIZE
    rule_top = footer_top - 32
    font, lines = fit_title(title, settings, text_width, rule_top - 32 - MARGIN)
    step = round(font.size * LINE_HEIGHT)
    for number, line in enumerate(lines):
        draw.text((left, MARGIN + number * step), line, font=font, fill=settings["SHARE_CARD_TEXT"])
    draw.rectangle((left, rule_top, left + 120, rule_top + 5), fill=settings["SHARE_CARD_ACCENT"])
    draw.text((left, footer_top), footer, font=footer_font, fill=settings["SHARE_CARD_SECONDARY"])
    # A few flat colours and anti-aliased text: a 32-colour palette keeps it
    # sharp and small (tens of KB rather than hundreds).
    palette = image.quantize(colors=32, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=True)
    return out.getvalue()


def _card_key(text: bytes, settings: dict, kind: str) -> str:
    from PIL import features

    fonts = [
        hashlib.sha256(_font_path(settings, r).read_bytes()).hexdigest() for r in ("title", "site")
    ]
    return cache_key(
        text,
        settings,
        kind,
        fonts,
        features.version("freetype2"),
        [settings.get(name) for name in CARD_SETTINGS],
    )


def cached_card(name: str, key: str, make, settings: dict) -> Path:
    """The card's file in the cache, made by `make()` only when it is not there yet."""
    folder = cache_folder(settings) / "cards"
    path = folder / f"{key}.{name.rsplit('.', 1)[-1]}"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(make())
        partial.replace(path)
    publish(name, path)
    return path


def drawn_card(slug: str, title: str, footer: str, settings: dict, alt: str = "") -> ShareCard:
    key = _card_key(f"{title}\n{footer}".encode(), settings, "drawn")
    name = f"images/share/{slug}-{key[:10]}.png"
    cached_card(name, key, lambda: draw_card(title, footer, settings), settings)
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
                "%s: Share_image %s could not be read as a picture (%s); save it again as JPEG.",
                content.relative_source_path,
                chosen,
                error,
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
