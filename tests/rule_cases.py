"""What the content-rule tests share: how to break a copy of the built site, and
the check that the build refuses it.

One case per content rule, each through the real build: the case breaks a
private copy of a site that already has a good build in output/, runs
`invoke build` there as an editor would, and `assert_case_refused` checks that
it exits 1, names the file (and line, where there is one) with what to do, and
leaves output/ exactly as it was. Each rule module's test (tests/test_metadata.py,
tests/test_rules_body.py, …) holds the cases of its rules as `CASES`:
`{name: (how to break the copy, messages the build must print)}`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURE_ARTICLE as ARTICLE_SOURCE
from conftest import FIXTURE_CONTENT, edit, run_build, snapshot

Case = tuple[Callable[[Path], None], list[str]]

ARTICLE = A = ARTICLE_SOURCE  # A: short, for the expected messages
PARAGRAPH = "At Mind Balance,"  # starts line 20 of the article
GOOD_PAGE = (
    "Title: About\nSlug: {slug}\nSummary: Who we are.\n{extra}\nWe help people with migraine.\n"
)


def add_to_article(text: str) -> Callable[[Path], None]:
    """Put Markdown in the article body just before line 20, so it starts on line 20."""
    return lambda site: edit(site / ARTICLE, PARAGRAPH, f"{text}\n\n{PARAGRAPH}")


def write(relative: str, data: str | bytes) -> Callable[[Path], None]:
    def breaking(site: Path) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")

    return breaking


def symlink(relative: str, target: str) -> Callable[[Path], None]:
    def breaking(site: Path) -> None:
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)

    return breaking


def meta(old: str, new: str) -> Callable[[Path], None]:
    return lambda site: edit(site / ARTICLE, old, new)


def located_photo() -> bytes:
    """A small JPEG whose EXIF says where it was taken (GPS)."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 40.1)}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "#1d5a94").save(out, "JPEG", exif=exif)
    return out.getvalue()


SUMMARY_LINE = next(
    line
    for line in (FIXTURE_CONTENT.parent / ARTICLE).read_text().splitlines()
    if line.startswith("Summary:")
)


def assert_case_refused(built_copy: tuple[Path, dict[str, str]], case: Case) -> None:
    """The build of the copy broken by `case` fails with its messages; output/ untouched."""
    site, before = built_copy
    breaking, expected = case
    breaking(site)
    result = run_build(site)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("The build failed with"), result.stderr
    missing = [message for message in expected if message not in result.stderr]
    assert not missing, f"not in the build's message: {missing}\n{result.stderr}"
    assert snapshot(site / "output") == before, "a failed build changed output/"
