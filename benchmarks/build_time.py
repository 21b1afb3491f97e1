"""How long the site takes to build, next to plain Pelican, on the same content.

`invoke bench` runs this. For each size N (default 1000 and 5000) it makes a
content folder holding the site's own content plus N generated articles
(benchmarks/synthetic.py: about 1,200 words, five headings, a list, links to
other articles, three tags, four topics), then times, in separate processes
and alternating so that drift hits both alike:

- this site: the production build (`commands.build.build`, exactly what
  CI and publishing run: content rules, Pelican with our theme and plugins,
  host files and gzip copies, the swap);
- plain Pelican 4 with its default theme and TYPOGRIFY = True, reading the
  same folder (its default settings otherwise; it skips content/pages/404.md,
  which needs a template the default theme lacks).

This site is timed twice per round: with nothing cached (no on-disk cache,
no pictures or share cards: a fresh clone) and warm (the cache the cold
build just left, as CI restores it). Each figure is the median of several
rounds, with the lowest and highest: wall time of the whole process
(interpreter start included, as a user waits for it) and peak resident memory
of the largest single process (forked workers share the parent's pages, so
adding theirs up would count the same memory several times). Then the
editor's loop: the time from saving an article to a real `invoke serve`
serving the change, for an edit to the text (the pages path of
preview/rebuild.py: only pages read the text) and to the title (the full
build, which the A to Z's order and the lists read; the render cache renders
only the pages that show the title).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from preview.server import SEARCH_UPDATED

ROOT = Path(__file__).resolve().parent.parent
SITEURL = "https://www.example.org"
PLAIN_SETTINGS = """\
SITENAME = "Mind Balance"
SITEURL = {siteurl!r}
TIMEZONE = "America/New_York"
TYPOGRIFY = True
IGNORE_FILES = [".*", "404.md"]
"""
# One word: typogrify joins the last two words of a paragraph with a no-break space.
MARKER = "benchmarkedit{number}"


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float


def timed(command: list[str], *, cwd: Path, env: dict[str, str]) -> Run:
    """Run a command to completion; its wall time and peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode() if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])}… failed:\n{error}")
    return Run(seconds, usage.ru_maxrss / 1024)  # ru_maxrss is in KiB on Linux


def make_site(folder: Path, articles: int) -> Path:
    """A copy of the site's sources with `articles` generated articles added."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import copy_site, write_articles

    write_articles(copy_site(folder) / "content", articles)
    return folder


def site_build(site: Path, output: Path) -> list[str]:
    code = (
        "import sys; from commands.build import build; "
        "build(production=True, output=sys.argv[1], content=sys.argv[2])"
    )
    return [sys.executable, "-c", code, str(output), str(site / "content")]


def plain_build(site: Path, output: Path) -> list[str]:
    settings = site / "plainconf.py"
    settings.write_text(PLAIN_SETTINGS.format(siteurl=SITEURL), encoding="utf-8")
    command = [sys.executable, "-m", "pelican", str(site / "content")]
    return [*command, "-s", str(settings), "-o", str(output), "-q"]


def median_run(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs), statistics.median(r.peak_mib for r in runs)
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def body_edit(text: str, marker: str) -> str:
    """A new last paragraph: only the article's own page shows it."""
    return text + f"\n\n{marker}\n"


def title_edit(text: str, marker: str) -> str:
    """A new title: the home page, lists and neighbours show it too."""
    return re.sub(r"^Title: .*$", f"Title: Synthetic article 1 {marker}", text, count=1, flags=re.M)


def serve_latency(site: Path, edits: int, change=body_edit) -> tuple[list[float], list[float]]:
    """Per save of an article (`change`), seconds until `invoke serve` serves it, and
    until it says the search index is updated (written after the pages are served);
    the next save waits for that, as one save at a time."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "invoke", "serve", "--port", str(port)],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    said: list[str] = []
    threading.Thread(target=lambda: said.extend(server.stdout), daemon=True).start()
    url = f"http://127.0.0.1:{port}/synthetic-article-0001/"
    article = site / "content" / "synthetic-article-0001.md"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(text: str, seconds: float = 120) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            if text in page():
                return time.perf_counter() - start
            time.sleep(0.01)
        raise SystemExit(f"the preview did not show {text!r} within {seconds} s")

    def indexed(after: int, seconds: float = 300) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            if any(SEARCH_UPDATED in line for line in said[after:]):
                return time.perf_counter() - start
            time.sleep(0.01)
        raise SystemExit(f"the preview did not update its search index within {seconds} s")

    try:
        wait_for("Synthetic article 1", seconds=900)  # the first build of a big site
        indexed(0, seconds=900)
        served, index = [], []
        for number in range(edits):
            time.sleep(0.5)  # one save at a time, as an editor makes them
            # A marker of its own per kind of edit, never seen on the page before.
            marker = MARKER.format(number=f"{change.__name__.split('_')[0]}{number}")
            lines = len(said)
            article.write_text(change(article.read_text(), marker))
            served.append(wait_for(marker))
            index.append(served[-1] + indexed(lines))
        return served, index
    finally:
        server.terminate()
        server.wait(timeout=10)


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    release = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
    from importlib.metadata import version

    return (
        f"{cpu[1] if cpu else platform.processor()}, {os.cpu_count()} cores, "
        f"{int(memory[1]) / 1024**2:.0f} GiB; {release[1] if release else platform.platform()}; "
        f"Python {platform.python_version()}, Pelican {version('pelican')}, "
        f"typogrify {version('typogrify')}, Markdown {version('markdown')}"
    )


# The targets of issue 22, by the number of articles (a size not named here
# takes the nearest smaller one's).
TARGETS = {
    1000: {"cold": 0.5, "warm": 0.25, "body": 0.3, "other": 1.5, "memory": 1.5},
    5000: {"cold": 0.5, "warm": 0.25, "body": 0.5, "other": 3.0, "memory": 1.5},
}


def targets(size: int) -> dict[str, float]:
    """The targets for a site of `size` articles."""
    named = [named for named in sorted(TARGETS) if named <= size] or [min(TARGETS)]
    return TARGETS[named[-1]]


def spread(values: list[float], unit: str = " s") -> str:
    """The median, and the lowest and highest run in brackets."""
    if len(values) == 1:
        return f"{values[0]:.2f}{unit}"
    return f"{statistics.median(values):.2f}{unit} ({min(values):.2f}–{max(values):.2f})"


def ratio_row(size: int, figure: str, ours: list[Run], plain: list[Run], target: float) -> str:
    # Each run of ours is divided by the plain run of the same round: drift hits both alike.
    ratios = [a.seconds / b.seconds for a, b in zip(ours, plain, strict=True)]
    return (
        f"| {size} | {figure} | {spread([r.seconds for r in ours])} "
        f"| {spread(ratios, '×')} | ≤ {target}× |"
    )


def generated_sites(sizes: list[int], prefix: str) -> Iterator[tuple[int, Path, Path]]:
    """For each size, a temporary folder holding a generated site: (size, folder, site)."""
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"{prefix}-{size}-") as temporary:
            yield size, Path(temporary), make_site(Path(temporary) / "site", size)


def prepare(kind: str, site: Path) -> None:
    """A "cold" build starts with no cache (engine/cache.py, and the pictures');
    a "warm" one keeps what the cold build just stored, as CI's actions/cache does."""
    if kind == "cold":
        shutil.rmtree(site / "cache", ignore_errors=True)


def table(summary: str, columns: str, alignment: str) -> list[str]:
    """The lines that open a results table: what was measured, then the header."""
    return [
        f"Measured {dt.date.today().isoformat()} on {machine()}{summary}",
        "",
        columns,
        alignment,
    ]


def bench(sizes: list[int], runs: int, edits: int) -> str:
    """Run every measurement and return the results as Markdown."""
    env = {**os.environ, "SITEURL": SITEURL}
    lines = table(
        f".\nBuilds: median of {runs} rounds (lowest–highest in brackets); each round runs "
        f"a cold, a warm and a plain build in turn. Preview: median of {edits} saves.",
        "| articles | figure | measured | ÷ plain Pelican | target |",
        "| ---: | --- | ---: | ---: | ---: |",
    )
    for size, temporary, site in generated_sites(sizes, "bench"):
        cold, warm, plain = [], [], []
        kinds = (("cold", cold, site_build), ("warm", warm, site_build))
        kinds += (("plain", plain, plain_build),)
        for run in range(runs):
            for kind, results, command in kinds:
                output = temporary / "out"  # every build starts from no output
                prepare(kind, site)
                results.append(timed(command(site, output), cwd=site, env=env))
                shutil.rmtree(output)
                print(f"  {size} articles, {kind} run {run + 1}: {results[-1]}", file=sys.stderr)
        body, body_index = serve_latency(site, edits, body_edit)
        other, other_index = serve_latency(site, edits, title_edit)
        target = targets(size)
        ours = [max(a.peak_mib, w.peak_mib) for a, w in zip(cold, warm, strict=True)]
        peaks = [o / p.peak_mib for o, p in zip(ours, plain, strict=True)]
        lines += [
            f"| {size} | plain Pelican + typogrify | {spread([r.seconds for r in plain])} | 1 | |",
            ratio_row(size, "full build, nothing cached", cold, plain, target["cold"]),
            ratio_row(size, "full build, warm cache", warm, plain, target["warm"]),
            f"| {size} | preview: save to served page, text edit | {spread(body)} | "
            f"| ≤ {target['body']} s |",
            f"| {size} | preview: save to served page, title edit | {spread(other)} | "
            f"| ≤ {target['other']} s |",
            f"| {size} | preview: save to search index updated, text edit | {spread(body_index)} "
            "| | |",
            f"| {size} | preview: save to search index updated, title edit "
            f"| {spread(other_index)} | | |",
            f"| {size} | peak memory of one process (ours, plain: MiB) "
            f"| {statistics.median(ours):.0f}"
            f", {statistics.median(r.peak_mib for r in plain):.0f} "
            f"| {spread(peaks, '×')} | ≤ {target['memory']}× |",
        ]
        print("\n".join(lines[-8:]), file=sys.stderr)
    return "\n".join(lines) + "\n"


def phases(sizes: list[int]) -> str:
    """Where a cold and a warm production build spend their time (benchmarks/phases.py)."""
    env = {**os.environ, "SITEURL": SITEURL}
    lines = table(
        "; one build of each.",
        "| articles | step | nothing cached | warm cache |",
        "| ---: | --- | ---: | ---: |",
    )
    for size, temporary, site in generated_sites(sizes, "phases"):
        results = []
        for kind in ("cold", "warm"):
            prepare(kind, site)
            output = temporary / "out"
            run = subprocess.run(
                [sys.executable, "-m", "benchmarks.phases", str(output), str(site / "content")],
                cwd=site,
                env={**env, "PYTHONPATH": str(site)},
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(run.stdout.splitlines()[-1]))
            shutil.rmtree(output)
        cold, warm = results
        for step in [*cold, *(name for name in warm if name not in cold)]:
            lines.append(
                f"| {size} | {step} | {cold.get(step, 0):.2f} s | {warm.get(step, 0):.2f} s |"
            )
    return "\n".join(lines) + "\n"


def record(results: str, document: Path) -> None:
    """Put `results` between the bench markers of `document`."""
    text = document.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
    if start not in text or end not in text:
        raise SystemExit(f"{document} has no {start.strip()} … {end} block to write into.")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    document.write_text(before + start + results + end + after, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="article counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind per size")
    parser.add_argument("--edits", type=int, default=5, help="edits timed in the editor's loop")
    parser.add_argument("--record", type=Path, help="write the results into this Markdown file")
    parser.add_argument(
        "--phases", action="store_true", help="only time each step of one cold and one warm build"
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if not sizes or min(sizes) < 2 or args.runs < 1 or args.edits < 1:
        parser.error("sizes must be 2 or more articles, and runs and edits at least 1")
    if args.phases:
        print(phases(sizes))
        return
    results = bench(sizes, args.runs, args.edits)
    print(results)
    if args.record:
        record(results, args.record)
        print(f"Recorded in {args.record}")


if __name__ == "__main__":
    main()
