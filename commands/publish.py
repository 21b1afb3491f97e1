"""Publishing: one gate, then GitHub Pages (gh-pages branch) or an nginx folder.

Every publish goes through `checked_build()`: a production build into a fresh
folder, then every check of a built site (`pytest -m content`) against exactly
that folder (`SITE_UNDER_TEST`), once `require_checkers` has found every checker. Only a folder that passed is handed to a target, and a
target changes in one atomic step at the very end (a `git push` of one ref, or
a rename of the `current` symlink), so any failure leaves the live site as it
was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from commands.build import ROOT, BuildFailed, build
from scripts.system_packages import missing_for_checks

KEEP_RELEASES = 5
GIT_IDENTITY = {"name": "Mind Balance publisher", "email": "publisher@localhost"}


class PublishFailed(Exception):
    """Nothing was published; the message says why and what to do."""


def resolve_siteurl(siteurl: str | None) -> str:
    """The public address: the given value, else $SITEURL; never a silent default."""
    value = (siteurl or os.environ.get("SITEURL", "")).strip().rstrip("/")
    if not value:
        raise PublishFailed(
            "No site address given: pass --siteurl https://www.example.org "
            "(or set SITEURL; in GitHub Actions, the repository variable SITEURL). "
            "Publishing never uses the local preview address."
        )
    if not value.startswith(("https://", "http://")):
        raise PublishFailed(
            f"SITEURL {value!r} is not an http(s) address; write it like https://www.example.org."
        )
    return value


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# The gate's checks: every check that reads the built site (tests marked
# `content`); the rest prove behaviours on the tests' own sites, whatever is published.
GATE = ("-m", "content")


def require_checkers() -> None:
    """Say at once, before anything is built, what the gate's checks lack."""
    missing = missing_for_checks(ROOT)
    if missing:
        raise PublishFailed(
            f"Publishing runs every check on the build first, and this machine lacks "
            f"{'; '.join(missing)}. Run `make test` once (it installs them), then publish "
            "again. Nothing was built or published."
        )


def checked_build(*, siteurl: str, output: str | Path, pytest_args: Sequence[str] = ()) -> Path:
    """Build for production into a fresh folder, run the checks of a built site against it,
    return it."""
    require_checkers()
    output = Path(output).resolve()
    if output.exists():
        raise PublishFailed(
            f"{output} already exists; a checked build always goes into a fresh folder. "
            "Remove it or choose another --output."
        )
    try:
        with _environment(SITEURL=siteurl):
            build(production=True, output=output)
    except BuildFailed as failure:
        raise PublishFailed(f"{failure}\nNothing was published.") from None
    print(f"Built {output} for {siteurl}; running the test suite against it…", flush=True)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *(pytest_args or GATE)],
        cwd=ROOT,
        env={**os.environ, "SITE_UNDER_TEST": str(output), "SITEURL": siteurl},
        check=False,
    )
    if result.returncode != 0:
        raise PublishFailed(
            f"The test suite failed (exit code {result.returncode}) against the production "
            "build; nothing was published. Fix the failures listed above and publish again."
        )
    return output


@contextlib.contextmanager
def fresh_checked_build(*, siteurl: str, pytest_args: Sequence[str] = ()) -> Iterator[Path]:
    """`checked_build` into a temporary folder that is removed once the publish is done."""
    scratch = Path(tempfile.mkdtemp(prefix="mindbalance-publish-"))
    try:
        yield checked_build(siteurl=siteurl, output=scratch / "site", pytest_args=pytest_args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- GitHub Pages: the gh-pages branch ---------------------------------------


def _git(*args: str, cwd: Path | None = None, env: dict | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PublishFailed(
            f"git {' '.join(args)} failed: {result.stderr.strip() or result.stdout.strip()}\n"
            "Nothing was published; fix the git problem above and publish again."
        )
    return result.stdout.strip()


def _remote_url(remote: str) -> str:
    """A remote's URL when `remote` names one in this repository, else `remote` itself."""
    result = subprocess.run(
        ["git", "remote", "get-url", remote], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else remote


def source_revision() -> str:
    """The commit being published (with `-dirty` for uncommitted changes), or `unknown`."""
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty", "--abbrev=12"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def publish_gh_pages(site: Path, *, remote: str, branch: str = "gh-pages", message: str) -> str:
    """Commit `site` as the whole tree of `branch` on `remote` and push it; return the commit.

    Works in a temporary repository, so the project's own checkout, index and
    branches are never touched. The new commit's parent is the branch's
    current head, so the branch keeps its history and the push is a plain
    fast-forward: if someone else published in between, the push is refused.
    """
    url = _remote_url(remote)
    ref = f"refs/heads/{branch}"
    with tempfile.TemporaryDirectory(prefix="mindbalance-gh-pages-") as scratch:
        git_dir = Path(scratch) / "repo.git"
        _git("init", "--quiet", "--bare", str(git_dir))
        env = {
            **os.environ,
            "GIT_DIR": str(git_dir),
            "GIT_WORK_TREE": str(site),
            "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", GIT_IDENTITY["name"]),
            "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", GIT_IDENTITY["email"]),
            "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", GIT_IDENTITY["name"]),
            "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", GIT_IDENTITY["email"]),
        }
        parent: list[str] = []
        if _git("ls-remote", "--heads", url, ref, env=env):
            _git("fetch", "--quiet", "--no-tags", url, ref, env=env)
            parent = ["-p", _git("rev-parse", "FETCH_HEAD", env=env)]
        _git("add", "--all", "--force", ".", cwd=site, env=env)
        tree = _git("write-tree", env=env)
        commit = _git("commit-tree", tree, *parent, "-m", message, env=env)
        _git("push", "--quiet", url, f"{commit}:{ref}", env=env)
    return commit


# --- Netlify and Cloudflare Pages: upload a checked folder with their CLI ----

# Host -> (CLI program, how to install it, the deploy command for a folder).
HOST_CLIS = {
    "netlify": (
        "netlify",
        "npm install -g netlify-cli",
        lambda folder, name: ["deploy", "--prod", "--dir", str(folder), "--site", name],
    ),
    "cloudflare-pages": (
        "wrangler",
        "npm install -g wrangler",
        lambda folder, name: ["pages", "deploy", str(folder), "--project-name", name],
    ),
}


def host_cli(host: str) -> str:
    """The path of the host's CLI; raises PublishFailed saying how to install it."""
    program, install, _ = HOST_CLIS[host]
    found = shutil.which(program)
    if found is None:
        raise PublishFailed(
            f"`{program}` is not installed, so nothing can be uploaded to {host}. "
            f"Install it ({install}), log in or set its token, and publish again."
        )
    return found


def publish_with_cli(site: Path, *, host: str, name: str) -> None:
    """Upload `site` as a new production deploy; both hosts switch to it only once complete."""
    _, _, arguments = HOST_CLIS[host]
    result = subprocess.run([host_cli(host), *arguments(site, name)], check=False)
    if result.returncode != 0:
        raise PublishFailed(
            f"The {host} upload failed (exit code {result.returncode}); the live site is "
            "unchanged. Read the CLI's message above, fix it, and publish again."
        )


# --- A folder served by nginx: releases/ and an atomic `current` -----------


def _releases(target: Path) -> list[Path]:
    folder = target / "releases"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def current_release(target: Path) -> Path | None:
    """The release `TARGET/current` points at, or None before the first deploy."""
    link = target / "current"
    return link.resolve() if link.is_symlink() else None


def switch_to(target: Path, release: Path) -> None:
    """Point `TARGET/current` at `release` in one rename: readers see old or new, never neither."""
    temporary = target / f".current.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(release.relative_to(target))
    temporary.replace(target / "current")


def require_target(target: str | Path) -> Path:
    """TARGET as deploy-dir needs it, checked before anything is built."""
    target = Path(target).resolve()
    if (target / "current").exists() and not (target / "current").is_symlink():
        raise PublishFailed(
            f"{target / 'current'} is not a symlink; deploy-dir manages it. "
            "Move it away (it is not a release made by deploy-dir) and deploy again."
        )
    existing = next(folder for folder in (target, *target.parents) if folder.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise PublishFailed(
            f"Cannot write to {existing}, so nothing can be deployed to {target}. Deploy as "
            "the user who owns it, or choose a folder you can write to. Nothing was built."
        )
    return target


def deploy_release(site: Path, target: str | Path, *, keep: int = KEEP_RELEASES) -> Path:
    """Copy `site` into TARGET/releases/<id>/, switch `current` to it, keep the newest `keep`."""
    target = require_target(target)
    releases = target / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    release = releases / f"{stamp}-{source_revision()}"
    staging = releases / f".{release.name}.copying"
    shutil.copytree(site, staging, symlinks=False)
    staging.chmod(0o755)  # the build folder is private (mkdtemp); the web server must read it
    staging.rename(release)
    switch_to(target, release)
    live = current_release(target)
    for old in _releases(target)[:-keep]:
        if old != live:
            shutil.rmtree(old)
    return release


def rollback(target: str | Path) -> Path:
    """Switch `TARGET/current` to the release before the one it points at; return that release."""
    target = Path(target).resolve()
    releases = _releases(target)
    live = current_release(target)
    if live is None or live not in releases:
        raise PublishFailed(
            f"{target / 'current'} does not point at a release in {target / 'releases'}; "
            "deploy with `invoke deploy-dir` first."
        )
    index = releases.index(live)
    if index == 0:
        raise PublishFailed(
            f"{live.name} is the oldest release kept in {target / 'releases'}; "
            "there is nothing earlier to roll back to."
        )
    previous = releases[index - 1]
    switch_to(target, previous)
    return previous
