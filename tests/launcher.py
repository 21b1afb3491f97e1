"""The commands the tests run (`invoke build` and the rest), each in its own process,
started from an interpreter that has already imported the libraries.

A build the tests start costs about half a second of imports (Pelican,
Markdown, Pillow, Jinja, invoke) before it reads a file, and a build an
editor's mistake stops takes about half a second in all: most of a rule
case is the interpreter starting. So each pytest worker keeps one warm
process (`python tests/launcher.py`) that imports those libraries once,
never the site's own code, and forks a child per command. The child is
what `python -m invoke ARGS` would be in the site's folder: it changes to
that folder, takes the command's environment, puts that folder first on
`sys.path` (so the site's code and settings come from the copy under test,
read fresh), has its standard output and error written to files and its
input from /dev/null, runs invoke's `__main__`, and exits the way a fresh
interpreter would (exit code, `atexit`, an uncaught traceback on stderr).

A fresh interpreter is started instead, as before, whenever the warm one
could differ from it:

- the command's environment differs from the warm process's in a variable
  a library may read when it is imported (anything outside RUN_TIME, such
  as LANG, LC_ALL or PYTHON*: the reproducibility test's "other machine");
- the warm process is busy with another command of this worker (two builds
  started at once), or is gone.

Every child of one warm process shares its hash seed (set iteration order);
`tests/test_reproducible.py` builds on "another machine" in a fresh
interpreter, so a build whose bytes followed set order is still caught.
`tests/test_launcher.py` checks that a launched command and a fresh one give
the same exit code, output and files.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import json
import os
import runpy
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# The libraries a build imports (third-party only: the site's code is the copy's).
WARM = (
    "invoke",
    "invoke.main",
    "pelican",
    "pelican.generators",
    "pelican.readers",
    "pelican.writers",
    "pelican.settings",
    "markdown",
    "pymdownx.blocks",
    "jinja2",
    "babel.dates",
    "babel.support",
    "PIL.Image",
    "PIL.ImageDraw",
    "PIL.ImageFont",
    "bs4",
    "feedgenerator",
    "smartypants",
    "pygments",
    "docutils",
    "dateutil.parser",
    "unidecode",
    "yaml",
    "typogrify.filters",
    "pagefind_bin",
    "jinja2.ext",
    "babel.messages.pofile",
    "multiprocessing",
    "concurrent.futures",
    "ctypes",
)
# Variables the site's code reads while it runs, never while a library is
# imported: a command may set them differently from the warm process's own.
RUN_TIME_PREFIXES = ("SITE", "GITHUB_", "RUNNER_", "PYTEST_")
RUN_TIME = {"TZ", "CI", "PATH", "HOME", "SOURCE_DATE_EPOCH", "NO_COLOR", "PWD", "OLDPWD"}


def _run_time(name: str) -> bool:
    return name in RUN_TIME or name.startswith(RUN_TIME_PREFIXES)


def same_at_import(env: dict[str, str], warm: dict[str, str]) -> bool:
    """Whether a process with `env` imports the libraries as one with `warm` did."""
    names = {n for n in {*env, *warm} if not _run_time(n)}
    return all(env.get(name) == warm.get(name) for name in names)


# --- The warm process --------------------------------------------------------


def _child(request: dict) -> None:
    """In the forked child: become `python -m invoke ARGS` in the request's folder."""
    os.setsid()  # its own group: a timeout stops the command and what it started
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd, path, flags in (
        (0, os.devnull, os.O_RDONLY),
        (1, request["stdout"], os.O_WRONLY),
        (2, request["stderr"], os.O_WRONLY),
    ):
        opened = os.open(path, flags)
        os.dup2(opened, fd)
        os.close(opened)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    sys.path[0] = str(Path.cwd())  # what `python -m` puts first
    sys.argv = ["invoke", *request["args"]]
    runpy.run_module("invoke", run_name="__main__", alter_sys=True)
    sys.exit(0)


def serve() -> None:
    """The warm process: import WARM, then one command per line of stdin, forked.

    Protocol, one JSON object per line: the request {cwd, args, env, stdout,
    stderr}; the answer first {"pid": n}, then {"status": exit code}."""
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever else is printed here must not be taken for an answer
    for name in WARM:
        importlib.import_module(name)
    # What is imported stays: the collector of each child skips it (its own work, and
    # its exit, then take a fraction of the time), and its pages stay shared.
    gc.freeze()
    while line := sys.stdin.readline():
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            protocol.close()
            _child(request)  # never returns: the child exits as an interpreter does
        protocol.write(json.dumps({"pid": pid}) + "\n")
        _, status = os.waitpid(pid, 0)
        protocol.write(json.dumps({"status": os.waitstatus_to_exitcode(status)}) + "\n")


# --- The test's side ---------------------------------------------------------


class Launcher:
    """This worker's warm process, started at its first command."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._env: dict[str, str] = {}
        self._lock = threading.Lock()

    def _started(self) -> subprocess.Popen[str] | None:
        if self._process is None or self._process.poll() is not None:
            self._env = dict(os.environ)
            self._process = subprocess.Popen(
                [sys.executable, __file__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=self._env,
            )
            atexit.register(self.close)
        return self._process

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()
            self._process.wait(timeout=10)

    def run(
        self, args: list[str], cwd: Path, env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str] | None:
        """`python -m invoke ARGS` in `cwd` with `env`, forked from the warm process; None
        when only a fresh interpreter will do (see the module's docstring)."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            process = self._started()
            if not same_at_import(env, self._env):
                return None
            return self._launch(process, args, cwd, env, timeout)
        finally:
            self._lock.release()

    def _launch(
        self,
        process: subprocess.Popen[str],
        args: list[str],
        cwd: Path,
        env: dict[str, str],
        timeout: float,
    ) -> subprocess.CompletedProcess[str]:
        with tempfile.TemporaryDirectory(prefix="launched-") as folder:
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            out.touch()
            err.touch()
            request = {"cwd": str(cwd), "args": args, "env": env}
            request |= {"stdout": str(out), "stderr": str(err)}
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            pid = json.loads(process.stdout.readline())["pid"]
            timed_out = threading.Event()

            def stop() -> None:
                timed_out.set()
                os.killpg(pid, signal.SIGKILL)

            timer = threading.Timer(timeout, stop)
            timer.start()
            status = json.loads(process.stdout.readline())["status"]
            timer.cancel()
            command = [sys.executable, "-m", "invoke", *args]
            stdout = out.read_text(encoding="utf-8")
            stderr = err.read_text(encoding="utf-8")
            if timed_out.is_set():
                raise subprocess.TimeoutExpired(command, timeout, stdout, stderr)
            return subprocess.CompletedProcess(command, status, stdout, stderr)


LAUNCHER = Launcher()


def run_invoke(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """`python -m invoke ARGS` in `cwd` with `env`, as subprocess.run with
    capture_output and text would give it: forked from the warm process where it
    is the same, else in a fresh interpreter."""
    launched = LAUNCHER.run(args, cwd, env, timeout)
    if launched is not None:
        return launched
    return run_fresh(args, cwd, env, timeout)


def run_fresh(
    args: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """`python -m invoke ARGS` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


if __name__ == "__main__":
    serve()
