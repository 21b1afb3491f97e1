"""Work run in forked workers, one per core, and the one rule for when that is safe and pays.

Three parts of a build are many independent jobs: reading the Markdown files
(engine/read_ahead.py), rendering and writing the pages
(plugins/parallel_writer.py), and making the pictures and share cards the
cache lacks (engine/scheduler.py). Each hands its jobs here; this module
alone decides whether to fork and does it.

When forking is safe (`can_fork`): the process has one thread (a fork copies
only the thread that calls it; the preview rebuilds in such a process, its
server runs in a process of its own, preview/server.py) and two or more cores.
When it pays (`workers_for`): the caller declares what one job costs, in CPU
seconds measured on the project's two-core machine, and the work forks once
jobs × cost reaches `FORK_FROM_SECONDS`. Below that, forking the build
(hundreds of MB by then) and starting the workers costs more than sharing
the work saves, so the jobs run in the caller's process.

How (`run`): the jobs are a list of functions the workers inherit by forking
(nothing is pickled on the way in), split into groups (the caller's, or
small chunks in the caller's order so the last ones finish close together).
Each worker sends back, per job, its value and the warnings it logged; a
job that raised, or whose worker died, comes back as None, so the caller
runs it again in its own process and its error is raised or logged there,
exactly as without workers. `log_again` logs the workers' warnings in the
order of the jobs. `gc.freeze()` before forking keeps the collector from
touching, and so copying, the parent's objects.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

# Less work than this (CPU seconds, the sum of the jobs' declared costs) runs in
# the caller's process: the cost the three callers' measured thresholds share
# (about 60 pages, 20 Markdown files or 20 share cards).
FORK_FROM_SECONDS = 0.12
# More workers than this share memory bandwidth more than they add.
MOST_WORKERS = 8

# A warning a worker logged: the logger's name, the level, the message.
Record = tuple[str, int, str]


@dataclass(frozen=True)
class Done:
    """A job a worker finished: what it returned and the warnings it logged."""

    value: object
    records: tuple[Record, ...]


@dataclass(frozen=True)
class Run:
    """What the last run of a kind of work did: its jobs and the workers forked (0: none)."""

    jobs: int = 0
    workers: int = 0


_runs: dict[str, Run] = {}
# The jobs of the run under way: the workers inherit them by forking.
_jobs: list[Callable[[], object]] = []


def can_fork() -> bool:
    """Whether forking is safe and has cores to use: one thread alive, two or more cores."""
    return (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def cores() -> int:
    return min(os.cpu_count() or 1, MOST_WORKERS)


def workers_for(jobs: int, seconds: float) -> int:
    """How many workers `jobs` jobs costing `seconds` in all are worth: 0 unless
    forking is safe and the work reaches FORK_FROM_SECONDS."""
    if jobs < 2 or seconds < FORK_FROM_SECONDS or not can_fork():
        return 0
    return min(cores(), jobs)


def last_run(kind: str) -> Run:
    """What the last run of `kind` did in this process (for the tests and the benchmark)."""
    return _runs.get(kind, Run())


def note_run(kind: str, jobs: int, workers: int) -> None:
    """Record a run of `kind` (a caller that ran its jobs in process says so too)."""
    _runs[kind] = Run(jobs, workers)


@contextlib.contextmanager
def frozen() -> Iterator[None]:
    """Around a fork: the output flushed, so no line is written twice, and the
    parent's objects frozen, so the children's collector leaves their memory shared."""
    sys.stdout.flush()
    sys.stderr.flush()
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def fork(child: Callable[[], None]) -> int:
    """Fork a process that runs `child()` and then ends; its pid (for long-lived helpers)."""
    with frozen():
        pid = os.fork()
        if pid == 0:
            status = 0
            try:
                child()
            except BaseException:
                status = 1
            finally:
                os._exit(status)
    return pid


def run(
    kind: str,
    jobs: Sequence[Callable[[], object]],
    workers: int,
    groups: Sequence[Sequence[int]] | None = None,
) -> list[Done | None]:
    """Run `jobs` in `workers` forked workers; per job, what it gave, or None if it
    raised or its worker died (the caller runs it again in process).

    `groups` lists the jobs each worker task runs in order (the jobs of one
    group never run at once); by default, small chunks in the jobs' order."""
    if groups is None:
        chunk = max(1, min(8, len(jobs) // (workers * 16)))
        groups = [range(start, start + chunk) for start in range(0, len(jobs), chunk)]
    groups = [list(group) for group in groups if group]
    workers = min(workers, len(groups))
    note_run(kind, len(jobs), workers)
    done: list[Done | None] = [None] * len(jobs)
    _jobs[:] = jobs
    try:
        # A worker that died leaves its jobs None: the caller runs them itself.
        with frozen(), contextlib.suppress(Exception):
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for results in pool.map(_run_group, groups):
                    for index, result in results:
                        done[index] = result
    finally:
        _jobs.clear()
    return done


def log_again(done: Sequence[Done | None]) -> None:
    """Log the warnings the workers logged, in the order of the jobs."""
    for result in done:
        for name, level, message in result.records if result else ():
            logging.getLogger(name).log(level, "%s", message)


class _Capture(logging.Handler):
    """A worker's warnings, as they are logged."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[Record] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _run_group(group: list[int]) -> list[tuple[int, Done | None]]:
    """In a worker: each job of `group` in order, with what it logged."""
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    results = []
    try:
        for index in group:
            capture.records = []
            try:
                value = _jobs[index]()
            except Exception:
                results.append((index, None))
            else:
                results.append((index, Done(value, tuple(capture.records))))
    finally:
        root.removeHandler(capture)
    return results
