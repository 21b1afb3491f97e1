"""Reproducible builds: the same sources give the same bytes, whatever the machine's clock or locale."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_build, snapshot
from expected import ARTICLE_PAGE

# A locale whose month names differ from English ("novembre"), so a build that
# followed the machine's locale instead of pelicanconf.LOCALE would show it.
OTHER_LOCALE = "fr_FR.UTF-8"
OTHER_MACHINE = {"TZ": "Asia/Tokyo", "LANG": OTHER_LOCALE, "LC_ALL": OTHER_LOCALE}


def require_locale(name: str) -> None:
    """Fail, saying how to fix it, unless the C library really has the locale `name`."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import datetime, locale; locale.setlocale(locale.LC_ALL, '');"
            "print(datetime.date(2026, 11, 25).strftime('%B'))",
        ],
        env={**os.environ, "LANG": name, "LC_ALL": name},
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0 or probe.stdout.strip() == "November":
        pytest.fail(
            f"The locale {name} is not installed, so this test could not prove that the build "
            "ignores the machine's locale. Install it: sudo apt-get install locales && "
            f"sudo localedef -i {name.split('.')[0]} -f UTF-8 {name} (.ci/run does this).",
            pytrace=False,
        )


def test_two_production_builds_are_byte_identical_across_time_zone_and_locale(tmp_path: Path):
    require_locale(OTHER_LOCALE)
    first, second = tmp_path / "first", tmp_path / "second"
    results = [
        run_build(ROOT, "--production", "--output", str(first)),
        run_build(ROOT, "--production", "--output", str(second), env=OTHER_MACHINE),
    ]
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    one, other = snapshot(first), snapshot(second)
    assert sorted(one) == sorted(other), "the builds wrote different files"
    differing = [name for name in one if one[name] != other[name]]
    assert not differing, f"these files differ between the two builds: {differing}"
    assert len(one) >= 5
    page = (second / ARTICLE_PAGE).read_text(encoding="utf-8")
    assert ">November 25, 2026</time>" in page
    assert 'datetime="2026-11-25T00:00:00-05:00"' in page
