"""Tasks for the Mind Balance site: `invoke --list` shows them all.

The logic lives in commands/ (the strict build, publishing, the reports) and
preview/ (the editor's preview server and its rebuilds), which use plugins/ and
rules/; each task here only wires options to them (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from invoke import Exit, task

from commands.build import BuildFailed, load_settings, reserved_everywhere
from commands.build import build as strict_build
from rules.clock import ClockNotSet

ROOT = Path(__file__).resolve().parent
CONFIG = {
    "host": "127.0.0.1",
    "port": 8000,
}


@contextlib.contextmanager
def _exit_on(*errors: type[Exception]) -> Iterator[None]:
    """The site's own failures end the task with their message and status 1, no traceback."""
    try:
        yield
    except errors as error:
        raise Exit(str(error), code=1) from None


def _build_or_exit(*, production: bool, output: str | None) -> Path:
    with _exit_on(BuildFailed):
        built = strict_build(production=production, output=output)
    print(f"Built {'production' if production else 'development'} site in {built}")
    return built


@task(
    help={
        "production": "use publishconf.py (absolute URLs, feeds)",
        "output": "folder to build into (default: output/)",
    }
)
def build(c, production=False, output=None):
    """Build the site, failing on any content problem or Pelican warning."""
    _build_or_exit(production=production, output=output)


@task(help={"output": "folder to remove (default: output/)"})
def clean(c, output=None):
    """Remove the built site and the caches (pictures, share cards, per-file work, compiled templates)."""
    settings = load_settings()
    for target in (
        Path(output) if output else Path(settings["OUTPUT_PATH"]),
        Path(settings["CACHE_PATH"]),
    ):
        if target.exists():
            shutil.rmtree(target)
            print(f"Removed {target}")


def _address_file() -> Path:
    """Where the running preview notes its address (preview/server.running_preview)."""
    return Path(load_settings()["CACHE_PATH"]) / "preview-address.json"


@task
def clean_photos(c):
    """Take the location and camera serial numbers out of every picture in content/.

    The pictures themselves are unchanged: only their metadata is rewritten."""
    from commands.clean_photos import clean_photos as clean

    lines, clear = clean(Path(load_settings()["PATH"]))
    print("\n".join(lines))
    if not clear:
        raise Exit(code=1)


@task(help={"port": "port on 127.0.0.1 (default 8000; with make: make serve PORT=8001)"})
def serve(c, port=CONFIG["port"]):
    """Build, serve at http://127.0.0.1:8000/, rebuild on change; open pages update themselves."""
    from preview.rebuild import PreviewBuilder
    from preview.server import PortInUse, serve_and_rebuild

    builder = PreviewBuilder()
    with _exit_on(PortInUse, BuildFailed):
        serve_and_rebuild(
            Path(load_settings()["OUTPUT_PATH"]),
            rebuild=builder.rebuild,
            not_own=builder.not_own,
            finish=builder.finish,
            watch=[ROOT / "content", ROOT / "theme", ROOT / "pelicanconf.py"],
            host=CONFIG["host"],
            port=int(port),
            address_file=_address_file(),
        )


@task(help={"port": "port on 127.0.0.1 (default 8000)"})
def preview(c, port=CONFIG["port"]):
    """Build for production (SITEURL defaults to the local server) and serve it."""
    from preview.server import PortInUse, serve_forever

    # The production build's links are absolute: point them at this preview's port.
    os.environ.setdefault("SITEURL", f"http://{CONFIG['host']}:{port}")
    output = _build_or_exit(production=True, output=None)
    with _exit_on(PortInUse):
        serve_forever(output, host=CONFIG["host"], port=int(port))


@task(
    help={
        "pytest-args": "run pytest on this checkout with these arguments instead, e.g. '-k links'",
    }
)
def test(c, pytest_args=""):
    """Run every check: lint, format, then the whole suite once, in a scratch copy of
    the checkout whose content/ also holds the editors' test articles
    (tests/data/editor-articles/), so the checks of content/ prove that content
    like a new editor's goes live by the rules alone."""
    # One worker per core and one more: about a quarter of a worker's time is spent
    # waiting (on a browser's answer, a server, a child process), which the extra
    # worker fills. On 2 cores, after set-up, the main pass took 242 s with 2
    # workers, 214 to 240 s with 3 (three runs) and 221 s with 4. An idle worker
    # takes queued tests from a busy one (worksteal); the slowest are listed at the end.
    workers = len(os.sched_getaffinity(0)) + 1  # the cores this process may use
    pytest = f"{sys.executable} -m pytest --numprocesses {workers} --dist worksteal --durations 15"
    if pytest_args:
        c.run(f"{pytest} {pytest_args}")
        return
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m ruff format --check .")
    from commands.editor_articles import ArticlesClash, checkout_with_editor_articles

    with _exit_on(ArticlesClash), checkout_with_editor_articles() as copy:
        print(f"Every check, on content/ with the editors' test articles added ({copy}):")
        # Every file of the run in the copy's scratch folder, deleted with it: pytest's
        # own numbered folders would each be deleted by a later run, minutes on a slow disk.
        scratch = copy.parent
        (scratch / "tmp").mkdir()
        env = {"TMPDIR": str(scratch / "tmp")}
        with c.cd(str(copy)):
            checks = shlex.quote(str(scratch / "checks"))
            c.run(f"{pytest} -m 'not lighthouse' --basetemp {checks}", env=env)
            # Then Lighthouse alone: its performance score measures the browser's
            # own work, which the other tests on the same cores would stretch.
            # Its verdict is the same either way (tests/test_lighthouse.py).
            # It audits the sites the main run built (--builds-of).
            lighthouse = f"{sys.executable} -m pytest -m lighthouse --durations 5"
            c.run(
                f"{lighthouse} --basetemp {shlex.quote(str(scratch / 'lighthouse'))} "
                f"--builds-of={checks}",
                env=env,
            )


@task
def lint(c):
    """Fix what ruff can fix and format the Python code."""
    c.run(f"{sys.executable} -m ruff check --fix .")
    c.run(f"{sys.executable} -m ruff format .")


@task
def lock(c):
    """Regenerate requirements.lock (hashed) from pyproject.toml."""
    c.run(
        f"{sys.executable} -m uv pip compile pyproject.toml --extra test --generate-hashes --universal "
        "--python-version 3.11 --no-header -o requirements.lock"
    )


@task(help={"title": "the article's title, in quotes"}, aliases=["new-article"])
def new(c, title):
    """Start a new draft article in content/ with its metadata filled in."""
    from commands.new_article import ArticleNotCreated, create_article

    settings = load_settings()
    with _exit_on(ArticleNotCreated):
        path = create_article(
            Path(settings["PATH"]), title, settings, reserved=reserved_everywhere()
        )
    from preview.server import running_preview

    draft = f"drafts/{path.stem}/"
    running = running_preview(_address_file())
    if running:
        see = f"Open {running}{draft} to see it as you write (the preview is running)."
    else:
        see = (
            f"Run make serve and open http://{CONFIG['host']}:{CONFIG['port']}/{draft} "
            f"to see it as you write (with make serve PORT=8001, the port is 8001)."
        )
    print(
        f"Created {path.relative_to(ROOT)} as a draft.\n{see}\n"
        "To publish it: write the real Summary, set Reviewed and Next_review to the "
        "clinician's review, then delete the line `Status: draft` (docs/editing.md, Going live)."
    )


@task(
    help={
        "markdown": "write Markdown (for a CI run's summary) instead of the text report",
        "fail-overdue": "exit with status 1 when an article is past its Next_review date",
    }
)
def review_report(c, markdown=False, fail_overdue=False):
    """List every article's review status (overdue first, scheduled too) and readability."""
    from commands.review_report import review_report as report

    settings = load_settings()
    with _exit_on(ClockNotSet):
        text, rows, hard = report(Path(settings["PATH"]), settings, markdown=markdown)
    print(text)
    target = settings["READABILITY_MAX_GRADE"]
    for row in hard:
        print(
            f"warning: {row.path}: grade {row.grade:.1f} is above the target of {target}. "
            "Shorter sentences and everyday words bring it down; explain each medical "
            "term the first time you use it.",
            file=sys.stderr,
        )
    overdue = [row for row in rows if row.status == "overdue"]
    if fail_overdue and overdue:
        raise Exit(
            f"{len(overdue)} article{'s are' if len(overdue) != 1 else ' is'} overdue for review: "
            + ", ".join(row.path for row in overdue)
            + ". Have each reviewed, then update Reviewed and Next_review.",
            code=1,
        )


@task(
    help={
        "sizes": "article counts to generate, comma-separated (default 1000,5000)",
        "runs": "rounds of builds per size; the median is reported (default 3)",
        "edits": "saves timed in the preview (default 5)",
        "record": "write the results into docs/benchmarks.md",
        "phases": "instead, time each step of one cold and one warm build",
        "search": "instead, measure the search page's budgets on the first size",
    }
)
def bench(c, sizes="1000,5000", runs=3, edits=5, record=False, phases=False, search=False):
    """Time the production build against plain Pelican, and the editor's rebuild."""
    if search:
        from benchmarks.search_budgets import main as search_budgets

        search_budgets(["--articles", sizes.split(",")[0]])
        return
    from benchmarks.build_time import main

    arguments = ["--sizes", sizes, "--runs", str(runs), "--edits", str(edits)]
    if phases:
        arguments.append("--phases")
    if record:
        arguments += ["--record", str(ROOT / "docs" / "benchmarks.md")]
    main(arguments)


# --- Publishing: every path goes through the gate in commands/publish.py -------

PUBLISH_HELP = {
    "siteurl": "the site's public address, e.g. https://www.example.org (default: $SITEURL)",
    "pytest-args": "the gate's test run instead of its default, every check of a built site (-m content)",
}


@contextlib.contextmanager
def _publishing(siteurl, pytest_args):
    """A checked build in a temporary folder; any PublishFailed becomes a clean exit."""
    from commands.publish import PublishFailed, fresh_checked_build, resolve_siteurl

    with (
        _exit_on(PublishFailed),
        fresh_checked_build(
            siteurl=resolve_siteurl(siteurl), pytest_args=shlex.split(pytest_args)
        ) as site,
    ):
        yield site


@task(help={**PUBLISH_HELP, "output": "a folder that does not exist yet"})
def checked_build(c, output, siteurl=None, pytest_args=""):
    """Build for production into a fresh folder and run every check of a built site against it."""
    from commands.publish import PublishFailed, resolve_siteurl
    from commands.publish import checked_build as gate

    with _exit_on(PublishFailed):
        built = gate(
            siteurl=resolve_siteurl(siteurl), output=output, pytest_args=shlex.split(pytest_args)
        )
    print(f"Checked build ready to publish: {built}")


@task(
    help={
        **PUBLISH_HELP,
        "remote": "git remote name or URL to push to (default: origin)",
        "branch": "branch to publish (default: gh-pages)",
    }
)
def gh_pages(c, siteurl=None, remote="origin", branch="gh-pages", pytest_args=""):
    """Publish a checked build to the gh-pages branch of a remote (GitHub Pages)."""
    from commands.publish import publish_gh_pages, source_revision

    with _publishing(siteurl, pytest_args) as site:
        message = f"Publish {source_revision()}"
        commit = publish_gh_pages(site, remote=remote, branch=branch, message=message)
    print(f"Pushed {commit[:12]} to {branch} on {remote}")


def _upload(host, name, siteurl, pytest_args):
    from commands.publish import PublishFailed, host_cli, publish_with_cli

    with _exit_on(PublishFailed):
        host_cli(host)  # before building: say at once if the CLI is missing
    with _publishing(siteurl, pytest_args) as site:
        publish_with_cli(site, host=host, name=name)
    print(f"Published to {host} ({name})")


@task(help={**PUBLISH_HELP, "site": "the Netlify site name or ID"})
def netlify(c, site, siteurl=None, pytest_args=""):
    """Publish a checked build to Netlify with the netlify CLI (it reads _headers)."""
    _upload("netlify", site, siteurl, pytest_args)


@task(help={**PUBLISH_HELP, "project": "the Cloudflare Pages project name"})
def cloudflare_pages(c, project, siteurl=None, pytest_args=""):
    """Publish a checked build to Cloudflare Pages with wrangler (it reads _headers)."""
    _upload("cloudflare-pages", project, siteurl, pytest_args)


@task(help={**PUBLISH_HELP, "target": "the folder nginx serves TARGET/current from"})
def deploy_dir(c, target, siteurl=None, pytest_args=""):
    """Deploy a checked build to TARGET/releases/<id>/ and switch TARGET/current to it."""
    from commands.publish import PublishFailed, deploy_release, require_target

    with _exit_on(PublishFailed):
        require_target(target)  # before building: say at once if it cannot be written
    with _publishing(siteurl, pytest_args) as site:
        release = deploy_release(site, target)
    print(f"{target}/current now serves {release.name}")


@task(help={"target": "the folder given to deploy-dir"})
def rollback(c, target):
    """Switch TARGET/current back to the previous release."""
    from commands.publish import PublishFailed
    from commands.publish import rollback as roll_back

    with _exit_on(PublishFailed):
        release = roll_back(target)
    print(f"{target}/current now serves {release.name}")


@task
def headers(c):
    """Rewrite the nginx header snippets in deploy/ from plugins/security_headers.py."""
    from plugins.security_headers import write_nginx_snippets

    for path in write_nginx_snippets(ROOT / "deploy"):
        print(f"Wrote {path.relative_to(ROOT)}")
