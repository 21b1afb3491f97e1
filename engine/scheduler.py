"""Jobs asked for while Pelican reads, all made before the output is written.

The pictures' copies (plugins/images.py) and the share cards
(plugins/share_cards.py) are named while Pelican reads, from what is known
at once (a picture's size, a card's key), and made here: `later` takes a job,
`finish` makes every job of the run. What the jobs make goes into the cache;
a job is a function of no arguments that writes its files.

Two ways make them faster than one after another in the build's process:

- A helper process, forked when the run starts (`start`), makes the jobs
  that can be sent down a pipe (`portable`) as they are asked for, while
  Pelican reads in its single thread and the other cores wait. It is sent a
  few jobs at a time (`HELPER_WINDOW`), so the pipe never fills and Pelican
  never waits on it; it reports each job it made, and one it could not make
  is made again.
- `finish` makes what is left in forked workers (engine/workers.py, which
  decides whether forking is safe and pays from the costs `later` was told),
  the costliest first, so no worker is left with a photo at the end while
  the others wait.

A job neither made, and one that failed in the helper or a worker, is made
in the build's own process, so its error is the build's own: `finish`
returns those that raised one of the errors its caller expects, and any
other stops the build as it would without workers.
"""

from __future__ import annotations

import functools
import os
import pickle
import struct
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from engine import workers

# The kind of work engine.workers records for `finish`.
KIND = "jobs"
# How many jobs the helper is sent before it has answered for them.
HELPER_WINDOW = 4
_FRAME = struct.Struct("!I")
# Set in the number the helper sends back for a job it could not make.
_FAILED = 1 << 31


@dataclass(frozen=True)
class Failure:
    """A job that raised an error its caller expects: what it makes, and the error."""

    number: int
    what: str
    error: Exception


@dataclass(frozen=True)
class Finished:
    """What the last `finish` did: jobs made, by the helper, and workers forked."""

    jobs: int = 0
    helper: int = 0
    workers: int = 0


@dataclass
class _Job:
    make: Callable[[], None]
    what: str
    seconds: float


@dataclass
class _Helper:
    """The helper process of this run, and what has passed through its pipes."""

    pid: int
    jobs: int  # the pipe it reads jobs from
    done: int  # the pipe it answers on
    settings: dict | None  # None once it has gone
    queue: deque = field(default_factory=deque)
    sent: int = 0
    answered: int = 0
    partial: bytes = b""
    made: set[int] = field(default_factory=set)


@dataclass
class _Run:
    jobs: list[_Job] = field(default_factory=list)
    tags: dict[object, int] = field(default_factory=dict)
    helper: _Helper | None = None
    finished: Finished = Finished()


_run = _Run()


def start(settings: dict) -> None:
    """Start a run: forget the last one's jobs, and fork the helper when that is safe."""
    _stop_helper()  # a run that stopped before `finish` may have left one
    _run.jobs.clear()
    _run.tags.clear()
    if workers.can_fork():
        _run.helper = _start_helper(settings)


def later(
    make: Callable[[], None],
    tag: object,
    what: str,
    *,
    seconds: float,
    portable: tuple[dict, Callable[..., None], tuple] | None = None,
) -> int:
    """Run `make` (it writes files into the cache) before the output is written; its number.

    `tag` names what the job makes: a job whose tag was already asked for in
    this run is not added again. `what` names it for an editor, should it
    fail. `seconds` is what it costs (CPU seconds, measured), which orders the
    jobs and decides whether workers pay. A `portable` job, `(settings,
    function, arguments)` with a module-level `function` called as
    `function(settings, *arguments)`, small enough to send down a pipe, may be
    made at once by the helper."""
    if tag not in _run.tags:
        _run.jobs.append(_Job(make, what, seconds))
        _run.tags[tag] = len(_run.jobs) - 1
        if portable is not None:
            _offer(_run.tags[tag], *portable)
    _feed_helper()
    return _run.tags[tag]


def finish(expected: tuple[type[Exception], ...]) -> list[Failure]:
    """Make every job asked for in this run: what the helper did not, in forked workers
    when that is safe and pays, the rest here. The jobs that raised one of the
    `expected` errors here, in the order they were asked for."""
    made_by_helper = _stop_helper()
    jobs = list(_run.jobs)
    _run.jobs.clear()
    _run.tags.clear()
    order = sorted(
        (number for number in range(len(jobs)) if number not in made_by_helper),
        key=lambda number: -jobs[number].seconds,
    )
    done = [number in made_by_helper for number in range(len(jobs))]
    count = workers.workers_for(len(order), sum(jobs[number].seconds for number in order))
    workers.note_run(KIND, len(order), 0)
    if count:
        results = workers.run(KIND, [jobs[number].make for number in order], count)
        for number, result in zip(order, results, strict=True):
            done[number] = result is not None
    _run.finished = Finished(len(jobs), len(made_by_helper), workers.last_run(KIND).workers)
    failures = []
    for number, job in enumerate(jobs):
        if done[number]:
            continue
        try:
            job.make()  # here, so an error is the build's own
        except expected as error:
            failures.append(Failure(number, job.what, error))
    return failures


def last_finish() -> Finished:
    """What the last `finish` in this process did (for the tests and the benchmark)."""
    return _run.finished


def helper_pid() -> int:
    """The pid of this run's helper process, 0 if there is none."""
    return _run.helper.pid if _run.helper else 0


# --- The helper, and its pipes ------------------------------------------------


def _start_helper(settings: dict) -> _Helper:
    jobs_read, jobs_write = os.pipe()
    done_read, done_write = os.pipe()

    def child() -> None:
        os.close(jobs_write)
        os.close(done_read)
        _help(jobs_read, done_write, settings)

    pid = workers.fork(child)
    os.close(jobs_read)
    os.close(done_write)
    os.set_blocking(done_read, False)
    return _Helper(pid, jobs_write, done_read, settings)


def _help(jobs: int, done: int, settings: dict) -> None:
    """In the helper: make each job read from `jobs`, and answer for it on `done`."""
    with os.fdopen(jobs, "rb") as pipe:
        while header := pipe.read(_FRAME.size):
            number, function, arguments = pickle.loads(pipe.read(_FRAME.unpack(header)[0]))  # noqa: S301 - our own parent, over our own pipe
            try:
                functools.partial(function, settings, *arguments)()
            except Exception:
                number |= _FAILED
            os.write(done, _FRAME.pack(number))


def _offer(number: int, settings: dict, function: Callable[..., None], arguments: tuple) -> None:
    helper = _run.helper
    if helper is not None and settings is helper.settings:
        helper.queue.append((number, function, arguments))


def _collect(helper: _Helper) -> None:
    """Note the jobs the helper reported made, without waiting."""
    try:
        data = os.read(helper.done, 65536)
    except BlockingIOError:
        return
    helper.partial += data
    whole = len(helper.partial) - len(helper.partial) % _FRAME.size
    _answered(helper, helper.partial[:whole])
    helper.partial = helper.partial[whole:]


def _answered(helper: _Helper, data: bytes) -> None:
    for (number,) in _FRAME.iter_unpack(data):
        helper.answered += 1
        if not number & _FAILED:
            helper.made.add(number)


def _feed_helper() -> None:
    helper = _run.helper
    if helper is None:
        return
    _collect(helper)
    while helper.queue and helper.sent - helper.answered < HELPER_WINDOW:
        frame = pickle.dumps(helper.queue.popleft())
        try:
            os.write(helper.jobs, _FRAME.pack(len(frame)) + frame)
        except OSError:  # the helper has gone: the workers make the rest
            helper.queue.clear()
            helper.settings = None
            return
        helper.sent += 1


def _stop_helper() -> set[int]:
    """Let the helper finish what it was sent and end; the numbers of the jobs it made."""
    helper, _run.helper = _run.helper, None
    if helper is None:
        return set()
    os.close(helper.jobs)  # it makes what is in the pipe, then reads the end
    os.set_blocking(helper.done, True)
    with os.fdopen(helper.done, "rb") as pipe:
        rest = helper.partial + pipe.read()
    _answered(helper, rest[: len(rest) - len(rest) % _FRAME.size])
    os.waitpid(helper.pid, 0)
    return helper.made
