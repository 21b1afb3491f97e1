"""benchmarks/phases.py: one build timed step by step, as `invoke bench --phases` runs it.

A step whose function has moved would silently drop out of the table (and show
as 0.00 s in docs/benchmarks.md), so a cold build of a copy must time them all.
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import copy_site, invoke_env

from benchmarks.phases import STEPS


def test_a_cold_build_times_every_step_and_builds_the_site(tmp_path):
    site = copy_site(tmp_path / "site")
    output = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.phases", str(output), str(site / "content")],
        cwd=site,
        env=invoke_env(env={"PYTHONPATH": str(site)}),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    spent = json.loads(run.stdout.splitlines()[-1])
    assert set(spent) == {label for _, _, label in STEPS} | {"whole build"}
    assert all(0 <= seconds <= spent["whole build"] for seconds in spent.values()), spent
    assert (output / "index.html").is_file()
