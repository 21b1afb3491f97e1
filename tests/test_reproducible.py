"""Reproducible builds: the same sources give the same bytes, whatever the machine's clock or locale."""

from __future__ import annotations

import calendar
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_build, snapshot

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


def differences_on_another_machine(sources: Path, built, second: Path) -> list[str]:
    """Build `sources` again into `second`, for the address `built` (a conftest.BuiltSite)
    was made for, on "another machine" (time zone and locale): what differs from `built`."""
    require_locale(OTHER_LOCALE)
    env = {"SITEURL": built.siteurl, **OTHER_MACHINE}
    result = run_build(sources, "--production", "--output", str(second), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    one, other = snapshot(built.root), snapshot(second)
    if sorted(one) != sorted(other):
        return [f"the builds wrote different files: {sorted(set(one) ^ set(other))}"]
    assert "index.html" in one
    return [f"differs between the two builds: {name}" for name in one if one[name] != other[name]]


def shown_dates(folder: Path, pages: str = "*.html") -> list[str]:
    """Every date the pages matching `pages` under `folder` show a reader."""
    return [
        date
        for page in folder.rglob(pages)
        for date in re.findall(r"<time [^>]*datetime=[^>]*>([^<]+)</time>", page.read_text("utf-8"))
    ]


def test_two_production_builds_are_byte_identical_across_time_zone_and_locale(site, tmp_path):
    """The session's build (or the one about to be published) against a second
    build of the same sources, for the same address, on "another machine"."""
    second = tmp_path / "second"
    differing = differences_on_another_machine(ROOT, site, second)
    assert not differing, "\n".join(differing)
    # Dates in English and in the site's time zone, whatever the machine's.
    shown = shown_dates(second)
    assert shown, "no page shows a date"
    english = re.compile(rf"({'|'.join(calendar.month_name[1:])}) [1-9][0-9]?, [0-9]{{4}}")
    assert all(english.fullmatch(date) for date in shown), sorted(set(shown))
