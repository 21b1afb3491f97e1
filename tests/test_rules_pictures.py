"""rules/pictures.py: what the build refuses of a picture, and the note on a small one.

A file that is not a picture, a decompression bomb, an SVG that runs code or
fetches files, a Share_image too small or misspelt: the build fails naming the
file and line, and publishes nothing; a picture narrower than the column at 2×
builds with a note. Each build is the real command on a private copy of the
site.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from conftest import run_build
from rule_cases import (
    MINE,
    Mistake,
    also,
    article,
    article_using,
    assert_named_once,
    failing_build,
    picture,
)

CASES: dict[str, Mistake] = {
    "a Share_image misspelt": (
        also(
            picture("content/images/sleep-card.png"),
            article(tags="Tags: sleep=>Tags: sleep\nShare_image: images/sleep-crad.png"),
        ),
        {},
        [
            f"{MINE}:8: Share_image 'images/sleep-crad.png': there is no "
            "content/images/sleep-crad.png; did you mean 'images/sleep-card.png'?"
        ],
        1,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_build_names_the_mistake_once(built_copy, case):
    assert_named_once(built_copy, CASES[case])


def bomb_png(path: Path, width: int, height: int) -> None:
    """A tiny PNG whose header claims `width` × `height` pixels."""
    from PIL import Image

    Image.new("L", (8, 8)).save(path)
    data = bytearray(path.read_bytes())
    start = data.index(b"IHDR")
    data[start + 4 : start + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[start : start + 17]))
    data[start + 17 : start + 21] = struct.pack(">I", crc)
    path.write_bytes(bytes(data))


def test_a_file_that_is_not_a_picture_names_the_line_that_uses_it(site_copy):
    (site_copy / "content/images").mkdir(exist_ok=True)
    (site_copy / "content/images/notes.jpg").write_text("not a picture", encoding="utf-8")
    article_using(site_copy, "notes.jpg")
    message = failing_build(site_copy)
    assert "content/uses.md:9: content/images/notes.jpg is not a picture the build can read" in (
        message
    )


def test_a_decompression_bomb_is_refused_with_the_size_to_use(site_copy):
    (site_copy / "content/images").mkdir(exist_ok=True)
    bomb_png(site_copy / "content/images/huge.png", 30000, 30000)
    article_using(site_copy, "huge.png")
    message = failing_build(site_copy)
    assert re.search(
        r"content/uses\.md:9: content/images/huge\.png is 30000 × 30000 \(900 megapixels\), "
        r"too large to process safely.*decompression bomb.*at most 4000 px wide",
        message,
    ), message


def test_a_small_picture_builds_with_a_note(site_copy):
    from PIL import Image

    (site_copy / "content/images").mkdir(exist_ok=True)
    Image.new("RGB", (300, 200), "#fbf9f4").save(site_copy / "content/images/small.jpg")
    article_using(site_copy, "small.jpg")
    result = run_build(site_copy, "--production", "--output", "out")
    assert result.returncode == 0, result.stderr
    assert "note: content/uses.md:9: {static}/images/small.jpg is 300 px wide" in result.stderr


def test_an_svg_that_runs_code_or_fetches_files_is_refused_line_by_line(site_copy):
    (site_copy / "content/images").mkdir(exist_ok=True)
    (site_copy / "content/images/bad.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
        "<script>alert(1)</script>\n"
        '<rect width="5" height="5" onclick="steal()"/>\n'
        '<image href="https://tracker.example/pixel.png"/>\n'
        "<foreignObject></foreignObject>\n"
        '<use href="#ok"/>\n</svg>\n',
        encoding="utf-8",
    )
    message = failing_build(site_copy)
    assert "content/images/bad.svg:2: <script> is not allowed" in message
    assert "content/images/bad.svg:3: the onclick= attribute runs JavaScript" in message
    assert "content/images/bad.svg:4: this SVG refers to 'https://tracker.example" in message
    assert "content/images/bad.svg:5: <foreignObject> is not allowed" in message
    assert "bad.svg:6" not in message


def test_share_image_must_be_a_large_enough_picture_in_images(site_copy):
    from PIL import Image

    (site_copy / "content/images").mkdir(exist_ok=True)
    Image.new("RGB", (800, 600), "#fbf9f4").save(site_copy / "content/images/small.jpg")
    article_using(site_copy, "small.jpg", "Share_image: images/small.jpg\n")
    message = failing_build(site_copy)
    assert "content/uses.md:6: Share_image 'images/small.jpg' is 800 × 600 pixels" in message
    article_using(site_copy, "small.jpg", "Share_image: images/missing.jpg\n")
    message = failing_build(site_copy)
    assert "content/uses.md:6: Share_image 'images/missing.jpg': there is no" in message
