"""scripts/system_packages.py: what `make serve` and `make test` install, and the browser they find.

The real installation is checked the hard way (README, Checks: a fresh Debian
root or purged packages); these tests pin the decisions around it: what counts
as missing, the commands it would run, what it says when it cannot run them,
and where it looks for the browser.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from scripts import system_packages

SCRIPT = ROOT / "scripts" / "system_packages.py"


def executable(path: Path) -> Path:
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def nothing_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        system_packages,
        "NEEDS",
        {
            command: tuple(
                system_packages.Need(n.what, n.why, lambda: False, n.debian, n.ubuntu)
                for n in needs
            )
            for command, needs in system_packages.NEEDS.items()
        },
    )
    monkeypatch.setattr(system_packages, "has_test_locale", lambda: False)


def test_a_machine_with_everything_installs_nothing_and_says_nothing():
    # This machine ran `make test` to get here, so everything is present.
    # Without CHROME_PATH: with it, the script names the chosen browser on purpose.
    env = {k: v for k, v in os.environ.items() if k != "CHROME_PATH"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "test"], capture_output=True, text=True, check=False, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert system_packages.plan("test") == ([], [])


def test_a_bare_machine_gets_every_package_in_one_install_and_the_locale(monkeypatch):
    nothing_present(monkeypatch)
    monkeypatch.setattr(system_packages, "distribution", lambda: "debian")
    missing, steps = system_packages.plan("test")
    assert [n.what for n in missing][:2] == ["python3-venv", "git"]
    assert steps[0] == ["apt-get", "update", "-q"]
    install = steps[1]
    assert install[:5] == ["apt-get", "install", "-y", "-q", "--no-install-recommends"]
    assert set(install[5:]) == {
        "python3-venv", "git", "openssl", "nginx", "chromium", "fonts-liberation",
        "libatomic1", "default-jre-headless", "nodejs", "npm", "locales",
    }  # fmt: skip
    assert steps[2] == ["localedef", "-i", "fr_FR", "-f", "UTF-8", "fr_FR.UTF-8"]


def test_ubuntu_gets_its_own_chromium_package(monkeypatch):
    nothing_present(monkeypatch)
    monkeypatch.setattr(system_packages, "distribution", lambda: "ubuntu")
    install = system_packages.plan("test")[1][1]
    assert "chromium-browser" in install and "chromium" not in install


def test_the_preview_needs_only_the_virtual_environment(monkeypatch):
    nothing_present(monkeypatch)
    missing, steps = system_packages.plan("serve")
    assert [n.what for n in missing] == ["python3-venv"]
    assert steps[1][5:] == ["python3-venv"] and len(steps) == 2


def test_without_root_or_sudo_it_stops_with_the_exact_commands(monkeypatch, capsys):
    nothing_present(monkeypatch)
    monkeypatch.setattr(system_packages, "distribution", lambda: "debian")
    monkeypatch.setattr(system_packages, "privilege", lambda: None)
    assert system_packages.main(["test"]) == 1
    message = capsys.readouterr().err
    assert message.startswith("make test needs python3-venv (the virtual environment), git")
    assert "sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends" in message
    assert "&& sudo localedef -i fr_FR -f UTF-8 fr_FR.UTF-8" in message


def test_the_browser_comes_from_chrome_path_first(monkeypatch, tmp_path):
    chosen = executable(tmp_path / "my-chrome")
    monkeypatch.setenv("CHROME_PATH", str(chosen))
    assert system_packages.find_browser() == str(chosen)


def test_a_wrong_chrome_path_is_an_error_not_a_silent_fallback(monkeypatch, tmp_path):
    monkeypatch.setenv("CHROME_PATH", str(tmp_path / "missing"))
    with pytest.raises(system_packages.BrowserNotFound, match="is not an executable file"):
        system_packages.find_browser()


def test_the_browser_is_found_in_the_documented_order(monkeypatch, tmp_path):
    monkeypatch.delenv("CHROME_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(system_packages, "BROWSER_CANDIDATES", ("chromium", "google-chrome-stable"))
    with pytest.raises(system_packages.BrowserNotFound, match="set CHROME_PATH"):
        system_packages.find_browser()
    chrome = executable(tmp_path / "google-chrome-stable")
    assert system_packages.find_browser() == str(chrome)
    chromium = executable(tmp_path / "chromium")
    assert system_packages.find_browser() == str(chromium)
    assert os.environ["PATH"] == str(tmp_path)
