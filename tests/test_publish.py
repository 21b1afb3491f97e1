"""Publishing: only a build that passed the tests reaches a target, and a failure changes nothing.

The tasks run exactly as a maintainer runs them, in a throwaway copy of the
site, against a bare git repository on disk (the gh-pages remote) and a
deploy-dir folder. The gate inside each publish runs a small part of the
suite (`--pytest-args`), which keeps these tests fast and stops a publish
test from publishing itself.
"""

from __future__ import annotations

import io
import shlex
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
from conftest import ROOT, edit, run_invoke, snapshot

from commands.publish import current_release, deploy_release, publish_gh_pages, rollback

GATE = "tests/test_pages.py -k 'structure and index or exactly'"


def publish(copy: Path, *task: str, siteurl: str) -> subprocess.CompletedProcess[str]:
    """Run a publish task in `copy` with the short test gate. The gate's pytest keeps its
    files beside the copy: in pytest's own numbered folders, its exit would first delete
    the oldest of them, another run's, hundreds of megabytes on a slow disk."""
    gate = f"{GATE} --basetemp {shlex.quote(str(copy.parent / 'gate-files'))}"
    return run_invoke(copy, *task, "--pytest-args", gate, siteurl=siteurl)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def bare_repository(path: Path) -> Path:
    git("init", "--quiet", "--bare", str(path))
    return path


def branch_files(bare: Path, tmp_path: Path, branch: str = "gh-pages") -> dict[str, str]:
    """Snapshot of the tree the branch points at, dot-files included."""
    archive = subprocess.run(
        ["git", "--git-dir", str(bare), "archive", "--format=tar", branch],
        capture_output=True,
        check=True,
    ).stdout
    folder = tmp_path / "checkout"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        # The "data" filter arrived in Python 3.11.4; Debian 12 has 3.11.2.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(folder, filter="data")
        else:
            tar.extractall(folder)  # noqa: S202 - the archive is the one this test just made
    return snapshot(folder)


def target_state(target: Path) -> tuple[Path | None, list[str], dict[str, str]]:
    live = current_release(target)
    releases = sorted(p.name for p in (target / "releases").iterdir())
    return live, releases, snapshot(live) if live else {}


@pytest.fixture
def publishable_copy(site_copy: Path) -> Path:
    """A copy of the site that can also run its own tests (the publish gate)."""
    shutil.copytree(
        ROOT / "tests", site_copy / "tests", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy2(ROOT / "pyproject.toml", site_copy / "pyproject.toml")
    (site_copy / "node_modules").symlink_to(ROOT / "node_modules")  # the checkers, installed once
    return site_copy


@pytest.mark.parametrize(
    "task",
    [
        ("deploy-dir", "{target}"),
        ("gh-pages", "--remote", "{target}"),
        ("checked-build", "--output", "{target}"),
    ],
    ids=lambda task: task[0],
)
def test_a_publish_says_at_once_what_the_machine_lacks_and_builds_nothing(
    publishable_copy, tmp_path, task
):
    (publishable_copy / "node_modules").unlink()  # as on a machine where make test never ran
    target = tmp_path / "target"
    args = [arg.format(target=target) for arg in task]
    result = run_invoke(publishable_copy, *args, siteurl="https://www.example.org", timeout=30)
    assert result.returncode == 1
    assert "this machine lacks the Nu Html Checker (node_modules/vnu-jar/" in result.stderr
    assert "Run `make test` once (it installs them)" in result.stderr
    assert not target.exists() and not (publishable_copy / "output").exists()


def test_deploy_dir_says_at_once_when_it_cannot_write_the_target(publishable_copy, tmp_path):
    in_the_way = tmp_path / "srv"
    in_the_way.write_text("a file where the folder should be", encoding="utf-8")
    result = run_invoke(
        publishable_copy, "deploy-dir", str(in_the_way / "site"), siteurl="https://www.example.org"
    )
    assert result.returncode == 1
    assert f"Cannot write to {in_the_way}" in result.stderr
    assert "Built" not in result.stdout  # refused before the build


def test_gh_pages_pushes_exactly_the_checked_build(fixture_site, publishable_copy, tmp_path):
    bare = bare_repository(tmp_path / "remote.git")
    result = publish(
        publishable_copy, "gh-pages", "--remote", str(bare), siteurl=fixture_site.siteurl
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Pushed" in result.stdout
    published = branch_files(bare, tmp_path)
    # The same sources and SITEURL build byte-identical output.
    assert published == snapshot(fixture_site.root)
    assert ".nojekyll" in published and "_headers" in published
    first = git("--git-dir", str(bare), "rev-parse", "gh-pages").strip()

    # The next publish adds a commit on top: the branch keeps its history.
    second = publish_gh_pages(fixture_site.root, remote=str(bare), message="Publish again")
    assert git("--git-dir", str(bare), "rev-parse", "gh-pages").strip() == second
    assert git("--git-dir", str(bare), "rev-parse", f"{second}^").strip() == first


def test_a_publish_whose_tests_or_build_fail_leaves_every_target_untouched(
    fixture_site, publishable_copy, tmp_path
):
    bare = bare_repository(tmp_path / "remote.git")
    publish_gh_pages(fixture_site.root, remote=str(bare), message="The live site")
    refs_before = git("--git-dir", str(bare), "for-each-ref")
    target = tmp_path / "srv"
    deploy_release(fixture_site.root, target)
    state_before = target_state(target)

    # Builds fine, but the theme lost its skip link: test_pages fails. (Content
    # mistakes no longer get this far: the build refuses them, see test_rules_site.)
    edit(
        publishable_copy / "theme/templates/base.html",
        '>{{ _("Skip to main content") }}</a>',
        ">Skip</a>",
    )
    for task in (["gh-pages", "--remote", str(bare)], ["deploy-dir", str(target)]):
        result = publish(publishable_copy, *task, siteurl="https://www.example.org")
        assert result.returncode == 1, result.stdout + result.stderr
        assert "The test suite failed" in result.stderr
        assert "nothing was published" in result.stderr
        assert (
            "test_page_structure_language_title_headings_landmarks_and_skip_link" in result.stdout
        )

    # Does not build at all.
    article = publishable_copy / "content/ketamine-for-migraine.md"
    article.write_text(article.read_text().replace("Date: 2026-11-25", "Date: 2026-02-30"))
    result = run_invoke(publishable_copy, "deploy-dir", str(target), siteurl="https://example.org")
    assert result.returncode == 1
    assert "Date '2026-02-30' is not a valid date" in result.stderr
    assert "Nothing was published" in result.stderr

    assert git("--git-dir", str(bare), "for-each-ref") == refs_before
    assert target_state(target) == state_before


def test_deploy_dir_switches_current_keeps_five_releases_and_rolls_back(
    fixture_site, publishable_copy, tmp_path
):
    target = tmp_path / "srv"
    result = publish(publishable_copy, "deploy-dir", str(target), siteurl=fixture_site.siteurl)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "current").is_symlink()
    assert not (target / "current").readlink().is_absolute()  # the folder can move
    assert snapshot(target / "current") == snapshot(fixture_site.root)

    releases = [current_release(target)]
    releases += [deploy_release(fixture_site.root, target) for _ in range(5)]
    kept = sorted((target / "releases").iterdir())
    assert kept == releases[-5:]
    assert current_release(target) == releases[-1]
    assert sorted(p.name for p in target.iterdir()) == ["current", "releases"]

    result = run_invoke(publishable_copy, "rollback", str(target), siteurl=None)
    assert result.returncode == 0, result.stderr
    assert current_release(target) == releases[-2]
    for _ in range(3):
        rollback(target)
    assert current_release(target) == releases[1]
    result = run_invoke(publishable_copy, "rollback", str(target), siteurl=None)
    assert result.returncode == 1
    assert "nothing earlier to roll back to" in result.stderr
    assert current_release(target) == releases[1]


def test_publishing_needs_an_explicit_site_address(publishable_copy, tmp_path):
    result = run_invoke(publishable_copy, "deploy-dir", str(tmp_path / "srv"), siteurl=None)
    assert result.returncode == 1
    assert "pass --siteurl https://www.example.org" in result.stderr
    assert not (tmp_path / "srv").exists()


def test_a_checked_build_goes_into_a_fresh_folder_only(publishable_copy, tmp_path):
    existing = tmp_path / "existing"
    existing.mkdir()
    result = run_invoke(
        publishable_copy,
        "checked-build",
        "--output",
        str(existing),
        siteurl="https://www.example.org",
    )
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert list(existing.iterdir()) == []


@pytest.mark.parametrize(
    ("task", "program"), [("netlify", "netlify"), ("cloudflare-pages", "wrangler")]
)
def test_netlify_and_cloudflare_say_how_to_install_their_cli(
    publishable_copy, tmp_path, task, program
):
    """Without the host's CLI the task stops before building and says what to install."""
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_invoke(
        publishable_copy,
        task,
        "name",
        "--siteurl",
        "https://www.example.org",
        siteurl=None,
        env={"PATH": str(empty)},
        timeout=60,
    )
    assert result.returncode == 1
    assert f"`{program}` is not installed" in result.stderr
    assert (
        f"npm install -g {'netlify-cli' if program == 'netlify' else 'wrangler'}" in result.stderr
    )
