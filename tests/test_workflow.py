"""The GitHub Pages workflow: valid for GitHub, clean under zizmor, and gated like every publish.

Both checks run offline: check-jsonschema carries GitHub's workflow schema,
and `zizmor --offline` skips the audits that would ask GitHub.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from ruamel.yaml import YAML

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
PAGES = ROOT / ".github/workflows/pages.yml"
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def pages() -> dict:
    return YAML(typ="safe").load(PAGES.read_text(encoding="utf-8"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_workflow_matches_githubs_schema(workflow):
    result = run(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_have_no_zizmor_findings():
    result = run(
        str(BIN / "zizmor"), "--offline", "--config", ".github/zizmor.yml", ".github/workflows"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_tests_then_builds_a_checked_build_then_deploys(pages):
    build = pages["jobs"]["build"]
    runs = [step.get("run", "") for step in build["steps"]]
    make_test = runs.index("make test")
    checked = next(i for i, r in enumerate(runs) if "invoke checked-build" in r)
    archive = next(i for i, r in enumerate(runs) if r.startswith("tar "))
    assert make_test < checked < archive
    assert build["env"]["SITEURL"] == "${{ vars.SITEURL }}"  # set explicitly, never the default
    assert "--exclude" not in runs[archive]  # .nojekyll and other dot-files are kept
    upload = next(
        s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")
    )
    assert upload["with"]["name"] == "github-pages"
    assert upload["with"]["path"].endswith("/artifact.tar")
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["permissions"] == {}


def test_the_build_cache_is_restored_before_anything_builds(pages):
    """CI keeps cache/ between runs (plugins/build_cache.py and the pictures' cache); the
    key changes with the code and content, and an older cache is still a safe start."""
    steps = pages["jobs"]["build"]["steps"]
    cache = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
    make_test = next(i for i, s in enumerate(steps) if s.get("run") == "make test")
    assert cache < make_test
    options = steps[cache]["with"]
    assert options["path"] == "cache"
    for source in ("requirements.lock", "plugins/**", "rules/**"):
        assert source in options["key"]
    assert options["key"].startswith(options["restore-keys"])


@pytest.mark.parametrize("job", ["build", "review"])
def test_checkout_does_not_keep_the_token(pages, job):
    checkout = next(
        s for s in pages["jobs"][job]["steps"] if s.get("uses", "").startswith("actions/checkout@")
    )
    assert checkout["with"]["persist-credentials"] is False


def test_the_workflow_runs_every_morning_as_well_as_on_push(pages):
    # ruamel reads the key `on` as the string "on" (YAML 1.2), not True.
    triggers = pages["on"]
    assert triggers["push"] == {"branches": ["main"]}
    (schedule,) = triggers["schedule"]
    _minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"] and 10 <= int(hour) <= 12  # New York's morning in UTC


def test_an_overdue_review_fails_its_own_job_and_never_holds_back_the_deploy(pages):
    review = pages["jobs"]["review"]
    runs = " ".join(step.get("run", "") for step in review["steps"])
    assert "invoke review-report --markdown --fail-overdue" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs
    assert pages["jobs"]["deploy"]["needs"] == "build"  # not review
    assert "needs" not in pages["jobs"]["build"]
