"""Pages written by forked workers (plugins/parallel_writer.py on engine/workers.py)
give exactly what the plain way gives, byte for byte.

The on-disk cache (engine/cache.py), the pages written by forked workers, the
render cache (engine/render_cache.py: a warm build renders no page), the
cached footnote restructuring and templates read once (`auto_reload` off) each
replace work the build used to do directly. A build with all of them, cold and
warm, must write the same files as a build with none of them. (The reused
Markdown instance: test_plain_metadata.py; the terms' constant-time membership:
test_term_lists.py.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SITEURL, copy_site, snapshot

from benchmarks.synthetic import write_articles

# A small site: the builds below fork for any work at all (see BUILD).
ARTICLES = 8
# One production build in a fresh single-threaded process (forks only happen
# there), on a pretend two-core machine where any work is worth a worker
# (engine/workers.py FORK_FROM_SECONDS at 0: a site of a few articles forks as a
# site of a hundred would); prints how many shards were forked.
BUILD = """
import json, os, sys
os.cpu_count = lambda: 2
from engine import workers
workers.FORK_FROM_SECONDS = 0
os.environ["SITEURL"] = sys.argv[3]
from commands.build import build, load_settings
import pelicanconf
overrides = json.loads(sys.argv[2])
for name, value in overrides.items():
    setattr(pelicanconf, name, value)
build(production=True, output=sys.argv[1])
from plugins.parallel_writer import last_flush
print(json.dumps({"shards": workers.last_run("pages").workers, **last_flush}))
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
    assert plain["kept"] == 0, "with no cache on disk, every page is rendered"

    cold = build(site, tmp_path / "cold")
    assert cold["shards"] == 2, "the pages were not written by forked workers"
    entries = {path.parent.parent.name for path in (site / "cache" / "site").rglob("*/*/*")}
    assert {"reader", "footnotes", "gzip"} <= entries
    assert cold["kept"] == 0
    assert cold["rendered"] == plain["rendered"] > 2 * ARTICLES
    warm = build(site, tmp_path / "warm")
    assert warm["shards"] == 2
    # The render cache (engine/render_cache.py): nothing read changed, nothing rendered.
    assert (warm["rendered"], warm["kept"]) == (0, cold["rendered"])

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
