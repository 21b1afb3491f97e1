"""plugins/images.py: pictures small and sharp on a phone, the right size reserved, nothing private published.

A copy of the site gets a test article with a 4000 × 3000 phone photo made here
(grainy, with EXIF: camera make, GPS, orientation "rotate 90°", an ICC profile
and XMP), a small picture with transparency and an SVG, then one production
build. The checks read the output with Pillow and a real browser.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import quality
from conftest import (
    CLEANED_LINE,
    PRIVATE_BYTES,
    SITEURL,
    BuiltSite,
    cache_times,
    copy_site,
    decoded,
    invoke_env,
    once_per_run,
    phone_photo,
    run_build,
    run_invoke,
    snapshot,
)
from rule_cases import article_using, failing_build

NEXT_YEAR = (dt.date.today() + dt.timedelta(days=365)).isoformat()
ARTICLE = f"""Title: Pictures in an article
Date: 2026-11-20
Slug: pictures
Summary: A test article with a large phone photo and a small drawing.
Category: Migraine
Reviewed: 2026-11-20
Next_review: {NEXT_YEAR}
Share_image: images/phone-photo.jpg

An opening paragraph before the first picture.

![A window with the blinds half closed]({{static}}/images/phone-photo.jpg)

Some text between the pictures.

![A small badge with a clear background]({{static}}/images/badge.png)

![A simple drawing of a circle]({{static}}/images/circle.svg)
"""
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80">\n'
    '  <circle cx="60" cy="40" r="30" fill="#1d5a94"/>\n</svg>\n'
)


def write_pictured_article(content: Path, photo_size: tuple[int, int] = (4000, 3000)) -> None:
    from PIL import Image

    images = content / "images"
    images.mkdir(exist_ok=True)
    phone_photo(images / "phone-photo.jpg", size=photo_size)
    badge = Image.new("RGBA", (500, 400), (0, 0, 0, 0))
    badge.paste((29, 90, 148, 255), (100, 100, 400, 300))
    badge.save(images / "badge.png")
    (images / "circle.svg").write_text(SVG, encoding="utf-8")
    (content / "pictures.md").write_text(ARTICLE, encoding="utf-8")


def pictured_site(folder: Path, photo_size: tuple[int, int] = (4000, 3000)) -> Path:
    """A copy of the site with the test article, its photo cleaned the documented way
    (`invoke clean-photos`, which the build asks for): the photo keeps its picture,
    orientation and colour profile, not where it was taken or the camera's serials."""
    site = copy_site(folder)
    write_pictured_article(site / "content", photo_size)
    result = run_invoke(site, "clean-photos")
    assert result.returncode == 0, result.stdout + result.stderr
    assert CLEANED_LINE in result.stdout, result.stdout
    return site


@pytest.fixture(scope="module")
@once_per_run
def pictured(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltSite, str]:
    site = pictured_site(tmp_path_factory.mktemp("pictures") / "site")
    result = run_build(site, "--production", "--output", "out")
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(site / "out", SITEURL), result.stderr


def pictures_of(site: BuiltSite) -> list:
    return site.soup("pictures/index.html").select(".app-prose img")


def published_images(root: Path) -> list[Path]:
    return sorted(p for p in (root / "images").rglob("*") if p.is_file())


def test_the_photo_is_published_as_avif_and_jpeg_copies_no_wider_than_the_column_needs(pictured):
    site, _ = pictured
    picture = site.soup("pictures/index.html").find("picture")
    source = picture.find("source")
    assert source["type"] == "image/avif"
    avif = [entry.split() for entry in source["srcset"].split(", ")]
    jpeg = [entry.split() for entry in picture.img["srcset"].split(", ")]
    assert [w for _, w in avif] == [w for _, w in jpeg] == ["360w", "720w", "1080w", "1440w"]
    assert all(url.endswith(".avif") for url, _ in avif)
    assert all(url.endswith(".jpg") for url, _ in jpeg)
    assert source["sizes"] == picture.img["sizes"]
    for url, width in avif + jpeg:
        file = site.file_for(url)
        assert file is not None and file.is_file(), url
        from PIL import Image

        with Image.open(file) as image:
            assert f"{image.width}w" == width, url
            # Turned upright: the sensor's 4000 × 3000 is a 3 × 4 portrait.
            assert image.height * 3 == image.width * 4, (url, image.size)


def test_every_picture_reserves_its_space_and_only_the_first_loads_at_once(pictured):
    site, _ = pictured
    images = pictures_of(site)
    assert len(images) == 3
    sizes = [(img["width"], img["height"]) for img in images]
    assert sizes == [("1440", "1920"), ("500", "400"), ("120", "80")]
    assert images[0].get("loading") is None
    for img in images[1:]:
        assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert [img["alt"] for img in images] == [
        "A window with the blinds half closed",
        "A small badge with a clear background",
        "A simple drawing of a circle",
    ]


def test_a_small_picture_is_never_upscaled_and_keeps_its_transparency_as_png(pictured):
    site, _ = pictured
    badge = pictures_of(site)[1]
    assert badge["srcset"].split(", ")[-1].endswith(" 500w")
    assert all(entry.split()[0].endswith(".png") for entry in badge["srcset"].split(", "))
    from PIL import Image

    with Image.open(site.file_for(badge["src"])) as image:
        assert image.mode == "RGBA" and image.getextrema()[3][0] == 0


def test_no_published_picture_carries_metadata(pictured):
    from PIL import Image

    site, _ = pictured
    files = [p for p in published_images(site.root) if p.suffix in {".avif", ".jpg", ".png"}]
    assert len(files) >= 10
    problems = []
    for file in files:
        with Image.open(file) as image:
            keys = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & set(image.info)
            if keys or image.getexif():
                problems.append(f"{file.name}: {sorted(keys) or 'EXIF tags'}")
        data = file.read_bytes()
        problems += [f"{file.name}: contains {m!r}" for m in PRIVATE_BYTES if m in data]
    assert not problems, "\n".join(problems)


def test_the_originals_are_never_published(pictured):
    site, _ = pictured
    names = {p.name for p in site.root.rglob("*")}
    assert not {"phone-photo.jpg", "badge.png", "circle.svg"} & names
    original = (site.root.parent / "content/images/phone-photo.jpg").read_bytes()
    assert all(p.read_bytes() != original for p in published_images(site.root))


def test_the_svg_is_published_with_its_viewbox_size(pictured):
    site, _ = pictured
    svg = pictures_of(site)[2]
    assert svg.parent.name != "picture"
    assert site.file_for(svg["src"]).read_text(encoding="utf-8") == SVG


def test_a_chosen_share_image_is_the_photo_cropped_to_a_card(pictured):
    from PIL import Image

    site, _ = pictured
    soup = site.soup("pictures/index.html")
    url = soup.find("meta", property="og:image")["content"]
    assert url.endswith(".jpg")
    assert soup.find("meta", property="og:image:alt")["content"] == (
        "A window with the blinds half closed"
    )
    with Image.open(site.file_for(url)) as card:
        assert card.size == (1200, 630)
        assert not card.getexif() and "icc_profile" not in card.info


@pytest.mark.browser
def test_a_phone_downloads_at_most_100_kb_for_the_photo_and_never_scrolls_sideways(
    pictured, browser, record_property
):
    site, _ = pictured
    with (
        quality.serving(site.root) as local,
        quality.visit(
            browser, quality.Served(site.siteurl, local), "pictures/index.html", width=390, scale=2
        ) as visit,
    ):
        visit.page.wait_for_load_state("networkidle")
        sizes = {r.url: len(r.body()) for r in visit.responses if "/images/" in r.url}
        photo_urls = [url for url in sizes if "phone-photo" in url]
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        shown = visit.page.evaluate("document.querySelector('.app-prose img').currentSrc")
    assert len(photo_urls) == 1, sizes
    size = sizes[photo_urls[0]]
    record_property("measured", f"phone photo at 390 px, DPR 2: {size:,} B ({shown})")
    assert shown.endswith("-720.avif"), shown
    assert size <= 100_000, f"{photo_urls[0]} is {size:,} bytes"
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"


# Builds started together in one checkout, sharing cache/: two production
# builds (two pytest-xdist workers, or an editor's two terminals), the
# preview's development build into output/ beside a production build, and two
# development builds into the same output/ (the preview and an editor's
# `invoke build`). Each round starts with empty caches, so both builds make
# the same cache entries at the same time. Every build with an empty cache
# writes what the lone one wrote: the pictures are encoded the same every time.
# What races is the writing of the entries, not the encoding, so the copy of the
# site makes two narrow widths (the photo is wider than both, so both are made):
# about a fifteenth of the pixels the site's own widths would encode.
RACE_WIDTHS = (240, 480)
# Upright (EXIF turns it), 1200 wide: the least its share card takes.
RACE_PHOTO = (1600, 1200)
PRODUCTION = ("--production", "--output")
BUILDS_AT_ONCE = (
    ((*PRODUCTION, "a"), (*PRODUCTION, "b")),
    ((), (*PRODUCTION, "b")),
    ((), ()),
)


def test_builds_at_once_in_one_checkout_both_succeed_and_write_what_a_lone_build_writes(
    tmp_path,
):
    site = pictured_site(tmp_path / "site", RACE_PHOTO)
    settings = site / "pelicanconf.py"
    with settings.open("a", encoding="utf-8") as file:
        file.write(f"\nIMAGE_WIDTHS = {list(RACE_WIDTHS)}\n")
    alone = {}
    for kind, args in (("production", ("--production",)), ("development", ())):
        shutil.rmtree(site / "cache", ignore_errors=True)
        result = run_build(site, *args, "--output", f"alone-{kind}")
        assert result.returncode == 0, result.stdout + result.stderr
        alone[args] = snapshot(site / f"alone-{kind}")
    assert any(name.endswith(".avif") for name in alone[()])
    # A second build with the cache full writes the same and encodes nothing again.
    cached = cache_times(site)
    result = run_build(site, "--output", "warm")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(site / "warm") == alone[()]
    assert cache_times(site) == cached, "the build with a full cache encoded pictures again"
    for number, pair in enumerate(BUILDS_AT_ONCE):
        for folder in ("cache", "output", "a", "b"):
            shutil.rmtree(site / folder, ignore_errors=True)
        logs = [tmp_path / f"round-{number}-{side}.log" for side in "ab"]
        with contextlib.ExitStack() as running:
            builds = [
                running.enter_context(
                    subprocess.Popen(
                        [sys.executable, "-m", "invoke", "build", *args],
                        cwd=site,
                        env=invoke_env(),
                        stdout=running.enter_context(log.open("w")),
                        stderr=subprocess.STDOUT,
                    )
                )
                for args, log in zip(pair, logs, strict=True)
            ]
            try:
                codes = [build.wait(timeout=300) for build in builds]
            finally:
                for build in builds:
                    build.kill()  # nothing, once it has ended
        said = "\n".join(log.read_text() for log in logs)
        assert codes == [0, 0], f"round {number}, {pair}: exit {codes}\n{said}"
        for args in pair:
            output = site / (args[-1] if args else "output")
            assert snapshot(output) == alone[args[:1]], f"round {number}: {output.name} differs"


def test_a_cache_entry_goes_in_whole_keeps_the_first_and_stale_partials_are_swept(tmp_path):
    import os
    import time

    from engine import cache

    entry = tmp_path / "images" / "key"
    for content in (b"ours", b"theirs"):
        staging = cache.partial_name(entry)
        staging.mkdir(parents=True)
        (staging / "copy.jpg").write_bytes(content)
        cache.publish_folder(staging, entry)
        assert not staging.exists()
    assert (entry / "copy.jpg").read_bytes() == b"ours", "the first build's entry was replaced"
    card = tmp_path / "images" / "cards" / "key.png"
    cache.write_entry(card, b"card")
    assert card.read_bytes() == b"card"
    assert sorted(p.name for p in card.parent.iterdir()) == ["key.png"]
    stopped, running = cache.partial_name(entry), cache.partial_name(entry)
    for partial in (stopped, running):
        partial.mkdir()
    day_ago = time.time() - cache.STALE_SECONDS - 60
    os.utime(stopped, (day_ago, day_ago))
    cache.sweep_partials(entry.parent)
    assert not stopped.exists() and running.exists() and entry.is_dir()


def test_the_copies_made_from_an_uncleaned_photo_carry_none_of_its_metadata(tmp_path):
    """Whatever reaches the build, its copies are made from the pixels alone."""
    from commands.build import load_settings
    from plugins.images import encode, load_clean

    path = tmp_path / "phone-photo.jpg"
    phone_photo(path, size=(1600, 1200))
    settings = load_settings(production=True)
    image = load_clean(path.read_bytes())
    for mime in ("image/avif", "image/jpeg", "image/png"):
        data = encode(image, mime, settings)
        # Not b"GPS": three bytes turn up by chance in a megabyte of coded pixels.
        assert [m for m in PRIVATE_BYTES if m in data and len(m) > 3] == [], mime
        assert decoded(data)[1:] == ({}, None), mime


# --- What the build does with a picture only a draft uses, or a plain link to one ---


def test_a_picture_only_a_draft_uses_is_not_published_in_production(site_copy):
    from PIL import Image

    (site_copy / "content/images").mkdir(exist_ok=True)
    Image.new("RGB", (800, 600), "#1d5a94").save(site_copy / "content/images/secret-plan.jpg")
    article_using(site_copy, "secret-plan.jpg", "Status: draft\n")
    result = run_build(site_copy, "--production", "--output", "out")
    assert result.returncode == 0, result.stderr
    published = [p.name for p in (site_copy / "out").rglob("*")]
    assert not [name for name in published if "secret-plan" in name or "uses-" in name]


def test_a_plain_link_to_an_original_fails_instead_of_publishing_it(site_copy):
    from PIL import Image

    (site_copy / "content/images").mkdir(exist_ok=True)
    Image.new("RGB", (800, 600), "#1d5a94").save(site_copy / "content/images/photo.jpg")
    article_using(site_copy, "photo.jpg")
    with (site_copy / "content/uses.md").open("a", encoding="utf-8") as file:
        file.write("\n[The full-size photo]({static}/images/photo.jpg)\n")
    message = failing_build(site_copy)
    assert "content/images/photo.jpg was published as it is" in message
