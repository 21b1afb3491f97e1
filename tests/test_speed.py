"""What makes the build fast gives exactly what the plain way gives, byte for byte.

The on-disk cache (engine/cache.py), the pages written by forked workers
(plugins/parallel_writer.py on engine/workers.py), the reused Markdown instance, the cached
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

# Pages enough (151 calls x parallel_writer.PAGE_SECONDS) for engine/workers.py to fork.
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
from engine import workers
build(production=True, output=sys.argv[1])
print(json.dumps({"shards": workers.last_run("pages").workers}))
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
