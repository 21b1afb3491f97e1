"""Synthetic sites: generated articles in a copy of the site, for tests and the benchmark.

`write_articles(content, count)` adds `count` Markdown articles to a content
folder. They look like the site's real ones: every metadata key the rules
require, about 1,200 words of plain sentences under a few `##` headings, a list,
a table, a health component (inset or warning callout), two references (footnotes),
links to other articles with `{filename}`, tags, and categories from a small
set (some of them health categories, which carry review dates). Every
`PICTURE_EVERY`th article shows one of a few generated photos
(`content/images/synthetic-photo-N.jpg`), so the cost of pictures shows. The same
arguments on the same day write the same bytes (the review dates follow
today), so two benchmark runs, or a test and its rerun, read identical content. `copy_site(folder)` copies what the site
needs to build into a folder, for tests and the benchmark to change freely.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from rules.reviews import a_year_after

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the site needs in order to build.
SITE_FILES = (
    "content",
    "theme",
    "engine",
    "plugins",
    "commands",
    "preview",
    "rules",
    "benchmarks",
    "scripts",
    "docs",  # the editors' guide is the source of the development components reference
    "pelicanconf.py",
    "publishconf.py",
    "tasks.py",
)
CATEGORIES = ("Migraine", "Treatments", "Living well", "Clinic news")
TAGS = (
    "migraine",
    "ketamine",
    "chronic pain",
    "sleep",
    "nausea",
    "aura",
    "diet",
    "work",
    "children",
    "exercise",
    "medication",
    "light sensitivity",
)
SUBJECTS = (
    "A migraine",
    "The pain",
    "Bright light",
    "A quiet room",
    "Your doctor",
    "A headache diary",
    "Regular sleep",
    "Drinking water",
    "The treatment",
    "An aura",
    "Many people",
    "A short walk",
)
VERBS = (
    "can ease",
    "may change",
    "often follows",
    "can help with",
    "sometimes brings",
    "may reduce",
    "is linked to",
    "can make it easier to manage",
)
OBJECTS = (
    "the throbbing on one side of the head",
    "nausea during an attack",
    "how long an attack lasts",
    "the stress of a busy week",
    "sensitivity to light and sound",
    "the next visit to the clinic",
    "a change in your daily routine",
    "the warning signs before the pain",
)
ENDINGS = (
    "",
    " for some people",
    " over a few weeks",
    " if you keep track of it",
    " when it is treated early",
)
HEADINGS = (
    "What it is",
    "Common signs",
    "What you can do at home",
    "When to see a doctor",
    "How treatment works",
    "Living with it day to day",
    "Questions to ask",
)
PARAGRAPHS_PER_SECTION = 3
SENTENCES_PER_PARAGRAPH = 6
FIRST_DATE = dt.date(2020, 1, 6)
PICTURE_EVERY = 4
PICTURES = 3
PICTURE_SIZE = (1600, 1200)


def slug_for(index: int) -> str:
    return f"synthetic-article-{index:04d}"


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(ENDINGS)}."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(SENTENCES_PER_PARAGRAPH))


def article_text(index: int, count: int, *, today: dt.date) -> str:
    """The Markdown of synthetic article `index` of `count`."""
    rng = random.Random(index)  # noqa: S311 - repeatable filler text, not secrets
    category = CATEGORIES[index % len(CATEGORIES)]
    # Yesterday at the latest: "today" on this machine may be tomorrow in the site's time zone.
    published = min(FIRST_DATE + dt.timedelta(days=3 * index), today - dt.timedelta(days=1))
    tags = ", ".join(rng.sample(TAGS, 3))
    meta = [
        f"Title: Synthetic article {index}: {rng.choice(HEADINGS).lower()}",
        f"Date: {published.isoformat()}",
        f"Modified: {published.isoformat()}",
        f"Slug: {slug_for(index)}",
        f"Summary: A generated article, number {index}, used to test and time the site.",
        "Authors: Mind Balance",
        f"Category: {category}",
        f"Tags: {tags}",
        f"Reviewed: {published.isoformat()}",
        f"Next_review: {a_year_after(today).isoformat()}",
    ]
    # What real articles carry and cost to build: references (footnotes, which
    # plugins/references.py restructures), a health component and a table.
    body = [_paragraph(rng) + "[^1]"]
    for number, heading in enumerate(rng.sample(HEADINGS, 4)):
        body.append(f"## {heading}")
        body.extend(_paragraph(rng) for _ in range(PARAGRAPHS_PER_SECTION))
        if number == 0:
            body.append(f"/// {rng.choice(('inset', 'warning'))}\n{_sentence(rng)}\n///")
        elif number == 1:
            body.append(
                "| When | What to note |\n| --- | --- |\n"
                + "\n".join(f"| Day {day} | {_sentence(rng)} |" for day in range(1, 4))
            )
        elif number == 2:
            body[-1] += "[^2]"
    if index % PICTURE_EVERY == 0:
        picture = (index // PICTURE_EVERY) % PICTURES
        body.insert(
            1,
            f"![A generated test picture, number {picture}]"
            f"({{static}}/images/{picture_name(picture)})",
        )
    neighbours = sorted({(index + step) % count for step in (1, 7)} - {index})
    body.append("## Read next")
    body.append(
        "\n".join(
            f"- [Synthetic article {other}]({{filename}}{slug_for(other)}.md)"
            for other in neighbours
        )
        or "- [The home page](/)"
    )
    body.append(
        f"[^1]: Clinic A, Clinic B. A generated reference, number {index}. 2024.\n"
        f"[^2]: Clinic C. Another generated reference, number {index}. 2025."
    )
    return "\n".join(meta) + "\n\n" + "\n\n".join(body) + "\n"


def picture_name(number: int) -> str:
    return f"synthetic-photo-{number}.jpg"


def photo(width: int, height: int, seed: int, *, noise: float = 0.3):
    """A photo-like picture: colour gradients with random grain (hard to compress, like a
    real photo). The same arguments give the same pixels."""
    from PIL import Image

    rng = random.Random(seed)  # noqa: S311 - repeatable pixels, not secrets
    grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    bands = [
        Image.linear_gradient("L").resize((width, height)),
        Image.radial_gradient("L").resize((width, height)),
        Image.linear_gradient("L").rotate(90).resize((width, height)),
    ]
    rng.shuffle(bands)
    return Image.blend(Image.merge("RGB", bands), Image.merge("RGB", [grain] * 3), noise)


def write_pictures(content: Path) -> list[Path]:
    """The generated photos the synthetic articles show, in content/images/."""
    folder = content / "images"
    folder.mkdir(exist_ok=True)
    paths = []
    for number in range(PICTURES):
        path = folder / picture_name(number)
        photo(*PICTURE_SIZE, seed=number).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def write_articles(content: Path, count: int, *, today: dt.date | None = None) -> list[Path]:
    """Write `count` synthetic articles (and the photos they show) into `content`;
    return the articles' paths."""
    today = today or dt.date.today()
    write_pictures(content)
    paths = []
    for index in range(count):
        path = content / f"{slug_for(index)}.md"
        path.write_text(article_text(index, count, today=today), encoding="utf-8")
        paths.append(path)
    return paths


def copy_site(copy: Path, content: Path | None = None) -> Path:
    """Copy the site's sources (not its build or venv) into the folder `copy`.

    `content` replaces the site's own content/ folder in the copy (the tests
    build their fixture sites from their own data, never from today's articles)."""
    copy.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = content if name == "content" and content else ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, copy / name)
    return copy
