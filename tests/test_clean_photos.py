"""commands/clean_photos.py: nothing private in the repository, photos cleaned in place.

Cleaning keeps a JPEG's scan data byte for byte, its decoded pixels,
orientation and colour profile, and removes where it was taken, the camera's
serial numbers, maker's notes and XMP; a PNG and a WebP keep their image data;
a file still being copied in is left alone; the build refuses an uncleaned
photo until `invoke clean-photos` cleans it, and an AVIF with what to do.
"""

from __future__ import annotations

import struct

import pytest
from conftest import (
    CLEANED_LINE,
    PRIVATE_BYTES,
    XMP,
    decoded,
    phone_exif,
    phone_photo,
    run_build,
    run_invoke,
)
from rule_cases import failing_build
from test_images import write_pictured_article

from benchmarks.synthetic import photo


def scan_data(jpeg: bytes) -> bytes:
    """The JPEG from its first scan (SOS) on: the coded picture itself."""
    position = 2
    while jpeg[position + 1] != 0xDA:
        position += 2 + struct.unpack(">H", jpeg[position + 2 : position + 4])[0]
    return jpeg[position:]


def private_bytes_in(data: bytes) -> list[bytes]:
    return [
        marker
        for marker in (b"GPS", b"http://ns.adobe.com", b"xmpmeta", *PRIVATE_BYTES[2:5])
        if marker in data
    ]


def test_cleaning_a_photo_in_place_keeps_its_picture_orientation_and_colour_and_nothing_private(
    tmp_path,
):
    from commands.clean_photos import clean_in_place
    from rules.photo_metadata import LOCATION, SERIAL, private_metadata

    path = tmp_path / "phone-photo.jpg"
    phone_photo(path)
    original = path.read_bytes()
    assert private_metadata(path) == (LOCATION, SERIAL)
    cleaning = clean_in_place(path, "content/images/phone-photo.jpg")
    assert cleaning.said == CLEANED_LINE
    data = path.read_bytes()
    assert scan_data(data) == scan_data(original), "the coded picture changed"
    pixels, exif, icc = decoded(data)
    original_pixels, _, original_icc = decoded(original)
    assert pixels == original_pixels
    assert exif == {0x0112: 6}, "only the orientation stays"
    assert icc == original_icc
    assert private_metadata(path) == ()
    header = data[: len(data) - len(scan_data(data))]
    assert private_bytes_in(header) == []
    assert clean_in_place(path, "content/images/phone-photo.jpg") is None, "cleaned twice"
    assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["phone-photo.jpg"], "a partial file was left"


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        chunks.append(
            (data[position + 4 : position + 8], data[position + 8 : position + 8 + length])
        )
        position += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert struct.unpack("<I", data[4:8])[0] == len(data) - 8, "the RIFF size is wrong"
    chunks, position = [], 12
    while position < len(data):
        kind, length = struct.unpack("<4sI", data[position : position + 8])
        chunks.append((kind, data[position + 8 : position + 8 + length]))
        position += 8 + length + (length & 1)
    return chunks


def test_cleaning_a_png_or_webp_keeps_its_image_data_and_profile_and_drops_exif_and_xmp(tmp_path):
    from PIL import ImageCms, PngImagePlugin

    from commands.clean_photos import clean_in_place
    from rules.photo_metadata import private_metadata

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = photo(400, 300, seed=3)
    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    text.add_text("Comment", "kept: not EXIF or XMP")
    image.save(tmp_path / "a.png", exif=phone_exif(), icc_profile=icc, pnginfo=text)
    image.save(tmp_path / "a.webp", exif=phone_exif(), icc_profile=icc, xmp=XMP, lossless=True)
    read = {".png": png_chunks, ".webp": webp_chunks}
    image_data = {".png": {b"IDAT", b"iCCP", b"IHDR"}, ".webp": {b"VP8L", b"ICCP"}}
    for path in (tmp_path / "a.png", tmp_path / "a.webp"):
        original = path.read_bytes()
        assert private_metadata(path), path.name
        assert clean_in_place(path, path.name) is not None
        data = path.read_bytes()
        before, after = read[path.suffix](original), read[path.suffix](data)
        kept = image_data[path.suffix]
        assert [c for c in after if c[0] in kept] == [c for c in before if c[0] in kept]
        assert {kind for kind, _ in after} & {b"tEXt", b"iTXt", b"XMP "} == (
            {b"tEXt"} if path.suffix == ".png" else set()
        )
        assert decoded(data) == (decoded(original)[0], {0x0112: 6}, icc), path.name
        metadata = b"".join(kind + body for kind, body in after if kind not in {b"IDAT", b"VP8L"})
        assert private_metadata(path) == () and private_bytes_in(metadata) == [], path.name
        if path.suffix == ".webp":
            flags = dict(after)[b"VP8X"][0]
            assert flags & 0x20 and flags & 0x08 and not flags & 0x04, f"VP8X flags {flags:#x}"


def test_a_photo_still_being_copied_in_is_left_as_it_is(tmp_path):
    from commands.clean_photos import clean_in_place
    from rules.photo_metadata import NotCleanable

    path = tmp_path / "half.jpg"
    phone_photo(path, size=(800, 600))
    half = path.read_bytes()[:-5000]
    path.write_bytes(half)
    with pytest.raises(NotCleanable, match="ends before its picture does"):
        clean_in_place(path, "half.jpg")
    assert path.read_bytes() == half
    assert [p.name for p in tmp_path.iterdir()] == ["half.jpg"]


# A photo from a phone's camera, but not of its full size: what matters here is what
# the file carries besides its pixels (test_images.py builds the full-size one).
SMALL_PHOTO = (1600, 1200)


def test_a_photo_with_its_location_is_refused_until_clean_photos_cleans_it(site_copy):
    write_pictured_article(site_copy / "content", SMALL_PHOTO)
    message = failing_build(site_copy)
    assert (
        "content/images/phone-photo.jpg: this picture carries the place it was taken (GPS) "
        "and the camera's serial number"
    ) in message
    assert "run .venv/bin/invoke clean-photos to remove them" in message
    result = run_invoke(site_copy, "clean-photos")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        CLEANED_LINE,
        "Cleaned 1 picture in content/; 1 had nothing to remove.",
    ]
    result = run_build(site_copy, "--production", "--output", "out")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_avif_with_its_location_is_refused_with_what_to_do(tmp_path):
    from PIL import Image

    from commands.clean_photos import clean_photos
    from rules.photo_metadata import check_private_metadata

    images = tmp_path / "content" / "images"
    images.mkdir(parents=True)
    path = images / "photo.avif"
    Image.new("RGB", (64, 48), "#1d5a94").save(path, exif=phone_exif())
    [problem] = check_private_metadata(path, "content/images/photo.avif")
    assert str(problem).startswith("content/images/photo.avif: this picture carries the place")
    assert "save it again as JPEG or PNG, then run .venv/bin/invoke clean-photos" in str(problem)
    lines, clear = clean_photos(tmp_path / "content")
    assert not clear
    assert lines[0].startswith("content/images/photo.avif: still carries the location")
