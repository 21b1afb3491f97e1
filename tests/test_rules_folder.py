"""The content rules over the whole folder (rules/folder.py): every problem in
every file, listed in one run of the build."""

from __future__ import annotations

import test_metadata
import test_raw_html
import test_rules_files
from conftest import run_build, snapshot

CASES = {**test_metadata.CASES, **test_rules_files.CASES, **test_raw_html.CASES}


def test_every_broken_file_is_listed_in_one_run(built_copy):
    site, before = built_copy
    chosen = ["invalid date", "empty file", "a text file", "raw <iframe>", "symlinked folder"]
    for case in chosen:
        CASES[case][0](site)
    result = run_build(site)
    assert result.returncode == 1
    assert f"The build failed with {len(chosen)} problems" in result.stderr, result.stderr
    for case in chosen:
        assert CASES[case][1][0] in result.stderr, result.stderr
    assert snapshot(site / "output") == before
