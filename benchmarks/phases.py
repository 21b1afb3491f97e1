"""Where one production build spends its time, step by step.

`invoke bench --phases` runs this in a fresh process for a cold and then a
warm build of a generated site (see benchmarks/build_time.py). Each step is
timed by wrapping the function that does it, so the figures are wall time as
the build runs them, including the forked workers' share:

- content rules (`commands.build.preflight`), before Pelican;
- reading ahead (`engine.read_ahead`): Markdown and typography for the
  files the cache lacks, on every core;
- Pelican, in total, and inside it the pages rendered and written
  (`plugins.parallel_writer`), and the pictures and share cards written
  (`plugins.images.write_pictures`), which includes making those the cache
  lacked and the helper process had not made yet (`engine.scheduler.finish`);
- the search index (`commands.search_index.write_search_index`): Pagefind
  run over the records, or its files from the cache when no record changed;
- the host files and `.gz` copies (`commands.host_files.write_host_files`).

What Pelican spends outside those (building content objects, plugins' work
on each, lists) is Pelican's total less its parts.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from commands import build as strict
from engine import scheduler
from plugins import images, parallel_writer

# (where the step's function is looked up, its name, its label). Each is
# replaced there by a timed wrapper, so every caller that looks it up runs it.
STEPS = (
    (strict, "preflight", "content rules"),
    (strict, "read_ahead", "reading ahead (Markdown, typography)"),
    (strict, "run_pelican", "Pelican in total"),
    (parallel_writer.ParallelWriter, "flush", "… pages rendered and written"),
    (images, "write_pictures", "… pictures and share cards written (making included)"),
    (scheduler, "finish", "… … pictures and share cards the cache lacked, made"),
    (strict, "write_search_index", "search index (Pagefind, kept in the cache)"),
    (strict, "write_host_files", "host files and .gz copies"),
)


def timed_build(output: Path, content: Path) -> dict[str, float]:
    """One production build with each step timed; seconds per step, and the whole."""
    spent: dict[str, float] = {}

    def wrap(owner, name: str, label: str) -> None:
        function = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)

    for owner, name, label in STEPS:
        if hasattr(owner, name):
            wrap(owner, name, label)

    start = time.perf_counter()
    strict.build(production=True, output=output, content=content)
    spent["whole build"] = time.perf_counter() - start
    return spent


if __name__ == "__main__":
    print(json.dumps(timed_build(Path(sys.argv[1]), Path(sys.argv[2]))))
