"""The one way to build the site: content rules, then Pelican, then a swap.

`make serve`, `make test`, CI and every publish call `build()`. It refuses to
run Pelican while the content rules find a problem, fails on any warning or
error Pelican logs (listing all of them, not the first), adds the search
index (commands/search_index.py) and the files for the hosts, and builds into a
fresh folder that replaces the output folder only when everything passed. A
failed build leaves the previous output exactly as it was. On GitHub's runners
it also says every problem, warning and note on its line, and sums them up on
the run's page (commands/ci_report.py), once, as it ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import errno
import logging
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from commands.ci_report import Finding, tell_github
from commands.host_files import write_host_files
from commands.search_index import keep_previous_index, write_search_index
from engine import cache
from engine.read_ahead import read_ahead
from plugins.plain_metadata import Memo
from rules.clock import ClockNotSet, today
from rules.files import reserved_folders
from rules.folder import check_folder, folder_notes, folder_reviews, read_folder
from rules.sources import Problem

ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SETTINGS = "pelicanconf.py"
PRODUCTION_SETTINGS = "publishconf.py"


class BuildFailed(Exception):
    """The build stopped; `problems` lists every reason, one line each, and `found`
    the same reasons as Problems (file, line, message: a reason given as text
    names no file)."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.found = [p if isinstance(p, Problem) else Problem("", 0, p) for p in problems]
        self.problems = [str(p) for p in self.found]
        count = len(problems)
        self.heading = f"The build failed with {count} problem{'s' if count != 1 else ''}"
        super().__init__("\n".join([f"{self.heading}:", *(f"  {p}" for p in self.problems)]))


class _Collector(logging.Handler):
    """Keeps every warning and error logged while Pelican runs."""

    def __init__(self, site: Path) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[Problem] = []
        self.site_prefix = f"{site}{os.sep}"

    def emit(self, record: logging.LogRecord) -> None:
        # Name files as editors see them (content/…), not by this machine's paths.
        message = " ".join(record.getMessage().replace(self.site_prefix, "").split())
        self.messages.append(Problem("", 0, f"pelican {record.levelname.lower()}: {message}"))


def load_settings(
    *,
    production: bool = False,
    output: str | Path | None = None,
    content: str | Path | None = None,
) -> dict:
    """Pelican settings for development or production, with optional output and content folders."""
    from pelican.settings import read_settings

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # so PLUGINS can name "plugins.<module>"
    name = PRODUCTION_SETTINGS if production else DEVELOPMENT_SETTINGS
    override = {}
    if output:
        override["OUTPUT_PATH"] = str(Path(output).resolve())
    if content:
        override["PATH"] = str(Path(content).resolve())
    return read_settings(str(ROOT / name), override=override or None)


def reserved_everywhere(content: str | Path | None = None) -> dict[str, str]:
    """The folders the site writes itself in development (drafts) or production
    (the feed): a slug may take none of them, so the preview fails as CI would."""
    return {
        **reserved_folders(load_settings(production=True, content=content)),
        **reserved_folders(load_settings(content=content)),
    }


def build(
    *,
    production: bool = False,
    output: str | Path | None = None,
    content: str | Path | None = None,
    keep: dict | None = None,
    index_later: bool = False,
) -> Path:
    """Build the site into `output` (default: the settings' OUTPUT_PATH) and return it.

    `content` replaces the content folder (the benchmark and tests build generated sites).
    `keep`, a dict, receives what the preview's next build starts from
    (preview/rebuild.py): the settings, Pelican's generators, the output
    folder and the Markdown files' paths; and `previous`, the folder now holding
    the build this one replaced, for the caller to remove.
    `index_later` (the preview): the new build keeps the previous one's search
    index, and the caller writes the new one into the output once the pages
    are served (`write_index`).
    """
    settings = load_settings(production=production, output=output, content=content)
    notices: list[Finding] = []
    try:
        final = _build(settings, notices, keep, index_later)
    except BuildFailed as failure:
        tell_github([*(("error", p) for p in failure.found), *notices], failure.heading, settings)
        raise
    tell_github(notices, "The build passed", settings)
    return final


def _build(
    settings: dict, notices: list[Finding], keep: dict | None, index_later: bool = False
) -> Path:
    """`build()` for these settings; `notices` receives the warnings and notes."""
    paths = preflight(settings, notices)

    final = Path(settings["OUTPUT_PATH"])
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.building-", dir=final.parent))
    # mkdtemp makes a private (0700) folder; the output is for a web server to read.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    try:
        pelican_settings = {**settings, "OUTPUT_PATH": str(staging)}
        cache.configure(pelican_settings)
        read_ahead(paths, Memo(pelican_settings))
        generators = run_pelican(pelican_settings)
        if index_later and final.is_dir():
            keep_previous_index(final, staging)
        else:
            write_index(staging, generators, pelican_settings)
        try:
            write_host_files(
                staging,
                theme_dir=settings["THEME_STATIC_DIR"],
                compress=settings["PRODUCTION"],
            )
        except ValueError as error:
            raise BuildFailed([f"the files for the hosts could not be written: {error}"]) from None
        swap_in(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if keep is None:
        shutil.rmtree(staging, ignore_errors=True)  # now the previous build
    else:
        keep.update(
            settings=settings, generators=generators, output=final, paths=paths, previous=staging
        )
    return final


def write_index(output: Path, generators, settings: dict) -> list[Path]:
    """Write the search index into the build in `output` (commands/search_index.py);
    BuildFailed if Pagefind fails. The files written."""
    try:
        return write_search_index(output, generators, settings)
    except RuntimeError as error:
        raise BuildFailed([f"the search index could not be written: {error}"]) from None


def preflight(settings: dict, notices: list[Finding] | None = None) -> list[str]:
    """Every rule over the sources, before Pelican: raise BuildFailed listing every
    problem, print the notices, and return the Markdown files' paths.

    `notices`, a list, receives the warnings and notes, also when a problem
    stops the build (for GitHub's annotations: commands/ci_report.py)."""
    try:
        on = today(settings)
    except ClockNotSet as error:
        raise BuildFailed([str(error)]) from None
    cache.configure(settings)
    problems, review_notices, picture_notes, paths = run_rules(settings, on)
    # A picture that will look soft is the editor's call, not a reason to stop
    # the build: said here and in `invoke review-report`.
    found = [*(("warning", n) for n in review_notices), *(("note", n) for n in picture_notes)]
    if notices is not None:
        notices.extend(found)
    if problems:
        raise BuildFailed(problems)
    for level, notice in found:
        print(f"{level}: {notice}", file=sys.stderr)
    return paths


def run_rules(
    settings: dict, on: dt.date
) -> tuple[list[Problem], list[Problem], list[Problem], list[str]]:
    """The content rules: (problems, review notices, picture notes, Markdown paths).

    Each file is read and parsed once, for every rule; what the rules found in
    a file on its own is kept in the site's cache (engine/cache.py) under
    its bytes and name, so a warm build runs only what looks across files and
    on disk; `held` keeps it in this process too, for the preview, which runs
    the rules after every save. The problems are the same with the cache or
    without it."""
    content = Path(settings["PATH"])
    folder = read_folder(content, cache.held)
    review_errors, review_notices = folder_reviews(folder, settings, on)
    reserved = reserved_everywhere(content)
    problems = check_folder(folder, settings, reserved, on, cache.held)
    paths = [str(source.path) for source in folder.sources]
    return sorted(problems + review_errors), review_notices, folder_notes(folder), paths


def run_pelican(settings: dict) -> list:
    """Run Pelican once and return its generators; raise BuildFailed listing every
    warning and error it logged."""
    from pelican import Pelican, signals

    generators: list = []

    def keep_generators(sender) -> None:
        generators[:] = sender

    signals.all_generators_finalized.connect(keep_generators)
    try:
        with collect_pelican_log(settings) as messages:
            try:
                Pelican(settings).run()
            except Exception as error:  # Pelican stops on template and plugin errors
                path, line = _where(error)
                message = f"pelican stopped: {type(error).__name__}: {error}"
                messages.append(Problem(path, line, message))
    finally:
        signals.all_generators_finalized.disconnect(keep_generators)
    if messages:
        raise BuildFailed(messages)
    return generators


@contextlib.contextmanager
def collect_pelican_log(settings: dict) -> Iterator[list[Problem]]:
    """Every warning and error logged inside the block, as the build reports them."""
    collector = _Collector(Path(settings["PATH"]).parent)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(collector)
    root.setLevel(logging.WARNING)
    try:
        yield collector.messages
    finally:
        root.removeHandler(collector)
        root.setLevel(previous_level)


def _where(error: BaseException) -> tuple[str, int]:
    """(path, line) of the deepest frame in this project (a template or a plugin)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).is_relative_to(ROOT)
        and not Path(frame.filename).is_relative_to(ROOT / ".venv")
        and Path(frame.filename) != Path(__file__)
    ]
    if not frames:
        return "", 0
    frame = frames[-1]
    return str(Path(frame.filename).relative_to(ROOT)), frame.lineno or 0


def swap_in(staging: Path, final: Path) -> None:
    """Put the finished build at `final`; what was there ends up at `staging`.

    Linux swaps the two folders in one step (renameat2 with RENAME_EXCHANGE),
    so a server reading `final` never sees it missing or half written.
    Elsewhere the old folder is moved aside first: two renames, no copying.
    Another build into the same folder (the preview and an editor's build)
    may put its folder there first: this one is then swapped in over it.
    """
    if not final.exists():
        try:
            staging.rename(final)
            return
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    if not _exchange(staging, final):
        aside = staging.with_name(staging.name + ".old")
        final.rename(aside)
        staging.rename(final)
        aside.rename(staging)


def _exchange(first: Path, second: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0
