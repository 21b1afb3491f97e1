"""What a photo says about where it was taken and on which camera, and how to take it out.

A phone writes into every photo the place it was taken (GPS, in the EXIF's GPS
block, and often again in XMP) and the camera's serial numbers (EXIF's
BodySerialNumber 0xA431 and LensSerialNumber 0xA435, or the maker's own notes,
MakerNote 0x927C). The site publishes only copies made from the pixels
(plugins/images.py), but the file an editor saves in content/images/ is
committed to the public repository as it is. So:

- `private_metadata(path)` says what a picture carries: `LOCATION`,
  `SERIAL`, both or neither (Pillow parses the EXIF; the XMP is searched);
- `check_private_metadata` is the rule that refuses a picture in content/
  still carrying either, naming the one command that removes them;
- `cleaned(data, suffix)` is that removal, lossless: the same file with its
  metadata rewritten and every byte of the picture itself kept, so the
  pixels decode exactly as before (commands/clean_photos.py writes it back
  in place, for `invoke clean-photos` and the preview).

What `cleaned` keeps and drops, by format:

- JPEG: the segments decoding and colour need stay as they are: JFIF (APP0),
  the ICC profile (APP2 `ICC_PROFILE`), Adobe's colour transform (APP14),
  the tables, frame and every scan. Every other application segment goes:
  EXIF and XMP (APP1), Photoshop and IPTC (APP13), the multi-picture index
  (APP2 `MPF`) and the makers' and provenance segments, and anything after
  the picture's end (a phone's extra images, depth or HDR maps, each with
  its own EXIF). A minimal EXIF holding only the Orientation, if the photo
  had one, takes the first EXIF's place, so the picture still shows upright.
- PNG: eXIf, and the text chunks holding XMP (`XML:com.adobe.xmp`) or
  EXIF and other profiles (`Raw profile type …`, as ImageMagick writes
  them) go; iCCP, the image data and every other chunk stay; the
  Orientation comes back as a minimal eXIf.
- WebP: the EXIF and XMP chunks go, the Orientation comes back as a minimal
  EXIF chunk, and the VP8X flags and the RIFF size say what is left.

AVIF and GIF pictures are refused the same way, but `cleaned` cannot
rewrite them: the message says to save them again as JPEG or PNG first.
"""

from __future__ import annotations

import functools
import re
import struct
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

from rules.sources import Problem

LOCATION = "location"
SERIAL = "camera serial number"
CLEAN_COMMAND = ".venv/bin/invoke clean-photos"
CLEANABLE = {".jpg", ".jpeg", ".png", ".webp"}
# Raster pictures the rule reads (content/images/ and the PNGs of content/extra/).
CHECKED = CLEANABLE | {".gif", ".avif"}

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
ORIENTATION = 0x0112
BODY_SERIAL = 0xA431
LENS_SERIAL = 0xA435
MAKER_NOTE = 0x927C
XMP_LOCATION = re.compile(rb"GPS(?:Latitude|Longitude|Altitude|Position)", re.IGNORECASE)
XMP_SERIAL = re.compile(rb"SerialNumber", re.IGNORECASE)
XMP_ORIENTATION = re.compile(rb"tiff:Orientation(?:=[\"']|>)\s*([1-8])")


class NotCleanable(ValueError):
    """The file cannot be rewritten without changing its picture: why, for the editor."""


# --- What a picture is made of ------------------------------------------------

KEEP, EXIF, XMP, DROP = "keep", "exif", "xmp", "drop"


@dataclass(frozen=True)
class Piece:
    """A run of a file's bytes: kept as it is, or metadata (EXIF, XMP, other) to drop."""

    raw: bytes
    kind: str = KEEP
    payload: bytes = b""  # EXIF: the TIFF structure; XMP: the packet


JPEG_START = b"\xff\xd8"
JPEG_END = 0xD9
JPEG_SCAN = 0xDA
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers with no length: TEM, RST0-7
APP0, APP1, APP2, APP14 = 0xE0, 0xE1, 0xE2, 0xEE
EXIF_HEADER = b"Exif\0\0"
XMP_HEADERS = (b"http://ns.adobe.com/xap/1.0/\0", b"http://ns.adobe.com/xmp/extension/\0")


def _jpeg(data: bytes, *, header_only: bool = False) -> list[Piece]:
    """The JPEG's segments, its scans' coded data and whatever follows its end.

    `header_only` stops at the first scan: all a check of its metadata needs."""
    if not data.startswith(JPEG_START):
        raise NotCleanable("it does not start as a JPEG does")
    pieces = [Piece(JPEG_START)]
    position = 2
    while True:
        if position + 2 > len(data) or data[position] != 0xFF:
            raise NotCleanable("it ends before its picture does, or is damaged")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            pieces.append(Piece(data[position : position + 1]))
            position += 1
            continue
        if marker == JPEG_END:
            pieces.append(Piece(data[position : position + 2]))
            position += 2
            break
        if marker in STANDALONE:
            pieces.append(Piece(data[position : position + 2]))
            position += 2
            continue
        if position + 4 > len(data):
            raise NotCleanable("it ends before its picture does")
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise NotCleanable("it ends before its picture does, or is damaged")
        pieces.append(_jpeg_segment(marker, data[position:end]))
        position = end
        if marker == JPEG_SCAN:
            if header_only:
                return pieces
            coded = _coded_end(data, position)
            pieces.append(Piece(data[position:coded]))
            position = coded
    if position < len(data):
        pieces.append(Piece(data[position:], DROP))
    return pieces


def _jpeg_segment(marker: int, raw: bytes) -> Piece:
    payload = raw[4:]
    if marker == APP1 and payload.startswith(EXIF_HEADER):
        return Piece(raw, EXIF, payload[len(EXIF_HEADER) :])
    if marker == APP1 and payload.startswith(XMP_HEADERS):
        return Piece(raw, XMP, payload)
    keep = (
        marker in (APP0, APP14)
        or (marker == APP2 and payload.startswith(b"ICC_PROFILE\0"))
        or not 0xE0 <= marker <= 0xEF
    )
    return Piece(raw) if keep else Piece(raw, DROP, payload)


def _coded_end(data: bytes, position: int) -> int:
    """Where a scan's entropy-coded data ends: the next marker that is not a
    stuffed byte (FF 00) or a restart marker (FF D0-D7)."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise NotCleanable("it ends before its picture does")
        following = data[position + 1]
        if following == 0 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1 if following == 0xFF else 2
            continue
        return position


def _jpeg_exif(tiff: bytes) -> Piece:
    payload = EXIF_HEADER + tiff
    return Piece(b"\xff" + bytes([APP1]) + struct.pack(">H", len(payload) + 2) + payload)


PNG_START = b"\x89PNG\r\n\x1a\n"
PNG_TEXT = {b"tEXt", b"zTXt", b"iTXt"}


def _png(data: bytes, *, header_only: bool = False) -> list[Piece]:
    if not data.startswith(PNG_START):
        raise NotCleanable("it does not start as a PNG does")
    pieces = [Piece(PNG_START)]
    position = len(PNG_START)
    while True:
        if position + 12 > len(data):
            raise NotCleanable("it ends before its picture does")
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            raise NotCleanable("it ends before its picture does")
        raw = data[position:end]
        pieces.append(_png_chunk(kind, raw[8:-4], raw))
        position = end
        if kind == b"IEND":
            break
    if position < len(data):
        pieces.append(Piece(data[position:], DROP))
    return pieces


def _png_chunk(kind: bytes, body: bytes, raw: bytes) -> Piece:
    if kind == b"eXIf":
        return Piece(raw, EXIF, body)
    if kind not in PNG_TEXT:
        return Piece(raw)
    keyword, _, rest = body.partition(b"\0")
    name = keyword.lower()
    if name != b"xml:com.adobe.xmp" and not name.startswith(b"raw profile type "):
        return Piece(raw)
    try:
        text = _png_text(kind, rest)
        if name.endswith((b" exif", b" app1")):
            return Piece(raw, EXIF, _raw_profile(text))
    except (zlib.error, ValueError, IndexError):
        return Piece(raw, DROP)  # unreadable: dropped all the same
    if name == b"xml:com.adobe.xmp" or name.endswith(b" xmp"):
        return Piece(raw, XMP, text)
    if name.endswith((b" icc", b" icm")):
        return Piece(raw)  # a colour profile, as ImageMagick writes one: colour, not data
    return Piece(raw, DROP, text)


def _png_text(kind: bytes, rest: bytes) -> bytes:
    """The text of a tEXt, zTXt or iTXt chunk, after its keyword."""
    if kind == b"tEXt":
        return rest
    if kind == b"zTXt":
        return zlib.decompress(rest[1:])
    compressed = rest[0]
    # compression flag and method, then the language tag and translated keyword
    text = rest[2:].split(b"\0", 2)[-1]
    return zlib.decompress(text) if compressed else text


def _raw_profile(text: bytes) -> bytes:
    """EXIF from ImageMagick's `Raw profile type exif`: a name, a length, then hex."""
    lines = text.strip().split(b"\n")
    tiff = bytes.fromhex(b"".join(lines[2:]).decode("ascii"))
    return tiff[len(EXIF_HEADER) :] if tiff.startswith(EXIF_HEADER) else tiff


def _png_exif(tiff: bytes) -> Piece:
    return Piece(struct.pack(">I", len(tiff)) + b"eXIf" + tiff + _crc(b"eXIf" + tiff))


def _crc(data: bytes) -> bytes:
    return struct.pack(">I", zlib.crc32(data))


WEBP_FLAGS = {"icc": 0x20, "alpha": 0x10, "exif": 0x08, "xmp": 0x04, "animation": 0x02}


def _webp(data: bytes, *, header_only: bool = False) -> list[Piece]:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise NotCleanable("it does not start as a WebP picture does")
    (size,) = struct.unpack("<I", data[4:8])
    if 8 + size > len(data):
        raise NotCleanable("it ends before its picture does")
    pieces = [Piece(data[:12])]
    position = 12
    while position < 8 + size:
        if position + 8 > len(data):
            raise NotCleanable("it ends before its picture does")
        kind, length = struct.unpack("<4sI", data[position : position + 8])
        end = position + 8 + length + (length & 1)
        if end > len(data):
            raise NotCleanable("it ends before its picture does")
        raw, body = data[position:end], data[position + 8 : position + 8 + length]
        if kind == b"EXIF":
            tiff = body[len(EXIF_HEADER) :] if body.startswith(EXIF_HEADER) else body
            pieces.append(Piece(raw, EXIF, tiff))
        elif kind == b"XMP ":
            pieces.append(Piece(raw, XMP, body))
        else:
            pieces.append(Piece(raw))
        position = end
    if position < len(data):
        pieces.append(Piece(data[position:], DROP))
    return pieces


def _webp_exif(tiff: bytes) -> Piece:
    return Piece(b"EXIF" + struct.pack("<I", len(tiff)) + tiff + b"\0" * (len(tiff) & 1))


def _webp_finish(pieces: list[Piece]) -> list[Piece]:
    """The RIFF size and the VP8X flags for the chunks that are left."""
    chunks = [piece.raw for piece in pieces[1:]]
    for number, chunk in enumerate(chunks):
        if chunk[:4] == b"VP8X":
            flags = chunk[8] & ~(WEBP_FLAGS["exif"] | WEBP_FLAGS["xmp"])
            if any(other[:4] == b"EXIF" for other in chunks):
                flags |= WEBP_FLAGS["exif"]
            chunks[number] = chunk[:8] + bytes([flags]) + chunk[9:]
        elif chunk[:4] == b"EXIF" and not any(c[:4] == b"VP8X" for c in chunks):
            raise NotCleanable("its orientation cannot be kept in a simple WebP file")
    size = 4 + sum(len(chunk) for chunk in chunks)
    header = b"RIFF" + struct.pack("<I", size) + b"WEBP"
    return [Piece(header), *(Piece(chunk) for chunk in chunks)]


FORMATS = {
    ".jpg": (_jpeg, _jpeg_exif),
    ".jpeg": (_jpeg, _jpeg_exif),
    ".png": (_png, _png_exif),
    ".webp": (_webp, _webp_exif),
}


# --- What it says, and what is left once it is cleaned ----------------------


# What Pillow raises on EXIF it cannot parse.
EXIF_ERRORS = (OSError, ValueError, SyntaxError, struct.error, KeyError, IndexError, TypeError)


def _exif_of(tiff: bytes):
    """The EXIF Pillow reads from a TIFF structure, or None if it cannot parse it."""
    from PIL import Image

    exif = Image.Exif()
    try:
        exif.load(tiff)
        exif.get_ifd(EXIF_IFD)  # parsed now, so an error is seen here
    except EXIF_ERRORS:
        return None
    return exif


def private_in(exif_payloads: list[bytes], xmp_payloads: list[bytes]) -> tuple[str, ...]:
    """LOCATION and SERIAL, in that order, as far as the EXIF and XMP carry them."""
    found = set()
    for exif in filter(None, map(_exif_of, exif_payloads)):
        if GPS_IFD in exif:
            found.add(LOCATION)
        if {BODY_SERIAL, LENS_SERIAL, MAKER_NOTE} & (set(exif) | set(exif.get_ifd(EXIF_IFD))):
            found.add(SERIAL)
    for packet in xmp_payloads:
        if XMP_LOCATION.search(packet):
            found.add(LOCATION)
        if XMP_SERIAL.search(packet):
            found.add(SERIAL)
    return tuple(kind for kind in (LOCATION, SERIAL) if kind in found)


def private_data(data: bytes, suffix: str) -> tuple[str, ...]:
    """What a picture's bytes carry of LOCATION and SERIAL."""
    suffix = suffix.lower()
    if suffix in FORMATS:
        read, _ = FORMATS[suffix]
        try:
            pieces = read(data, header_only=True)
        except NotCleanable:
            return ()  # not a picture the build can read: rules.pictures says so
        return private_in(
            [p.payload for p in pieces if p.kind == EXIF],
            [p.payload for p in pieces if p.kind == XMP],
        )
    return _private_by_pillow(data)


def _private_by_pillow(data: bytes) -> tuple[str, ...]:
    """AVIF and GIF: what Pillow reads of their metadata, without decoding the picture."""
    import io

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # nothing is decoded
            with Image.open(io.BytesIO(data)) as image:
                exif = image.info.get("exif") or b""
                xmp = image.info.get("xmp") or b""
    except (*EXIF_ERRORS, Image.DecompressionBombError):  # rules.pictures says what is wrong
        return ()
    xmp = xmp.encode() if isinstance(xmp, str) else xmp
    return private_in([exif] if exif else [], [xmp] if xmp else [])


def private_metadata(path: Path) -> tuple[str, ...]:
    """What the picture at `path` carries of LOCATION and SERIAL (read once per version)."""
    stat = path.stat()
    return _private_metadata(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _private_metadata(path: str, mtime: int, size: int) -> tuple[str, ...]:
    return private_data(Path(path).read_bytes(), Path(path).suffix)


def orientation(pieces: list[Piece]) -> int | None:
    """The Orientation the EXIF (or else the XMP) gives, as Pillow would read it."""
    for piece in pieces:
        exif = _exif_of(piece.payload) if piece.kind == EXIF else None
        if exif is not None and exif.get(ORIENTATION) in range(1, 9):
            return exif[ORIENTATION]
    for piece in pieces:
        if piece.kind == XMP and (match := XMP_ORIENTATION.search(piece.payload)):
            return int(match.group(1))
    return None


def minimal_exif(value: int) -> bytes:
    """A TIFF structure with the Orientation `value` and nothing else."""
    from PIL import Image

    exif = Image.Exif()
    exif[ORIENTATION] = value
    return exif.tobytes()[len(EXIF_HEADER) :]


def cleaned(data: bytes, suffix: str) -> bytes:
    """`data` without EXIF (but its Orientation), XMP and the other metadata the module
    docstring lists; every byte of the picture itself kept. NotCleanable if it cannot be."""
    suffix = suffix.lower()
    if suffix not in FORMATS:
        raise NotCleanable(f"{suffix or 'this'} pictures cannot be cleaned without re-encoding")
    read, exif_piece = FORMATS[suffix]
    pieces = read(data)
    value = orientation(pieces)
    kept = [piece for piece in pieces if piece.kind == KEEP]
    if value is not None:
        kept.insert(_exif_place(pieces, suffix), exif_piece(minimal_exif(value)))
    if suffix == ".webp":
        kept = _webp_finish(kept)
    return b"".join(piece.raw for piece in kept)


def _exif_place(pieces: list[Piece], suffix: str) -> int:
    """Where the minimal EXIF goes among the kept pieces: where the first EXIF was,
    else where the format expects it."""
    kept_before = 0
    for piece in pieces:
        if piece.kind == EXIF:
            return kept_before
        if piece.kind == KEEP:
            kept_before += 1
    kept = [piece for piece in pieces if piece.kind == KEEP]
    if suffix == ".png":
        return next(n for n, piece in enumerate(kept) if piece.raw[4:8] == b"IDAT")
    if suffix == ".webp":
        return len(kept)
    # JPEG: after SOI and JFIF (APP0), as the EXIF standard and JFIF both allow.
    place = 1
    while place < len(kept) and kept[place].raw[:2] == b"\xff" + bytes([APP0]):
        place += 1
    return place


# --- The rule -----------------------------------------------------------------


def describe(found: tuple[str, ...]) -> str:
    """`location and camera serial number`, or either alone."""
    return " and ".join(found)


def check_private_metadata(path: Path, rel: str) -> list[Problem]:
    """A picture in content/ must not carry where it was taken or the camera's serial:
    the file itself is committed to the public repository."""
    if path.suffix.lower() not in CHECKED:
        return []
    try:
        found = private_metadata(path)
    except OSError:
        return []
    if not found:
        return []
    what = {
        (LOCATION,): "the place it was taken (GPS)",
        (SERIAL,): "the camera's serial number",
        (LOCATION, SERIAL): "the place it was taken (GPS) and the camera's serial number",
    }[found]
    fix = f"run {CLEAN_COMMAND} to remove them (the picture itself is unchanged)"
    if path.suffix.lower() not in CLEANABLE:
        fix = f"save it again as JPEG or PNG, then run {CLEAN_COMMAND} to remove them"
    return [
        Problem(
            rel,
            0,
            f"this picture carries {what}, and the file itself goes into the site's "
            f"public repository; {fix}.",
        )
    ]


# What `invoke clean-photos` and the preview (commands/clean_photos.py) say of
# a photo they cleaned, or could not.


def cleaned_message(rel: str, found: tuple[str, ...]) -> str:
    """A photo cleaned in place, said in one line."""
    what = f"the {describe(found)}" if found else "the camera's details (such as its make)"
    return f"{rel}: removed {what} from the photo (its picture is unchanged)"


def not_cleaned_message(rel: str, found: tuple[str, ...], error: Exception) -> str:
    """A photo that still carries `found` because cleaning it failed with `error`."""
    return (
        f"{rel}: still carries the {describe(found)}: it could not be cleaned "
        f"({error}). Save it again as JPEG or PNG in an image editor, then run "
        "this command again."
    )
