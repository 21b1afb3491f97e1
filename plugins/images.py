"""Pictures in articles: small, sharp, the right size, and nothing private in them.

An editor writes `![what it shows]({static}/images/photo.jpg)`. Published as
it is, a phone photo costs a reader megabytes, shifts the text as it loads,
and carries the camera's EXIF: where and when it was taken, on what. This
plugin rewrites every such `<img>` in an article or page, before Pelican
resolves `{static}`, into a `<picture>` of smaller copies:

- each raster picture is turned upright (EXIF orientation), converted to sRGB,
  and resized to the widths in `IMAGE_WIDTHS` that are not wider than the
  original (never upscaled): a phone column at 1× and 2×, a desktop column at
  1× and 2× (`--app-reading-width` in main.css is about 40rem);
- each width is written as AVIF (`<source type="image/avif">`) and as JPEG, or
  PNG for a picture with transparent parts, for browsers without AVIF;
- every copy is made from the pixels alone, so no EXIF, GPS, XMP, ICC profile,
  comment or camera field reaches the output;
- the `<img>` gets `width` and `height` (no layout shift), `sizes` for the
  column, and all but an article's first picture load lazily;
- an SVG is published as it is (the content rules have refused scripts and
  outside references in it), with `width` and `height` from its viewBox.

The originals are never published: content/images is not in STATIC_PATHS.

Encoding is slow (seconds for a big photo), so each result is kept on disk
under `CACHE_PATH/images/`, keyed by the file's bytes, the settings below,
the versions of Pillow and its encoders, and this module's code (comments
and docstrings left out: `engine.cache.code_digest`). Fixed encoder settings
and a single encoder thread make the bytes the same on every machine.

What the cache lacks is not encoded while Pelican reads: a picture is opened
once for its size (which names its copies and sizes its `<img>`), and its
copies, one job per width, like the share cards (plugins/share_cards.py),
are jobs of engine/scheduler.py: made by its helper process while Pelican
reads, by forked workers just before the output is written (`make_missing`)
when engine/workers.py finds that safe and worth it, so a cold build of many
articles spends about (work / cores) on them, and otherwise, and for a job a
worker could not finish, by the build's own process, which so reports any
error itself. A picture goes into the cache once all its widths are made.

Why Pillow and not pelican-image-process: that plugin needs a class written
into each image's HTML, keeps no cache between builds, writes no width and
height, and leaves metadata in unless told to run exiftool; Pillow alone
(AVIF in its wheels since 11.3) does all of this in one small module.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import io
import json
import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pelican import signals

from engine import scheduler
from engine.cache import (
    code_digest,
    link_or_copy,
    partial_name,
    publish_folder,
    remove_entry,
    sweep_partials,
)
from rules.pictures import (
    PICTURE_EXTENSIONS,
    encoding_failed,
    image_problem,
    original_published,
    svg_size,
    unreadable_picture,
)
from rules.sources import resolve_static

logger = logging.getLogger(__name__)

# The step whose code keys the copies (engine.cache.SHAPED_BY): this module's.
PICTURES_STEP = "pictures"
# The settings every copy depends on; a change re-encodes every picture.
IMAGE_SETTINGS = ("IMAGE_WIDTHS", "IMAGE_AVIF_QUALITY", "IMAGE_JPEG_QUALITY", "IMAGE_AVIF_SPEED")
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
STATIC_SRC = re.compile(r"^\{(?:static|attach|filename)\}(?P<path>[^#?]+)$")

# Output files of this run: path under the output folder -> cached file.
_pending: dict[str, Path] = {}
# What one width of a photo costs, decoded, resized and encoded as AVIF and
# JPEG, in CPU seconds: 0.08 to 0.19 s for the widths of a 1600 x 1200 photo on
# the project's 2-core machine, a phone's 4000 x 3000 more. engine/scheduler.py
# makes these first and decides on workers by it.
WIDTH_SECONDS = 0.15


@dataclass(frozen=True)
class Variant:
    """One published copy of a picture."""

    name: str  # file name under images/
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Processed:
    """A picture ready to publish: its copies and the size the page reserves for it."""

    width: int
    height: int
    variants: tuple[Variant, ...]

    def of(self, mime: str) -> list[Variant]:
        return [v for v in self.variants if v.mime == mime]


def cache_folder(settings: dict) -> Path:
    return Path(settings["CACHE_PATH"]) / "images"


@functools.cache
def library_versions() -> str:
    """Pillow and its codecs: a new encoder may write other bytes."""
    import PIL
    from PIL import features

    codecs = ("avif", "jpg", "zlib", "littlecms2")
    return ",".join([PIL.__version__, *(f"{c}={features.version(c)}" for c in codecs)])


def cache_key(data: bytes, settings: dict, *extra: object, step: str = PICTURES_STEP) -> str:
    """The file's bytes, the settings, the library versions and the code of `step`, hashed."""
    fixed = [
        code_digest(step),
        library_versions(),
        *(settings.get(name) for name in IMAGE_SETTINGS),
        *extra,
    ]
    digest = hashlib.sha256(data)
    digest.update(repr(fixed).encode())
    return digest.hexdigest()


def load_clean(data: bytes, *, keep_alpha: bool = True):
    """The picture's pixels only: upright, in sRGB, with no metadata at all."""
    from PIL import Image, ImageCms, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        opened.seek(0)  # the first frame of an animation: nothing moves on these pages
        image = ImageOps.exif_transpose(opened)
        has_alpha = keep_alpha and (
            image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info
        )
        mode = "RGBA" if has_alpha else "RGB"
        icc = image.info.get("icc_profile")
        if icc:
            # A broken profile: use the pixels as they are.
            with contextlib.suppress(ImageCms.PyCMSError, ValueError, OSError):
                image = ImageCms.profileToProfile(
                    image,
                    ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                    ImageCms.createProfile("sRGB"),
                    outputMode=mode if image.mode in {"RGB", "RGBA", "CMYK"} else None,
                )
        image = image.convert(mode)
        if has_alpha and image.getextrema()[3][0] == 255:
            image = image.convert("RGB")  # "transparency" that covers nothing
        image.load()
    # A new image from the pixels alone: nothing in `info` (EXIF, XMP, ICC,
    # comments, DPI) can reach an encoder.
    return Image.frombytes(image.mode, image.size, image.tobytes())


def encode(image, mime: str, settings: dict) -> bytes:
    """Fixed encoder settings and no metadata: the same pixels give the same bytes."""
    out = io.BytesIO()
    image.info = {}
    if mime == "image/avif":
        image.save(
            out,
            "AVIF",
            quality=settings["IMAGE_AVIF_QUALITY"],
            speed=settings["IMAGE_AVIF_SPEED"],
            # One thread: libaom's output may depend on how the work was split.
            max_threads=1,
            exif=b"",
            xmp=b"",
            icc_profile=b"",
        )
    elif mime == "image/png":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(
            out,
            "JPEG",
            quality=settings["IMAGE_JPEG_QUALITY"],
            optimize=True,
            progressive=True,
            subsampling="4:2:0",
        )
    return out.getvalue()


EXTENSIONS = {"image/avif": "avif", "image/png": "png", "image/jpeg": "jpg"}


def process(source: Path, settings: dict) -> Processed:
    """The published copies of a raster picture: from the cache, or planned and made later.

    The copies' names and sizes come from the picture's size alone, so the
    page can name them now; `make_missing` encodes them before the output
    is written."""
    key = _source_key(source, settings)
    folder = cache_folder(settings) / key
    recorded = _recorded(folder)
    if recorded is not None:
        _remember(folder, recorded.variants)
        return recorded
    planned = _planned.get(folder)
    if planned is None:
        data = source.read_bytes()
        # Read once for the key and the pixels: an edit in between can never
        # file one version's copies under the other's key.
        key = cache_key(data, settings)
        folder = cache_folder(settings) / key
        planned = _planned.get(folder) or _plan(source, data, key, folder, settings)
    _remember(folder, planned.variants)
    return planned


def _source_key(source: Path, settings: dict) -> str:
    stat = source.stat()
    fixed = repr([settings.get(name) for name in IMAGE_SETTINGS])
    return _file_key(str(source.resolve()), stat.st_mtime_ns, stat.st_size, fixed, settings)


# A photo used by many articles is read and hashed once per process, not once
# per article (~10 ms each for a phone photo); keyed by its time and size so
# the preview server sees an edit.
_file_keys: dict[tuple[str, int, int, str], str] = {}


def _file_key(path: str, mtime: int, size: int, fixed: str, settings: dict) -> str:
    memo = (path, mtime, size, fixed)
    if memo not in _file_keys:
        if len(_file_keys) > 4096:
            _file_keys.clear()
        _file_keys[memo] = cache_key(Path(path).read_bytes(), settings)
    return _file_keys[memo]


def forget() -> None:
    """Empty the memo of the pictures' keys: the next build reads and hashes every
    picture again, as a fresh process would."""
    _file_keys.clear()


@dataclass
class _Picture:
    """A picture whose copies this build encodes: where they go, and what is left."""

    staging: Path
    record: dict
    jobs: set[int] = field(default_factory=set)


# Pictures planned in this run, by their folder in the cache (also a
# Processed, for a second article that uses the same picture).
_planned: dict[Path, Processed] = {}
_pictures: dict[Path, _Picture] = {}


def _plan(source: Path, data: bytes, key: str, folder: Path, settings: dict) -> Processed:
    image = load_clean(data)  # here, so a picture that cannot be read is named now
    fallback = "image/png" if image.mode == "RGBA" else "image/jpeg"
    widths = sorted({w for w in settings["IMAGE_WIDTHS"] if w < image.width} | {image.width})
    widths = [w for w in widths if w <= max(settings["IMAGE_WIDTHS"])]
    stem = f"{_safe(source.stem)}-{key[:10]}"
    # A folder of this build's own: another build in the same checkout may be
    # making the same entry at this moment (engine.cache.publish_folder).
    staging = partial_name(folder)
    staging.mkdir(parents=True)
    variants = []
    picture = _Picture(staging, {})
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        pair = [
            Variant(f"{stem}-{width}.{EXTENSIONS[m]}", width, height, m)
            for m in ("image/avif", fallback)
        ]
        variants.extend(pair)
        job = functools.partial(_encode_width, data, staging, pair, settings)
        what = _content_name(source, settings)
        # The helper gets the file's name, not its bytes: megabytes down the
        # pipe would hold Pelican up until the helper had read them.
        portable = (settings, _encode_width_from_file, (str(source), key, str(staging), pair))
        picture.jobs.add(
            scheduler.later(
                job, staging / pair[0].name, what, seconds=WIDTH_SECONDS, portable=portable
            )
        )
    largest = variants[-1]
    picture.record = {
        "width": largest.width,
        "height": largest.height,
        "variants": [v.__dict__ for v in variants],
    }
    _pictures[folder] = picture
    _planned[folder] = Processed(largest.width, largest.height, tuple(variants))
    return _planned[folder]


def _content_name(source: Path, settings: dict) -> str:
    root = Path(settings["PATH"]).resolve()
    return PurePosixPath("content", source.resolve().relative_to(root).as_posix()).as_posix()


def _encode_width(data: bytes, staging: Path, pair: list[Variant], settings: dict) -> None:
    """One width of a picture, in each of its formats, into the staging folder.

    The picture is decoded again here rather than kept: a build that plans
    many new photos would otherwise hold all of them, decoded, until the end."""
    from PIL import Image

    image = load_clean(data)
    width, height = pair[0].width, pair[0].height
    if width != image.width:
        image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    for variant in pair:
        (staging / variant.name).write_bytes(encode(image, variant.mime, settings))


def _encode_width_from_file(
    settings: dict, source: str, key: str, staging: str, pair: list[Variant]
) -> None:
    """As `_encode_width`, from the file, in the helper; refused if the file has changed."""
    data = Path(source).read_bytes()
    if cache_key(data, settings) != key:
        raise ValueError(f"{source} changed while the build ran")
    _encode_width(data, Path(staging), pair, settings)


def _finish_picture(folder: Path, picture: _Picture) -> None:
    """Put the picture's copies in the cache in one step: whole or not at all, so a
    build stopped half-way leaves no half entry, and a build running beside this
    one sees the entry only once it is complete (or keeps its own, if first)."""
    (picture.staging / "manifest.json").write_text(
        json.dumps(picture.record, indent=1), encoding="utf-8"
    )
    if folder.exists() and _recorded(folder) is None:
        remove_entry(folder)  # damaged (a file deleted by hand): never used
    publish_folder(picture.staging, folder)


def _recorded(folder: Path) -> Processed | None:
    """The finished entry `folder` in the cache, or None if there is none (or it lacks a file)."""
    try:
        recorded = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    variants = tuple(Variant(**v) for v in recorded["variants"])
    if not all((folder / v.name).is_file() for v in variants):
        return None
    return Processed(recorded["width"], recorded["height"], variants)


# --- Making what the cache lacks ---------------------------------------------


def make_missing(settings: dict) -> None:
    """Make every job asked for in this run (engine/scheduler.py), then put each
    picture whose copies were all made into the cache."""
    failed = set()
    for failure in scheduler.finish((OSError, ValueError)):
        failed.add(failure.number)
        logger.error("%s", encoding_failed(failure.what, failure.error))
    for folder, picture in sorted(_pictures.items()):
        if picture.jobs & failed:
            shutil.rmtree(picture.staging, ignore_errors=True)
        else:
            _finish_picture(folder, picture)
    _pictures.clear()
    _planned.clear()


def process_svg(source: Path, settings: dict) -> Processed:
    data = source.read_bytes()
    width, height = svg_size(data.decode("utf-8"))
    name = f"{_safe(source.stem)}-{hashlib.sha256(data).hexdigest()[:10]}.svg"
    publish(f"images/{name}", source)
    return Processed(width, height, (Variant(name, width, height, "image/svg+xml"),))


def _safe(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-").lower() or "image"


def _remember(folder: Path, variants: tuple[Variant, ...]) -> None:
    for variant in variants:
        publish(f"images/{variant.name}", folder / variant.name)


def publish(name: str, file: Path) -> None:
    """Copy `file` (in the cache) to `name` under the output folder when Pelican is done."""
    _pending[name] = file


def pending() -> dict[str, Path]:
    """A copy of what this run will publish: path under the output folder -> cached file.

    The preview's pages path (preview/rebuild.py) compares it before and after
    reading a file again: an edit that publishes a new picture takes the full
    build."""
    return dict(_pending)


def image_url(settings: dict, name: str) -> str:
    return f"{settings['SITEURL']}/images/{name}"


def srcset(settings: dict, variants: list[Variant]) -> str:
    return ", ".join(f"{image_url(settings, v.name)} {v.width}w" for v in variants)


def picture_html(processed: Processed, alt: str, settings: dict, *, first: bool) -> str:
    """`<picture>` with an AVIF source and a JPEG/PNG `<img>`, or a plain `<img>` for SVG."""
    loading = "" if first else ' loading="lazy" decoding="async"'
    size = f'width="{processed.width}" height="{processed.height}"'
    alt = html.escape(alt, quote=True)
    svg = processed.of("image/svg+xml")
    if svg:
        url = image_url(settings, svg[0].name)
        return f'<img src="{url}" alt="{alt}" {size}{loading}>'
    sizes = html.escape(settings["IMAGE_SIZES"], quote=True)
    fallback = [v for v in processed.variants if v.mime != "image/avif"]
    # The src is the copy a phone at 2× would pick: the best single choice.
    default = next((v for v in fallback if v.width >= 720), fallback[-1])
    return (
        "<picture>"
        f'<source type="image/avif" srcset="{srcset(settings, processed.of("image/avif"))}" '
        f'sizes="{sizes}">'
        f'<img src="{image_url(settings, default.name)}" srcset="{srcset(settings, fallback)}" '
        f'sizes="{sizes}" alt="{alt}" {size}{loading}>'
        "</picture>"
    )


def line_of(source_path: str, target: str) -> int:
    """The Markdown line that uses `target`, for messages (1 if it cannot be found)."""
    try:
        lines = Path(source_path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, 1) if target in line), 1)


def published_picture(content, target: str) -> Processed | None:
    """The processed picture a `{static}` path in `content` names, or None (and an error)."""
    settings = content.settings
    root = Path(settings["PATH"])
    match = STATIC_SRC.match(target)
    if match is None:
        return None
    path = resolve_static(root, Path(content.source_path).parent, match.group("path"))
    if path.suffix.lower() not in PICTURE_EXTENSIONS or not path.is_relative_to(
        (root / "images").resolve()
    ):
        return None
    rel = Path(content.source_path).resolve().relative_to(root.resolve().parent).as_posix()
    where = f"{rel}:{line_of(content.source_path, target)}"
    problem = image_problem(path, root)
    if problem:
        logger.error("%s: %s", where, problem)
        return None
    try:
        if path.suffix.lower() == ".svg":
            return process_svg(path, settings)
        return process(path, settings)
    except (OSError, ValueError, SyntaxError) as error:
        name = PurePosixPath("content", path.relative_to(root.resolve()).as_posix())
        logger.error("%s: %s", where, unreadable_picture(str(name), error))
        return None


def rewrite_pictures(content) -> None:
    """Replace each `<img src="{static}/images/…">` in the body with its published copies."""
    body = getattr(content, "_content", None)
    if not body or "<img" not in body:
        return
    # A draft in production is not written, but Pelican still resolves its
    # `{static}` links and would copy the originals: rewrite its pictures too,
    # and publish none of them.
    written = bool(content.save_as)
    before = dict(_pending)
    first = True

    def replace(match: re.Match) -> str:
        nonlocal first
        attributes = {
            m.group(1).lower(): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in ATTRIBUTE.finditer(match.group(0))
        }
        processed = published_picture(content, attributes.get("src", ""))
        if processed is None:
            return match.group(0)
        result = picture_html(processed, attributes.get("alt", ""), content.settings, first=first)
        first = False
        return result

    content._content = IMG_TAG.sub(replace, body)
    if not written:
        _pending.clear()
        _pending.update(before)


def start_run(pelican) -> None:
    scheduler.start(pelican.settings)  # first: a helper the last run left is stopped
    _pending.clear()
    for picture in _pictures.values():  # that run's unfinished entries
        shutil.rmtree(picture.staging, ignore_errors=True)
    _pictures.clear()
    folder = cache_folder(pelican.settings)
    for stopped in (folder, folder / "cards"):  # what builds stopped by Ctrl+C left
        sweep_partials(stopped)
    _planned.clear()


def write_pictures(pelican) -> None:
    """Make what the cache lacks, then put this build's pictures into the output folder
    (hard links to the cache's copies where the disk allows)."""
    make_missing(pelican.settings)
    output = Path(pelican.output_path)
    images = Path(pelican.settings["PATH"]) / "images"
    for original in sorted(images.rglob("*")) if images.is_dir() else []:
        copied = output / original.relative_to(images.parent)
        if original.is_file() and copied.is_file():
            # Never expected: an original carries the camera's data (GPS, make).
            name = f"content/{original.relative_to(images.parent).as_posix()}"
            logger.error("%s", original_published(name))
    for name, cached in sorted(_pending.items()):
        target = output / name
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(cached, target)


def register() -> None:
    signals.initialized.connect(start_run)
    signals.content_object_init.connect(rewrite_pictures)
    signals.finalized.connect(write_pictures)
