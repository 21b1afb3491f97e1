"""Install the system packages `make serve` and `make test` need, and find the browser.

The one place that knows what a fresh Debian or Ubuntu machine lacks. The
Makefile runs it before anything else (`.ci/run` and the GitHub workflow go
through `make test`, so they run it too):

    python3 scripts/system_packages.py serve   # what the preview needs
    python3 scripts/system_packages.py test    # what every check needs

When everything is present it only looks (a few `which` calls and one
`locale -a`: well under a second) and prints nothing. Otherwise it says in one
line what it is about to install and why, then runs `apt-get` (as root) or
`sudo apt-get`; where neither is possible it stops with the exact commands to
run. Standard library only: it runs before the virtual environment exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The reproducibility test builds under this locale to prove the build ignores it.
TEST_LOCALE = "fr_FR.UTF-8"
# Set this to a Chrome or Chromium binary to use it instead of the one found.
BROWSER_VARIABLE = "CHROME_PATH"
# Where browsers live, in the order they are tried. Debian's chromium first:
# it is what the checks are developed with. Ubuntu ships Chromium as a snap,
# which cannot run headless as root or from some services; Google Chrome's
# .deb (google-chrome-stable) works everywhere, so it comes before the snap.
BROWSER_CANDIDATES = (
    "/usr/bin/chromium",
    "chromium",
    "google-chrome-stable",
    "google-chrome",
    "chromium-browser",
    "/snap/bin/chromium",
)


class BrowserNotFound(Exception):
    """No usable Chrome or Chromium: the message says what to install or set."""


def find_browser() -> str:
    """The Chrome or Chromium binary the checks drive: $CHROME_PATH, else the first found."""
    chosen = os.environ.get(BROWSER_VARIABLE)
    if chosen:
        if not (Path(chosen).is_file() and os.access(chosen, os.X_OK)):
            raise BrowserNotFound(
                f"{BROWSER_VARIABLE}={chosen} is not an executable file; point it at a Chrome "
                f"or Chromium binary, or unset it to use {BROWSER_CANDIDATES[0]}."
            )
        return chosen
    for candidate in BROWSER_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise BrowserNotFound(
        "No Chrome or Chromium found. Run `make test` to install Debian's chromium, "
        f"or set {BROWSER_VARIABLE} to the browser's binary."
    )


def _has_browser() -> bool:
    try:
        find_browser()
    except BrowserNotFound:
        return False
    return True


def _has_venv() -> bool:
    # Debian's python3 can make a venv only with python3-venv (it brings ensurepip).
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        return False
    return True


def _has_command(*names: str) -> Callable[[], bool]:
    # nginx and localedef live in /usr/sbin, which a user's PATH may lack.
    def check() -> bool:
        return any(shutil.which(n) or Path("/usr/sbin", n).is_file() for n in names)

    return check


def _has_library(name: str) -> Callable[[], bool]:
    def check() -> bool:
        import ctypes.util

        return ctypes.util.find_library(name) is not None

    return check


def _locales() -> set[str]:
    try:
        listed = subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, check=False
        ).stdout
    except FileNotFoundError:
        return set()
    return {line.strip().lower().replace("-", "") for line in listed.splitlines()}


def has_test_locale() -> bool:
    """Whether the locale the tests need (`TEST_LOCALE`) is installed."""
    return TEST_LOCALE.lower().replace("-", "") in _locales()


@dataclass(frozen=True)
class Need:
    """One thing a command needs, how to tell it is there, and the packages that bring it."""

    what: str
    why: str
    present: Callable[[], bool]
    debian: tuple[str, ...]
    ubuntu: tuple[str, ...] | None = None  # when Ubuntu names it differently


SERVE = (Need("python3-venv", "the virtual environment", _has_venv, ("python3-venv",)),)
TEST = (
    *SERVE,
    Need("git", "the publishing tests", _has_command("git"), ("git",)),
    Need("openssl", "the nginx tests' certificate", _has_command("openssl"), ("openssl",)),
    Need("nginx", "the hosting tests", _has_command("nginx"), ("nginx",)),
    Need(
        "a browser",
        "the browser and Lighthouse checks",
        _has_browser,
        ("chromium", "fonts-liberation"),
        ubuntu=("chromium-browser", "fonts-liberation"),
    ),
    # Playwright drives the browser through its own bundled Node.js, which links
    # libatomic; a minimal Debian lacks it (seen in a fresh debootstrap root).
    Need("libatomic1", "the browser driver (Playwright)", _has_library("atomic"), ("libatomic1",)),
    Need("java", "the Nu Html Checker", _has_command("java"), ("default-jre-headless",)),
    Need("node", "axe-core, the Nu Html Checker and Lighthouse", _has_command("node"), ("nodejs",)),
    Need("npm", "installing those checkers", _has_command("npm"), ("npm",)),
    Need(
        TEST_LOCALE,
        "the reproducibility test",
        lambda: has_test_locale() or Path("/usr/share/i18n/locales/fr_FR").is_file(),
        ("locales",),
    ),
)
NEEDS = {"serve": SERVE, "test": TEST}
# The checkers `make test` installs with npm (package.json), under node_modules/.
NODE_CHECKERS = {
    "vnu-jar/build/dist/vnu.jar": "the Nu Html Checker",
    "axe-core/axe.min.js": "axe-core",
    "lighthouse/package.json": "Lighthouse",
}


def missing_for_checks(root: Path) -> list[str]:
    """What the checks lack on this machine, in words: system packages, then npm checkers."""
    missing = [f"{need.what} ({need.why})" for need in NEEDS["test"] if not need.present()]
    missing += [
        f"{what} (node_modules/{path})"
        for path, what in NODE_CHECKERS.items()
        if not (root / "node_modules" / path).is_file()
    ]
    return missing


def distribution() -> str:
    """This machine's distribution (`ID` in /etc/os-release: "debian", "ubuntu"), or ""."""
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return ""
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    return fields.get("ID", "").strip('"')


def privilege() -> list[str] | None:
    """The prefix that runs a command as root: none as root, sudo, or None if neither."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo"):
        return ["sudo"]
    return None


def plan(command: str) -> tuple[list[Need], list[list[str]]]:
    """What is missing for `command`, and the commands that would install it."""
    missing = [need for need in NEEDS[command] if not need.present()]
    ubuntu = distribution() == "ubuntu"
    packages = sorted(
        {p for need in missing for p in (need.ubuntu if ubuntu and need.ubuntu else need.debian)}
    )
    steps = []
    if packages:
        steps.append(["apt-get", "update", "-q"])
        steps.append(["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages])
    if command == "test" and not has_test_locale():
        steps.append(["localedef", "-i", "fr_FR", "-f", "UTF-8", TEST_LOCALE])
    return missing, steps


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "test"
    if command not in NEEDS:
        print(f"usage: {Path(__file__).name} {{{','.join(NEEDS)}}}", file=sys.stderr)
        return 2
    missing, steps = plan(command)
    if steps:
        what = ", ".join(f"{n.what} ({n.why})" for n in missing) or f"the {TEST_LOCALE} locale"
        prefix = privilege()
        exact = " && ".join(" ".join(["sudo", *s]) for s in steps)
        if prefix is None or not shutil.which("apt-get"):
            print(
                f"make {command} needs {what}. Install them as root, then run make {command} again:\n"
                f"  {exact}",
                file=sys.stderr,
            )
            return 1
        how = "with sudo" if prefix else "as root"
        print(f"Installing {what} {how}, for make {command}.", flush=True)
        for step in steps:
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            if prefix:
                step = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", *step]
            if subprocess.run(step, env=env, check=False).returncode != 0:
                print(
                    f"This failed: {' '.join(step)}\nRun it by hand, then make {command} again.",
                    file=sys.stderr,
                )
                return 1
    if command == "test":
        try:
            browser = find_browser()
        except BrowserNotFound as error:
            print(error, file=sys.stderr)
            return 1
        if steps or os.environ.get(BROWSER_VARIABLE):
            print(f"Browser for the checks: {browser}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
