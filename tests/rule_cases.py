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
from conftest import FIXTURE_CONTENT, assert_refused, edit, run_build, snapshot

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


def failing_build(site: Path) -> str:
    """A production build into out/ that fails and writes nothing: what it said."""
    result = run_build(site, "--production", "--output", "out")
    assert result.returncode == 1, result.stdout + result.stderr
    assert not (site / "out").exists()
    return result.stdout + result.stderr


def article_using(site: Path, name: str, extra: str = "") -> None:
    """An article (content/uses.md) showing content/images/`name` on line 9, with
    `extra` metadata lines."""
    (site / "content/uses.md").write_text(
        f"Title: Uses a picture\nDate: 2026-11-20\nSlug: uses\nSummary: Uses one.\n"
        f"Category: Notices\n{extra}\nText.\n\n![What it shows]({{static}}/images/{name})\n",
        encoding="utf-8",
    )


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


# --- A new editor's mistakes --------------------------------------------------
#
# The editor's cases (tests/test_addresses.py, test_alt_text.py, test_names.py,
# test_dates.py, test_clock.py, test_sources.py, test_rules_pictures.py and
# test_editor_mistakes.py) each write an article of their own, `OWN` (never the
# site's articles), and check that the build names every mistake once: exit 1,
# each `file:line: what to do` message, output/ untouched, and the exact number
# of problems (no second message for one mistake). Each module holds them as
# `CASES: {name: Mistake}`.

# (how to break the copy, environment, the messages, how many problems in all)
Mistake = tuple[Callable[[Path], None], dict[str, str], list[str], int]

OWN = MINE = "content/sleep-and-migraine.md"
# The body starts on line 9; each paragraph of a case's text two lines further on.
OWN_ARTICLE = """\
Title: Sleep and Migraine
Date: 2026-11-20
Modified: 2026-11-20
Slug: sleep-and-migraine
Summary: How sleep affects migraine, and small changes that may help.
Category: Clinic news
Tags: sleep

{body}
"""
BODY = "Poor sleep can start a migraine. A regular bedtime helps many people."
OTHER = """\
Title: Sleep Diary
Date: 2026-11-18
Slug: sleep-diary
Summary: How to keep a sleep diary.
Category: Clinic news
{extra}
Write down when you go to bed and when you wake up.
"""
PAGE = "Title: About Us\nSlug: about-us\nSummary: Who we are.\nModified: 2026-11-18\n\nWe are a clinic.\n"


def article(body: str = BODY, *, name: str = OWN, **meta: str) -> Callable[[Path], None]:
    """Write the test's own article (`OWN_ARTICLE`), with `body` and metadata lines
    replaced (Key="old=>new")."""

    def breaking(site: Path) -> None:
        text = OWN_ARTICLE.format(body=body)
        for change in meta.values():
            old, new = change.split("=>")
            assert old in text, old
            text = text.replace(old, new, 1)
        write(name, text)(site)

    return breaking


def also(*writers: Callable[[Path], None]) -> Callable[[Path], None]:
    return lambda site: [writer(site) for writer in writers]


def picture(relative: str) -> Callable[[Path], None]:
    def breaking(site: Path) -> None:
        from PIL import Image

        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (800, 500), "#3d6b5e").save(site / relative)

    return breaking


def lines(*paragraphs: str) -> str:
    """Paragraphs from line 9 on: the n-th (from 0) is on line 9 + 2n."""
    return "\n\n".join(paragraphs)


CHART = picture("content/images/sleep-chart.png")


def assert_named_once(built_copy: tuple[Path, dict[str, str]], mistake: Mistake) -> None:
    """The build of the copy broken by `mistake` names each of its problems, once."""
    site, before = built_copy
    breaking, env, messages, count = mistake
    breaking(site)
    result = run_build(site, env=env)
    assert_refused(result, site, before, *messages)
    problems = "problem" if count == 1 else "problems"
    assert f"The build failed with {count} {problems}:" in result.stderr, result.stderr
