"""The workflows: each valid for GitHub and clean under zizmor; GitHub Pages gated
like every publish and only from main; pull requests checked with no power to
change anything.

Both checks run offline: check-jsonschema carries GitHub's workflow schema,
and `zizmor --offline` skips the audits that would ask GitHub. Every file in
.github/workflows/ gets them, and the safety checks, without being named here.
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
PULL_REQUEST = ROOT / ".github/workflows/pull-request.yml"
BIN = Path(sys.executable).parent
every_workflow = pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def load(workflow: Path) -> dict:
    # ruamel reads the key `on` as the string "on" (YAML 1.2), not True.
    return YAML(typ="safe").load(workflow.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages() -> dict:
    return load(PAGES)


@pytest.fixture(scope="module")
def pull_request() -> dict:
    return load(PULL_REQUEST)


@every_workflow
def test_workflow_matches_githubs_schema(workflow):
    result = run(
        str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)
    )
    assert result.returncode == 0, result.stdout + result.stderr


@every_workflow
def test_workflow_has_no_zizmor_findings(workflow):
    result = run(str(BIN / "zizmor"), "--offline", "--config", ".github/zizmor.yml", str(workflow))
    assert result.returncode == 0, result.stdout + result.stderr


@every_workflow
def test_no_workflow_runs_a_pull_requests_code_with_write_access(workflow):
    """pull_request_target runs with the repository's token and secrets: never here."""
    on = load(workflow)["on"]
    assert "pull_request_target" not in ([on] if isinstance(on, str) else on)


@every_workflow
def test_every_checkout_forgets_the_token(workflow):
    checkouts = [
        step
        for job in load(workflow)["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


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
    """CI keeps cache/ between runs (engine/cache.py and the pictures' cache); the
    key changes with the code and content, and an older cache is still a safe start."""
    steps = pages["jobs"]["build"]["steps"]
    cache = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
    make_test = next(i for i, s in enumerate(steps) if s.get("run") == "make test")
    assert cache < make_test
    options = steps[cache]["with"]
    assert options["path"] == "cache"
    for source in ("requirements.lock", "engine/**", "plugins/**", "rules/**"):
        assert source in options["key"]
    assert options["key"].startswith(options["restore-keys"])


def test_the_workflow_runs_every_morning_as_well_as_on_push(pages):
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


def test_only_main_is_ever_deployed(pages):
    """A run started by hand on another branch tests and builds it, and never publishes it."""
    assert set(pages["on"]) == {"push", "schedule", "workflow_dispatch"}  # no pull request
    assert pages["jobs"]["deploy"]["if"] == "github.ref == 'refs/heads/main'"


def test_a_pull_request_is_checked_by_what_main_runs_with_read_access_only(pull_request):
    assert pull_request["on"] == {"pull_request": None}
    assert pull_request["permissions"] == {"contents": "read"}
    (job,) = pull_request["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    assert "secrets." not in PULL_REQUEST.read_text(encoding="utf-8")
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == ["make build", "make test"]  # the content on its lines, then every check
    assert (ROOT / ".ci/run").read_text(encoding="utf-8").rstrip().endswith("\nmake test")
    # Caches are written by main's runs only: a pull request may not change them.
    assert not any(step.get("uses", "").startswith("actions/cache@") for step in job["steps"])


def test_a_new_push_cancels_the_pull_requests_run_before_it(pull_request):
    (job,) = pull_request["jobs"].values()
    assert job["concurrency"] == {
        "group": "pull-request-${{ github.event.pull_request.number }}",
        "cancel-in-progress": True,
    }
