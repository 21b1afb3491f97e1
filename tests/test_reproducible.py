"""Reproducible builds: the same sources give the same bytes, whatever the machine's clock or locale."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, run_build
from test_build import snapshot


def test_two_production_builds_are_byte_identical_across_time_zone_and_locale(tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    results = [
        run_build(ROOT, "--production", "--output", str(first)),
        run_build(
            ROOT,
            "--production",
            "--output",
            str(second),
            env={"TZ": "Asia/Tokyo", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"},
        ),
    ]
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    one, other = snapshot(first), snapshot(second)
    assert sorted(one) == sorted(other), "the builds wrote different files"
    differing = [name for name in one if one[name] != other[name]]
    assert not differing, f"these files differ between the two builds: {differing}"
    assert len(one) >= 5
