"""What makes the build fast gives exactly what the plain way gives, byte for byte.

The on-disk cache (engine/cache.py), the forked page writers
(plugins/parallel_writer.py), the reused Markdown instance, the cached
footnote restructuring, the terms' constant-time membership
(plugins/term_lists.py) and templates read once (`auto_reload` off) each
replace work the build used to do directly. A
build with all of them, cold and warm, must write the same files as a build
with none of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SITEURL, copy_site, snapshot

from benchmarks.synthetic import write_articles

# More calls than plugins.parallel_writer.PARALLEL_FROM, so the workers really fork.
ARTICLES = 70
# One production build in a fresh single-threaded process (forks only happen
# there), on a pretend two-core machine; prints how many shards were forked.
BUILD = """
import json, os, sys
os.cpu_count = lambda: 2
os.environ["SITEURL"] = sys.argv[3]
from commands.build import build, load_settings
import pelicanconf
overrides = json.loads(sys.argv[2])
for name, value in overrides.items():
    setattr(pelicanconf, name, value)
from plugins import parallel_writer
build(production=True, output=sys.argv[1])
print(json.dumps(parallel_writer.last_forked))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    copy = copy_site(tmp_path_factory.mktemp("speed") / "site")
    write_articles(copy / "content", ARTICLES)
    return copy


def build(site: Path, output: Path, **settings) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(output), json.dumps(settings), SITEURL],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_cache_and_parallel_writers_write_what_the_plain_build_writes(site, tmp_path):
    import pelicanconf

    plain = build(
        site,
        tmp_path / "plain",
        SITE_CACHE=False,
        PARALLEL_WRITE=False,
        # Pelican's own list walk for terms, and its template time checks.
        PLUGINS=[name for name in pelicanconf.PLUGINS if name != "plugins.term_lists"],
        JINJA_ENVIRONMENT={**pelicanconf.JINJA_ENVIRONMENT, "auto_reload": True},
    )
    assert plain["shards"] == 0
    assert not (site / "cache" / "site").exists()

    cold = build(site, tmp_path / "cold")
    assert cold["shards"] == 2, "the pages were not written by forked workers"
    entries = {path.parent.parent.name for path in (site / "cache" / "site").rglob("*/*/*")}
    assert {"reader", "footnotes", "gzip"} <= entries
    warm = build(site, tmp_path / "warm")
    assert warm["shards"] == 2

    reference = snapshot(tmp_path / "plain")
    assert len(reference) > 2 * ARTICLES
    for name in ("cold", "warm"):
        other = snapshot(tmp_path / name)
        assert sorted(other) == sorted(reference), f"the {name} build wrote other files"
        differing = [path for path in reference if reference[path] != other[path]]
        assert not differing, f"the {name} build differs in {differing[:10]}"


def test_a_cache_entry_from_other_code_or_bytes_is_never_used(site, tmp_path):
    """The key holds the site's code: an entry made under other code is not found,
    and a damaged entry is worked out again, not trusted."""
    from engine import cache

    cache.configure({"SITE_CACHE": True, "CACHE_PATH": str(tmp_path)})
    try:
        assert cache.cached("step", "key", lambda: ["first"]) == ["first"]
        assert cache.cached("step", "key", lambda: ["second"]) == ["first"]
        assert cache.cached("step", "other key", lambda: ["third"]) == ["third"]
        cache._salt["step"] = "other code"
        assert cache.cached("step", "key", lambda: ["fourth"]) == ["fourth"]
        for entry in (tmp_path / "site" / "step").rglob("*"):
            if entry.is_file():
                entry.write_bytes(b"{damaged")
        assert cache.cached("step", "key", lambda: ["fifth"]) == ["fifth"]
    finally:
        cache._salt.clear()
        cache.configure({})


def test_a_template_error_in_a_worker_stops_the_build_as_in_one_process(site, tmp_path):
    broken = copy_site(tmp_path / "broken")
    write_articles(broken / "content", ARTICLES)
    template = broken / "theme" / "templates" / "article.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "{% block content %}", "{% block content %}{{ article.no_such_thing.missing }}", 1
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(tmp_path / "out"), "{}", SITEURL],
        cwd=broken,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "theme/templates/article.html:" in result.stderr
    assert "pelican stopped: UndefinedError" in result.stderr
    assert not (tmp_path / "out").exists()


def test_one_reused_markdown_converts_every_file_as_a_new_one(site):
    """Python-Markdown's reset() must forget everything of the file before (footnotes,
    ids, metadata, the site's components): the reused instance against a fresh one."""
    from markdown import Markdown

    from commands.build import load_settings
    from plugins.plain_metadata import SiteMarkdownReader

    settings = load_settings(production=True)
    reader = SiteMarkdownReader(settings)  # adds the extensions to MARKDOWN, as Pelican's does
    files = sorted((site / "content").rglob("*.md"))
    assert len(files) > ARTICLES
    differing = []
    for path in files:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        reused, _ = reader._convert(path.read_bytes())
        fresh = Markdown(**settings["MARKDOWN"]).convert(text)
        if settings.get("SITE_TYPOGRIFY"):
            from plugins.plain_metadata import typogrify_html

            fresh = typogrify_html(fresh, settings)
        if reused != fresh:
            differing.append(path.name)
    assert not differing, f"a reused Markdown converts these differently: {differing}"


def test_a_term_list_finds_what_a_plain_list_finds():
    """`in` by identity for objects without equality of their own; by equality otherwise."""
    from plugins.term_lists import TermArticles

    class Content:  # like Pelican's: no __eq__
        pass

    first, second, outsider = Content(), Content(), Content()
    terms = TermArticles([first, second])
    assert list(terms) == [first, second]
    for item in (first, second, outsider, "first", 1):
        assert (item in terms) == (item in [first, second])
    words = TermArticles(["migraine", "sleep"])
    assert "".join(["mig", "raine"]) in words  # an equal string, not the same object
    assert "ketamine" not in words


# --- Share cards and pictures made on every core (plugins/images.py make_missing) ---

# A production build into argv[1] at the address argv[2] on a pretend machine
# of argv[3] cores; prints what make_missing made and how many workers it forked.
BUILD_ON_CORES = """
import json, os, sys
os.cpu_count = lambda: int(sys.argv[3])
os.environ["SITEURL"] = sys.argv[2]
from commands.build import build
from plugins import images
build(production=True, output=sys.argv[1])
print(json.dumps(images.last_made))
"""
# Twenty-four cards named in a fresh process on two pretend cores, with the
# cache in argv[1], as a run names them: the helper started with the run gets
# the first few (images.HELPER_WINDOW), make_missing's forked workers the
# rest (more than images.PARALLEL_FROM). Each file is compared with the same
# card drawn here, in process.
CARDS = """
import json, os, sys, types
os.cpu_count = lambda: 2
from commands.build import load_settings
from plugins import images, share_cards
settings = {**load_settings(production=True), "CACHE_PATH": sys.argv[1]}
footer = settings["SITENAME"]
titles = [f"Card {n}: a title long enough to wrap onto a second line of its card" for n in range(24)]
titles[-1] = "A very long title " * 12
images.start_run(types.SimpleNamespace(settings=settings))
if sys.argv[2:] == ["kill the helper"]:
    import signal, time
    os.kill(images._helper["pid"], signal.SIGKILL)
    time.sleep(0.5)
cards = [share_cards.drawn_card(f"c{n}", t, footer, settings) for n, t in enumerate(titles)]
images.make_missing(settings)
same = [
    images._pending[card.path].read_bytes() == share_cards.draw_card(title, footer, settings)
    for card, title in zip(cards, titles, strict=True)
]
print(json.dumps({**images.last_made, "same": same}))
"""


def run_script(script: str, cwd: Path, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_card_drawn_in_a_worker_is_byte_identical_to_one_drawn_in_process(tmp_path):
    root = Path(__file__).resolve().parent.parent
    first = run_script(CARDS, root, str(tmp_path / "cache"))
    assert first["jobs"] == 24
    assert first["helper"] >= 1, "the helper drew no card"
    assert first["workers"] == 2, "the cards were not drawn by forked workers"
    assert first["same"] == [True] * 24, "a worker drew a card other than the process draws"
    again = run_script(CARDS, root, str(tmp_path / "cache"))
    assert again["jobs"] == 0, "cards the cache holds were drawn again"
    assert again["same"] == [True] * 24


def test_cards_and_pictures_made_by_workers_build_what_one_process_builds(tmp_path):
    """A cold build on one core and on two write the same tree; a second build draws
    no card and encodes no picture."""
    import shutil

    copy = copy_site(tmp_path / "site")
    write_articles(copy / "content", ARTICLES)
    one = run_script(BUILD_ON_CORES, copy, str(tmp_path / "one"), SITEURL, "1")
    assert one["workers"] == one["helper"] == 0
    assert one["jobs"] > ARTICLES, "the cold build had no cards to draw"
    shutil.rmtree(copy / "cache")
    two = run_script(BUILD_ON_CORES, copy, str(tmp_path / "two"), SITEURL, "2")
    assert two["workers"] == 2, "the cards and pictures were not made by forked workers"
    assert two["helper"] >= 1, "the helper made nothing while Pelican read"
    assert two["jobs"] == one["jobs"]
    cached = {p: p.stat().st_mtime_ns for p in (copy / "cache/images").rglob("*")}
    again = run_script(BUILD_ON_CORES, copy, str(tmp_path / "again"), SITEURL, "2")
    assert again["jobs"] == 0, "the second build drew cards or encoded pictures again"
    assert {p: p.stat().st_mtime_ns for p in (copy / "cache/images").rglob("*")} == cached

    reference = snapshot(tmp_path / "one")
    pictures = [p for p in reference if p.startswith("images/")]
    assert len(pictures) > ARTICLES, "the build published too few cards and pictures"
    assert any(p.endswith(".avif") for p in pictures)
    for name in ("two", "again"):
        other = snapshot(tmp_path / name)
        assert sorted(other) == sorted(reference), f"the {name} build wrote other files"
        differing = [path for path in reference if reference[path] != other[path]]
        assert not differing, f"the {name} build differs in {differing[:10]}"


def test_a_helper_that_dies_costs_time_but_no_card(tmp_path):
    """Cards sent to a helper that is gone are drawn by the workers, byte for byte."""
    root = Path(__file__).resolve().parent.parent
    result = run_script(CARDS, root, str(tmp_path / "cache"), "kill the helper")
    assert result["helper"] == 0
    assert result["jobs"] == 24
    assert result["workers"] == 2
    assert result["same"] == [True] * 24
