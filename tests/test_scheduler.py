"""The jobs that make pictures and share cards (engine/scheduler.py) make what one
process makes, byte for byte: by the helper forked when the run starts, by the
forked workers of `finish`, or in process; a helper that dies costs time only,
and a second build makes nothing again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SITEURL, cache_times, copy_site, snapshot

from benchmarks.synthetic import write_articles

# A small site: the builds below fork for any work at all (see BUILD_ON_CORES).
ARTICLES = 8
# What every script below does first: a machine where any work is worth a worker
# (engine/workers.py FORK_FROM_SECONDS at 0), so a few articles or cards fork as
# a hundred would.
ANY_WORK_FORKS = "from engine import workers; workers.FORK_FROM_SECONDS = 0"

# A production build into argv[1] at the address argv[2] on a pretend machine
# of argv[3] cores; prints what the scheduler's `finish` made and how many
# workers it forked.
BUILD_ON_CORES = f"""
import json, os, sys
{ANY_WORK_FORKS}
os.cpu_count = lambda: int(sys.argv[3])
os.environ["SITEURL"] = sys.argv[2]
from dataclasses import asdict
from commands.build import build
from engine import scheduler
build(production=True, output=sys.argv[1])
print(json.dumps(asdict(scheduler.last_finish())))
"""
# Twenty-four cards named in a fresh process on two pretend cores, with the cache in
# argv[1], as a run names them: the helper started with the run gets the first
# few (scheduler.HELPER_WINDOW at a time), `finish`'s forked workers the rest.
# Each file is compared with the same card drawn here, in process.
CARDS = 24
CARDS_SCRIPT = """
import json, os, sys, types
from dataclasses import asdict
ANY_WORK_FORKS
os.cpu_count = lambda: 2
from commands.build import load_settings
from engine import scheduler
from plugins import images, share_cards
settings = {**load_settings(production=True), "CACHE_PATH": sys.argv[1]}
footer = settings["SITENAME"]
titles = [f"Card {n}: a title long enough to wrap onto a second line of its card" for n in range(CARD_COUNT)]
titles[-1] = "A very long title " * 12
images.start_run(types.SimpleNamespace(settings=settings))
if sys.argv[2:] == ["kill the helper"]:
    import signal, time
    os.kill(scheduler.helper_pid(), signal.SIGKILL)
    time.sleep(0.5)
cards = [share_cards.drawn_card(f"c{n}", t, footer, settings) for n, t in enumerate(titles)]
images.make_missing(settings)
same = [
    images.pending()[card.path].read_bytes() == share_cards.draw_card(title, footer, settings)
    for card, title in zip(cards, titles, strict=True)
]
print(json.dumps({**asdict(scheduler.last_finish()), "same": same}))
""".replace("CARD_COUNT", str(CARDS)).replace("ANY_WORK_FORKS", ANY_WORK_FORKS)


def run_script(script: str, cwd: Path, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_card_drawn_in_a_worker_is_byte_identical_to_one_drawn_in_process(tmp_path):
    root = Path(__file__).resolve().parent.parent
    first = run_script(CARDS_SCRIPT, root, str(tmp_path / "cache"))
    assert first["jobs"] == CARDS
    assert first["helper"] >= 1, "the helper drew no card"
    assert first["workers"] == 2, "the cards were not drawn by forked workers"
    assert first["same"] == [True] * CARDS, "a worker drew a card other than the process draws"
    again = run_script(CARDS_SCRIPT, root, str(tmp_path / "cache"))
    assert again["jobs"] == 0, "cards the cache holds were drawn again"
    assert again["same"] == [True] * CARDS


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
    cached = cache_times(copy)
    again = run_script(BUILD_ON_CORES, copy, str(tmp_path / "again"), SITEURL, "2")
    assert again["jobs"] == 0, "the second build drew cards or encoded pictures again"
    assert cache_times(copy) == cached

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
    result = run_script(CARDS_SCRIPT, root, str(tmp_path / "cache"), "kill the helper")
    assert result["helper"] == 0
    assert result["jobs"] == CARDS
    assert result["workers"] == 2
    assert result["same"] == [True] * CARDS
