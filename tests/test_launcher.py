"""tests/launcher.py: a command forked from the warm interpreter is the command a
fresh interpreter runs: the same exit code, output and files, the site's code
read from the folder it runs in, and a fresh interpreter where they could differ."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import copy_site, edit, invoke_env, snapshot
from launcher import Launcher, run_fresh, same_at_import


def fresh(site, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_fresh(list(args), site, env, timeout=120)


def untimed(said: str) -> str:
    """What a build said, without how long it took."""
    return re.sub(r"\b\d+(\.\d+)? seconds\b", "… seconds", said)


def test_a_launched_build_is_a_fresh_one(tmp_path):
    """A good build and a refused one, each both ways: same code, output and tree;
    the site's code is the folder's own (an edit to its rules shows at once)."""
    launcher = Launcher()
    site = copy_site(tmp_path / "site")
    env = invoke_env()
    args = ["build", "--production", "--output", "out"]
    made = fresh(site, *args, env=env)
    tree = snapshot(site / "out")
    launched = launcher.run(args, site, env, timeout=120)
    assert launched is not None, "the warm interpreter was not used"
    for result in (made, launched):
        assert result.returncode == 0, result.stdout + result.stderr
    assert untimed(made.stdout) == untimed(launched.stdout)
    assert made.stderr == launched.stderr
    assert snapshot(site / "out") == tree

    edit(site / "content/ketamine-for-migraine.md", "Title:", "Titel:")
    refused = [fresh(site, "build", env=env), launcher.run(["build"], site, env, timeout=120)]
    assert [r.returncode for r in refused] == [1, 1]
    assert refused[0].stderr == refused[1].stderr
    assert "unknown metadata key 'titel'" in refused[1].stderr

    # The rules are read from the folder the command runs in, not kept warm.
    metadata = site / "rules/metadata.py"
    metadata.write_text(
        metadata.read_text(encoding="utf-8").replace("unknown metadata key", "unknown key"),
        encoding="utf-8",
    )
    again = launcher.run(["build"], site, env, timeout=120)
    assert "unknown key 'titel'" in again.stderr, again.stderr
    launcher.close()


def test_an_environment_a_library_reads_at_import_takes_a_fresh_interpreter():
    warm = {"PATH": "/usr/bin", "LANG": "C.UTF-8", "PYTEST_CURRENT_TEST": "a"}
    assert same_at_import(
        {**warm, "SITEURL": "http://x", "TZ": "Asia/Tokyo", "PYTEST_CURRENT_TEST": "b"}, warm
    )
    assert not same_at_import({**warm, "LANG": "fr_FR.UTF-8"}, warm)
    assert not same_at_import({**warm, "PYTHONHASHSEED": "1"}, warm)
    launcher = Launcher()
    launcher.run(["--version"], Path.cwd(), dict(os.environ), timeout=60)
    assert launcher.run(["--version"], Path.cwd(), {**os.environ, "LC_ALL": "C"}, 60) is None
    launcher.close()


def test_a_command_past_its_time_is_stopped_as_subprocess_run_stops_it(tmp_path):
    (tmp_path / "tasks.py").write_text(
        "import time\nfrom invoke import task\n\n\n@task\ndef wait(c):\n"
        "    print('started', flush=True)\n    time.sleep(60)\n",
        encoding="utf-8",
    )
    launcher = Launcher()
    with pytest.raises(subprocess.TimeoutExpired) as stopped:
        launcher.run(["wait"], tmp_path, dict(os.environ), timeout=1)
    assert stopped.value.stdout == "started\n"
    # The warm interpreter goes on serving.
    assert launcher.run(["--version"], tmp_path, dict(os.environ), timeout=60).returncode == 0
    launcher.close()
