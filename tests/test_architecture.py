"""The rooms of the code and their arrows (docs/architecture.md).

Imports run one way: tasks.py → commands → plugins → rules → settings. These
tests read the import statements of every module, so a shortcut that points
the wrong way, or a helper parked in plugins/ that Pelican never loads, fails
with the file and line to change.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

from commands.build import load_settings

# What each room may import of the site's own packages.
ALLOWED = {
    "rules": {"rules"},
    "plugins": {"plugins", "rules"},
    "commands": {"commands", "plugins", "rules", "scripts"},
    "benchmarks": {"benchmarks", "commands", "plugins", "rules"},
    # Runs before the virtual environment exists: the standard library only.
    "scripts": {"scripts"},
}
OWN_PACKAGES = {"rules", "plugins", "commands", "benchmarks", "scripts", "tasks"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import in `path`, those inside functions too
    (tests/test_dependencies.py reads the same list)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def own_imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) for every import of the site's own code in `path`."""
    return [
        (line, module.split(".")[0])
        for line, module in imported_modules(path)
        if module.split(".")[0] in OWN_PACKAGES
    ]


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_each_room_imports_only_the_rooms_below_it(room):
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: imports {package}, which {room}/ may not use"
        for path in sorted((ROOT / room).rglob("*.py"))
        for line, package in own_imports(path)
        if package not in ALLOWED[room]
    ]
    assert not wrong, "\n".join(wrong)


def test_plugins_holds_only_what_pelican_loads():
    settings = load_settings()
    loaded = {name for name in settings["PLUGINS"] if name.startswith("plugins.")}
    loaded |= {
        name for name in settings["MARKDOWN"]["extension_configs"] if name.startswith("plugins.")
    }
    modules = {
        f"plugins.{path.stem}"
        for path in (ROOT / "plugins").glob("*.py")
        if path.stem != "__init__"
    }
    assert modules - loaded == set(), "not a Pelican plugin or Markdown extension: move it"
    assert loaded - modules == set(), "named in the settings but missing from plugins/"


def test_every_room_says_what_it_is():
    undocumented = [
        room
        for room in [*ALLOWED, "tests"]
        if (ROOT / room / "__init__.py").exists()
        and not ast.get_docstring(ast.parse((ROOT / room / "__init__.py").read_text()))
    ]
    assert not undocumented
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        room for room in [*ALLOWED, "theme", "content", "tests"] if f"`{room}/" not in architecture
    ]
    assert not missing, f"docs/architecture.md has no line for {missing}"
